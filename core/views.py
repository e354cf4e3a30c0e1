from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import ListView

from .export import MAX_EXPORT_ROWS, export_response
from .mixins import CapabilityRequiredMixin
from .selectors import audit_search


@login_not_required
@require_GET
def home(request):
    """Staff land where their role works (case workers who hold ``command.workspace`` — officers, judges, division
    heads — on their workspace; others on the case list; auditors on the audit log); everyone else sees the
    public portal. The workspace is reversed by name: core imports nothing of command."""
    user = request.user
    if user.is_authenticated and (user.is_court_staff or user.is_superuser):
        if not user.is_superuser and user.can("command.workspace"):
            return redirect("command:workspace")
        if user.is_superuser or user.can("case.view"):
            return redirect("cases:list")
        if user.can("audit.view"):
            return redirect("audit-list")
    return render(request, "core/home.html")


class AuditLogListView(CapabilityRequiredMixin, ListView):
    """The audit log of the user's court, searchable (``AuditLogFilter``); exported as CSV or Excel. Every
    search, page and export is itself recorded as an ``audit.search`` read."""

    capability = "audit.view"
    template_name = "core/audit_list.html"
    paginate_by = 50
    context_object_name = "entries"

    def get_queryset(self):
        if not hasattr(self, "filterset"):
            export = self.request.GET.get("export", "")
            self.filterset = audit_search(
                user=self.request.user,
                params=self.request.GET,
                request=self.request,
                export=export if export in ("csv", "xlsx") else "",
            )
        return self.filterset.qs

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("export")
        if kind in ("csv", "xlsx"):
            entries = self.get_queryset()
            rows = (
                [
                    e.at.isoformat(),
                    e.actor_name,
                    e.action,
                    e.court.code if e.court else "",
                    e.object_type,
                    e.object_id,
                    e.object_repr,
                    e.reason,
                    e.request_id,
                    e.ip_address,
                ]
                for e in entries[:MAX_EXPORT_ROWS].iterator(chunk_size=2000)
            )
            header = [
                _("Time"),
                _("Actor"),
                _("Action"),
                _("Court"),
                _("Object type"),
                _("Object id"),
                _("Object"),
                _("Reason"),
                _("Request id"),
                _("IP address"),
            ]
            return export_response(
                kind=kind, filename="audit", header=header, rows=rows, request=request, total=entries
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter=self.filterset, query=query.urlencode())
        return context


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # any failure means "down"; the message is reported
        return {"ok": False, "vendor": connection.vendor, "error": str(exc)[:200]}


def _check_broker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER and not settings.CELERY_BROKER_URL:
        return {"ok": True, "mode": "eager", "detail": "No broker configured: tasks run in the web process."}
    from config.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=0, timeout=2)  # one attempt: a health check must answer fast
        return {"ok": True, "mode": "broker"}
    except Exception as exc:
        return {"ok": False, "mode": "broker", "error": str(exc)[:200]}


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Database and broker reachability, 200 when both are up and 503 otherwise."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
