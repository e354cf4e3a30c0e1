"""The coercion panel of the case page (``enforcement:case-coercion``): the coercive measures (罚款, 拘留, 搜查) with
their status, amounts, detention end dates and decision documents, and the debtor searches (查人) with their
attempts. GET renders the card; POST with ``action`` (propose / decide / execute / release / search_start /
search_attempt / search_close) runs one service and answers with the card again — a refusal with status 400 /
403 / 409 and its message (htmx swaps them).

Exit restriction (限制出境) from a search: enforcement may not import credit, so the panel does not read
``credit.models.Restriction``; a search with at least one attempt links to credit's restriction issue page for
the case (``credit:restriction-issue``, with ``?kind=exit&debtor=<pk>`` as a hint) and to credit's
case-restrictions partial (``credit:case-restrictions``), where the restrictions in force are shown."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from cases.choices import PartyRole
from core.access import get_visible_or_404, require_capability
from core.audit import audit_record
from core.exceptions import ApplicationError, InvalidInput
from core.files import stored_file_response
from core.mixins import CapabilityRequiredMixin

from . import forms_coercion as forms
from .choices import CoerciveKind, CoerciveStatus, SearchStatus, Status
from .models import CoerciveMeasure, DebtorSearch, EnforcementCase
from .selectors import enforcement_case_get
from .services import coercion as services

ENDING_SOON_DAYS = 2
ATTEMPT_LABELS = dict(forms.ATTEMPT_KIND_CHOICES)


def _can(user, capability: str) -> bool:
    return bool(user.is_superuser or user.can(capability))


def _parties(ec: EnforcementCase, *, debtors_only: bool = False) -> list:
    links = ec.case.party_links.select_related("party").order_by("role", "id")
    if debtors_only:
        links = links.filter(role=PartyRole.DEBTOR)
    return [link.party for link in links]


def coercion_context(request, ec: EnforcementCase, *, error: str = "") -> dict:
    user, today = request.user, timezone.localdate()
    is_open = ec.status != Status.CLOSED
    can_coerce = _can(user, "enforcement.coercion")
    can_approve = _can(user, "enforcement.approve_coercion")
    can_act = _can(user, "enforcement.act")
    measures = list(
        ec.coercive_measures.select_related("subject", "proposed_by", "approved_by").order_by("-proposed_at", "-id")
    )
    for m in measures:
        m.can_decide = can_approve and m.status == CoerciveStatus.PROPOSED and m.proposed_by_id != user.pk
        m.can_execute = can_coerce and m.status == CoerciveStatus.APPROVED
        m.in_custody = m.kind == CoerciveKind.DETENTION and m.status == CoerciveStatus.EXECUTED and not m.released_on
        m.can_release = can_coerce and m.in_custody
        m.end_flag = ""
        if m.in_custody and m.ends_on:
            if m.ends_on <= today:
                m.end_flag = "ended"
            elif m.ends_on <= today + dt.timedelta(days=ENDING_SOON_DAYS):
                m.end_flag = "ending_soon"
    searches = list(ec.debtor_searches.select_related("debtor", "started_by").order_by("-started_on", "-id"))
    for s in searches:
        s.attempt_rows = [{**a, "kind_label": ATTEMPT_LABELS.get(a.get("kind"), a.get("kind"))} for a in s.attempts]
        s.is_open = s.status == SearchStatus.SEARCHING
        s.can_ask_exit = can_act and services.can_ask_exit_restriction(s)
    parties = _parties(ec)
    return {
        "ec": ec,
        "error": error,
        "today": today,
        "measures": measures,
        "searches": searches,
        "can_propose": can_coerce and is_open,
        "can_search": can_act and is_open,
        "is_president": can_approve,
        "propose_form": forms.ProposeForm(parties=parties),
        "search_start_form": forms.SearchStartForm(parties=_parties(ec, debtors_only=True)),
        "attempt_kinds": forms.ATTEMPT_KIND_CHOICES,
    }


class CaseCoercionView(CapabilityRequiredMixin, View):
    """GET: the coercion panel of an enforcement case; POST ``action``: act and answer with the panel."""

    capability = "enforcement.view"
    template_name = "enforcement/coercion/_panel.html"

    def _render(self, request, ec, *, error: str = "", status: int = 200):
        return render(request, self.template_name, coercion_context(request, ec, error=error), status=status)

    def get(self, request, pk: int):
        return self._render(request, enforcement_case_get(user=request.user, pk=pk))

    @staticmethod
    def _form(form_class, data, **kwargs):
        form = form_class(data, **kwargs)
        if not form.is_valid():
            raise InvalidInput({name: list(errors) for name, errors in form.errors.items()}, code="coercion.form")
        return form.cleaned_data

    @staticmethod
    def _measure(ec, pk) -> CoerciveMeasure:
        measure = CoerciveMeasure.objects.filter(enforcement_case=ec, pk=pk).first()
        if measure is None:
            raise InvalidInput({"measure": _("No such measure on this case.")}, code="coercion.invalid")
        return measure

    @staticmethod
    def _search(ec, pk) -> DebtorSearch:
        search = DebtorSearch.objects.filter(enforcement_case=ec, pk=pk).first()
        if search is None:
            raise InvalidInput({"search": _("No such search on this case.")}, code="debtor_search.invalid")
        return search

    def _act(self, request, ec) -> None:
        action, actor, post = request.POST.get("action", ""), request.user, request.POST
        if action == "propose":
            data = self._form(forms.ProposeForm, post, parties=_parties(ec))
            services.coercion_propose(actor=actor, enforcement_case=ec, **data)
        elif action == "decide":
            data = self._form(forms.DecideForm, post)
            services.coercion_decide(
                actor=actor,
                measure=self._measure(ec, data["measure"]),
                approve=data["decision"] == "approve",
                on=timezone.localdate(),
                order_number=data["order_number"] or None,
                note=data["note"],
            )
        elif action == "execute":
            data = self._form(forms.ExecuteForm, post)
            services.coercion_execute(
                actor=actor,
                measure=self._measure(ec, data["measure"]),
                executed_on=data["executed_on"],
                outcome=data["outcome"],
            )
        elif action == "release":
            data = self._form(forms.ReleaseForm, post)
            services.coercion_release(
                actor=actor,
                measure=self._measure(ec, data["measure"]),
                released_on=data["released_on"],
                reason=data["reason"],
            )
        elif action == "search_start":
            data = self._form(forms.SearchStartForm, post, parties=_parties(ec, debtors_only=True))
            services.debtor_search_start(actor=actor, enforcement_case=ec, debtor=data["debtor"], on=data["on"])
        elif action == "search_attempt":
            data = self._form(forms.AttemptForm, post)
            services.debtor_search_attempt(
                actor=actor,
                search=self._search(ec, data["search"]),
                on=data["on"],
                kind=data["kind"],
                where=data["where"],
                result=data["result"],
            )
        elif action == "search_close":
            data = self._form(forms.SearchCloseForm, post)
            services.debtor_search_close(
                actor=actor,
                search=self._search(ec, data["search"]),
                found=data["found"],
                on=data["on"],
                result=data["result"],
            )
        else:
            raise InvalidInput({"action": _("Unknown action.")}, code="coercion.action")

    def post(self, request, pk: int):
        ec = enforcement_case_get(user=request.user, pk=pk)
        try:
            self._act(request, ec)
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise
            return self._render(request, ec, error=exc.message or _("Refused."), status=exc.status_code)
        ec.refresh_from_db()
        return self._render(request, ec)


class CoercionDocumentView(CapabilityRequiredMixin, View):
    """The decision or warrant (.docx) of a measure; 404 alike if missing, at another court or not generated."""

    capability = "enforcement.view"

    def get(self, request, pk: int):
        require_capability(request.user, "enforcement.view")
        measure = get_visible_or_404(
            CoerciveMeasure.objects.select_related("enforcement_case__case"),
            request.user,
            court_field="enforcement_case__case__court",
            pk=pk,
        )
        if not measure.document:
            raise Http404
        audit_record(
            actor=request.user,
            action="enforcement.coercion_document_read",
            obj=measure.enforcement_case,
            changes={"measure": measure.pk},
        )
        return stored_file_response(measure.document, filename=f"{measure.order_number or measure.pk}.docx")
