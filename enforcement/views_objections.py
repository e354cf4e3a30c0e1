"""The objections panel on the enforcement case page (执异 and 执复, 民诉法 2023 arts. 236, 238): the objections
with their deadlines (review due, ruling served, the reconsideration window, the reconsideration due; overdue in
red) and the forms to file, rule on, withdraw (the objector's 撤回), serve, and apply for reconsideration. GET
renders the partial; POST with ``action`` runs one service and answers the partial again (400/403/409 with the
message on a refusal; htmx swaps them). The higher court decides a reconsideration through the API (it does not
see this court's cases)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from cases.models import Party
from cases.services import PartyInput, normalize_identifier, party_register
from core.access import get_visible_or_404
from core.exceptions import ApplicationError, InvalidInput
from core.mixins import CapabilityRequiredMixin

from . import forms_objections as forms
from .choices import Status
from .models import EnforcementCase, Objection, StatusChange
from .selectors import enforcement_case_get
from .services import objections as svc

ACTIONS = {
    "file": forms.ObjectionFileForm,
    "decide": forms.ObjectionDecideForm,
    "serve": forms.ObjectionServeForm,
    "withdraw": forms.ObjectionWithdrawForm,
    "reconsider": forms.ReconsiderationFileForm,
}


def _can(user, capability: str) -> bool:
    return bool(user.is_superuser or user.can(capability))


def _acts(ec: EnforcementCase):
    return list(StatusChange.objects.filter(enforcement_case=ec).order_by("-at", "-id")[:30])


def _parties(ec: EnforcementCase):
    return list(ec.case.party_links.select_related("party").order_by("position", "id"))


def _applicants(ec: EnforcementCase, objection: Objection | None = None):
    people = {link.party_id: link.party for link in _parties(ec)}
    if objection is not None:
        people.setdefault(objection.objector_id, objection.objector)
    return list(people.values())


def _form(action: str, ec: EnforcementCase, data=None, objection: Objection | None = None):
    if action == "file":
        return forms.ObjectionFileForm(data, parties=_parties(ec), acts=_acts(ec))
    if action == "reconsider":
        return forms.ReconsiderationFileForm(data, applicants=_applicants(ec, objection))
    return ACTIONS[action](data)


class CaseObjectionsView(CapabilityRequiredMixin, View):
    capability = "enforcement.view"
    template_name = "enforcement/objections/_panel.html"

    def _render(self, request, ec: EnforcementCase, *, error: str = "", bound=None, status: int = 200):
        user = request.user
        today = timezone.localdate()
        rows = svc.objections_of_case(user=user, enforcement_case=ec)
        can_act = _can(user, svc.CAPABILITY)
        for row in rows:
            row.decide_form = forms.ObjectionDecideForm(initial={"objection": row.pk, "on": today})
            row.serve_form = forms.ObjectionServeForm(initial={"objection": row.pk, "served_on": today})
            row.withdraw_form = forms.ObjectionWithdrawForm(initial={"objection": row.pk, "on": today})
            row.reconsider_form = forms.ReconsiderationFileForm(
                initial={"objection": row.pk, "filed_on": today}, applicants=_applicants(ec, row)
            )
            for name in ("decide_form", "serve_form", "withdraw_form", "reconsider_form"):
                getattr(row, name).auto_id = f"obj{row.pk}-{name}-%s"
        file_form = _form("file", ec)
        file_form.initial = {"filed_on": today}
        if bound is not None and bound[0] == "file":
            file_form = bound[1]
        context = {
            "enforcement_case": ec,
            "objections": rows,
            "file_form": file_form,
            "bound": bound,
            "can_act": can_act,
            "can_decide": svc.may_decide(user),
            "is_open": ec.status != Status.CLOSED,
            "error": error,
            "today": today,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk: int):
        return self._render(request, enforcement_case_get(user=request.user, pk=pk))

    def post(self, request, pk: int):
        ec = enforcement_case_get(user=request.user, pk=pk)
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            return self._render(request, ec, error=_("Unknown action."), status=400)
        objection = None
        if action != "file":
            objection = get_visible_or_404(
                Objection.objects.select_related("objector"),
                request.user,
                court_field=svc.COURT,
                pk=request.POST.get("objection") or 0,
                enforcement_case=ec,
            )
        form = _form(action, ec, request.POST, objection)
        if not form.is_valid():
            message = " ".join(str(m) for errors in form.errors.values() for m in errors)
            return self._render(request, ec, error=message, bound=(action, form), status=400)
        try:
            self._act(request, ec, action, form.cleaned_data, objection)
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise
            return self._render(
                request, ec, error=exc.message or _("Refused."), bound=(action, form), status=exc.status_code
            )
        return self._render(request, ec)

    def _act(self, request, ec, action, data, objection) -> None:
        actor = request.user
        if action == "file":
            with transaction.atomic():  # the outsider registered and the objection filed together, or neither
                svc.objection_file(
                    actor=actor,
                    enforcement_case=ec,
                    kind=data["kind"],
                    objector=self._objector(actor, ec, data),
                    grounds=data["grounds"],
                    filed_on=data["filed_on"],
                    act=StatusChange.objects.filter(enforcement_case=ec, pk=data.get("act") or 0).first(),
                    act_description=data.get("act_description") or "",
                    act_on=data.get("act_on"),
                    asset_id=data.get("asset_id"),
                )
        elif action == "decide":
            svc.objection_decide(
                actor=actor, objection=objection, upheld=data["upheld"], on=data["on"], ruling=data["ruling"]
            )
        elif action == "serve":
            svc.objection_serve(actor=actor, objection=objection, served_on=data["served_on"])
        elif action == "withdraw":
            svc.objection_withdraw(actor=actor, objection=objection, on=data["on"], reason=data["reason"])
        elif action == "reconsider":
            applicant = next(p for p in _applicants(ec, objection) if p.pk == data["applicant"])
            svc.reconsideration_file(
                actor=actor,
                objection=objection,
                applicant=applicant,
                grounds=data["grounds"],
                filed_on=data["filed_on"],
            )

    @staticmethod
    def _objector(actor, ec: EnforcementCase, data) -> Party:
        if data.get("objector"):
            link = ec.case.party_links.filter(party_id=data["objector"]).select_related("party").first()
            if link is None:
                raise InvalidInput({"objector": [_("Choose a party of this case.")]}, code="objection.objector")
            return link.party
        kind, name = data.get("outsider_kind") or "person", data["outsider_name"].strip()
        try:
            key = normalize_identifier(kind, data["outsider_id_number"])
        except ValidationError:  # a malformed identifier: the registration below reports it
            key = ""
        existing = Party.objects.filter(id_number=key).first() if key else None
        if existing is not None:
            if existing.name != name:
                raise InvalidInput(
                    {"outsider_id_number": [_("This identifier is registered to %(name)s.") % {"name": existing.name}]},
                    code="objection.objector",
                )
            return existing
        return party_register(
            actor=actor, data=PartyInput(role="third_party", kind=kind, name=name, id_number=data["outsider_id_number"])
        )
