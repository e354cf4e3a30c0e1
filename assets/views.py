"""Pages of 查控: the query-progress partial of an enforcement case (loaded into the case page with hx-get,
polling every 2 s while anything is pending) and the form that orders a query batch."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import ApplicationError
from core.mixins import CapabilityRequiredMixin

from .choices import AssetCategory
from .selectors import batch_progress, enforcement_case_for_queries, query_batch_list
from .services import query_order

BATCHES_SHOWN = 5


class QueryProgressView(CapabilityRequiredMixin, View):
    """GET: the partial; POST (capability "assets.query"): order a batch, answer with the partial again."""

    capability = "assets.view"
    template_name = "assets/query_progress.html"

    def _render(self, request, enforcement_case, *, error: str = "", status: int = 200):
        batches = list(query_batch_list(user=request.user, enforcement_case=enforcement_case)[:BATCHES_SHOWN])
        progress = batch_progress(batches=batches)
        context = {
            "enforcement_case": enforcement_case,
            "progress": progress,
            "waiting": any(p.waiting for p in progress),
            "categories": AssetCategory.choices,
            "can_order": request.user.is_superuser or request.user.can("assets.query"),
            "error": error,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, enforcement_pk: int):
        enforcement_case = enforcement_case_for_queries(user=request.user, pk=enforcement_pk)
        return self._render(request, enforcement_case)

    def post(self, request, enforcement_pk: int):
        enforcement_case = enforcement_case_for_queries(user=request.user, pk=enforcement_pk)
        categories = request.POST.getlist("categories") or None
        try:
            query_order(actor=request.user, enforcement_case=enforcement_case, categories=categories)
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise
            return self._render(request, enforcement_case, error=exc.message or _("Refused."), status=exc.status_code)
        return self._render(request, enforcement_case)
