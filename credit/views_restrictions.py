"""Pages of restrictions (限制消费令, 限制出境): the partial on the enforcement case page (the case's restrictions,
their items, bound persons with masked IDs, the order, and the issue, lift and permission forms), the action
views (one service each; success goes back to the case page, a refusal shows the form again with the
message), the order download and the court's list (filters, sorting, 50 a page, CSV/Excel export)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from cases.choices import PartyRole
from core.access import require_capability
from core.exceptions import NotFound
from core.export import MAX_EXPORT_ROWS, export_response
from core.files import stored_file_response
from core.identifiers import mask_identifier
from core.mixins import CapabilityRequiredMixin
from enforcement.choices import ClosingKind, Status

from .choices import ProhibitedConsumption, RestrictionKind, RestrictionStatus
from .forms_restrictions import PermissionForm, RestrictionIssueForm, RestrictionLiftForm
from .selectors_restrictions import (
    RestrictionFilter,
    enforcement_case_for_restrictions,
    restriction_get,
    restriction_list,
    restrictions_of_case,
)
from .services.restrictions import permission_grant, restriction_issue, restriction_lift
from .views_common import CaseActionView

LIST_PAGE = 50
ITEM_LABELS = dict(ProhibitedConsumption.choices)


def _can(user, capability: str) -> bool:
    return bool(user.is_superuser or user.can(capability))


def _debtors(ec):
    return [link.party for link in ec.case.party_links.select_related("party").filter(role=PartyRole.DEBTOR)]


def _decorate(restriction) -> None:
    """Labels and masked identifiers for the templates (never a full ID number on a page)."""
    restriction.item_labels = [ITEM_LABELS.get(value, value) for value in restriction.prohibited or []]
    restriction.persons = [
        {"role": p.get_role_display(), "name": p.name, "masked_id": mask_identifier(p.id_number)}
        for p in restriction.bound_persons.all()
    ]
    for permission in restriction.permissions.all():
        permission.item_labels = [ITEM_LABELS.get(value, value) for value in permission.allowed or []]


class CaseRestrictionsView(CapabilityRequiredMixin, View):
    """The partial on the enforcement case page (hx-get from templates/enforcement/case_detail.html)."""

    capability = "credit.view"
    template_name = "credit/_restrictions_partial.html"

    def get(self, request, enforcement_pk: int):
        ec = enforcement_case_for_restrictions(user=request.user, pk=enforcement_pk)
        restrictions = list(restrictions_of_case(user=request.user, enforcement_case=ec))
        for restriction in restrictions:
            _decorate(restriction)
            active = restriction.status == RestrictionStatus.ACTIVE
            restriction.lift_form = RestrictionLiftForm(initial={"restriction": restriction.pk}) if active else None
            restriction.permission_form = (
                PermissionForm(initial={"restriction": restriction.pk})
                if active and restriction.kind == RestrictionKind.CONSUMPTION
                else None
            )
        may_issue = ec.status != Status.CLOSED or ec.closing_kind == ClosingKind.TERMINATED_THIS_ROUND
        context = {
            "enforcement_case": ec,
            "restrictions": restrictions,
            "can_restrict": _can(request.user, "credit.restrict"),
            "may_issue": may_issue,
            "issue_form": RestrictionIssueForm(debtors=_debtors(ec)),
        }
        return render(request, self.template_name, context)


class _RestrictionActionView(CaseActionView):
    """POST only: parse ``form_class``, call ``perform`` (one service); back to the case page with a message,
    or the form again (status 400) with the refusal."""

    capability = "credit.restrict"
    template_name = "credit/restriction_action.html"

    def get_case(self, user, pk: int):
        return enforcement_case_for_restrictions(user=user, pk=pk)

    def restriction_of(self, ec, pk):
        restriction = restriction_get(user=self.request.user, pk=pk)
        if restriction.enforcement_case_id != ec.pk:
            raise NotFound(_("Not found."))
        return restriction


class RestrictionIssueView(_RestrictionActionView):
    form_class = RestrictionIssueForm

    @property
    def title(self):
        return _("Issue a restriction")

    def form(self, ec, data=None):
        return RestrictionIssueForm(data, debtors=_debtors(ec))

    def perform(self, ec, form):
        restriction = restriction_issue(actor=self.request.user, enforcement_case=ec, **form.service_kwargs())
        return _("%(kind)s issued: %(number)s.") % {
            "kind": restriction.get_kind_display(),
            "number": restriction.order_number,
        }


class RestrictionLiftView(_RestrictionActionView):
    form_class = RestrictionLiftForm

    @property
    def title(self):
        return _("Lift a restriction")

    def perform(self, ec, form):
        data = form.cleaned_data
        restriction = self.restriction_of(ec, data["restriction"])
        restriction_lift(
            actor=self.request.user,
            restriction=restriction,
            ground=data["ground"],
            reason=data["reason"],
            on=data.get("on") or None,
        )
        return _("Restriction %(number)s lifted.") % {"number": restriction.order_number}


class PermissionGrantView(_RestrictionActionView):
    form_class = PermissionForm

    @property
    def title(self):
        return _("Grant a temporary permission")

    def perform(self, ec, form):
        data = form.cleaned_data
        restriction = self.restriction_of(ec, data["restriction"])
        permission_grant(
            actor=self.request.user,
            restriction=restriction,
            purpose=data["purpose"],
            allowed=data["allowed"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
        )
        return _("Temporary permission granted until %(day)s.") % {"day": data["valid_until"].isoformat()}


class RestrictionOrderView(CapabilityRequiredMixin, View):
    """The order (.docx) of a restriction, to users who can see its case."""

    capability = "credit.view"

    def get(self, request, pk: int):
        restriction = restriction_get(user=request.user, pk=pk)
        name = f"{restriction.get_kind_display()}-{restriction.enforcement_case.case.number}.docx"
        return stored_file_response(restriction.order, filename=name)


class RestrictionListView(CapabilityRequiredMixin, ListView):
    """The court's restrictions: filters (kind, status, debtor name, case number, issued between), sorting,
    50 a page, CSV/Excel export of the filtered list (capability case.export). IDs masked."""

    capability = "credit.view"
    template_name = "credit/restriction_list.html"
    paginate_by = LIST_PAGE
    context_object_name = "restrictions"

    def get_queryset(self):
        self.filterset = RestrictionFilter(self.request.GET or None, queryset=restriction_list(user=self.request.user))
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("export")
        if kind in ("csv", "xlsx"):
            require_capability(request.user, "case.export")
            return self._export(kind)
        return super().get(request, *args, **kwargs)

    def _export(self, kind: str):
        def rows():
            for r in self.get_queryset()[:MAX_EXPORT_ROWS]:
                yield [
                    r.order_number,
                    r.get_kind_display(),
                    r.get_status_display(),
                    r.debtor.name,
                    r.debtor.masked_id_number,
                    r.enforcement_case.case.number,
                    r.issued_on,
                    "；".join(str(ITEM_LABELS.get(v, v)) for v in r.prohibited or []),
                    "；".join(f"{p.get_role_display()} {p.name}" for p in r.bound_persons.all()),
                    r.lifted_on,
                    r.get_lift_ground_display() if r.lift_ground else "",
                ]

        header = [
            _("Order number"),
            _("Kind"),
            _("Status"),
            _("Debtor"),
            _("Identifier"),
            _("Case number"),
            _("Issued on"),
            _("Prohibited consumption"),
            _("Bound persons"),
            _("Lifted on"),
            _("Lifted because"),
        ]
        return export_response(
            kind=kind,
            filename="restrictions",
            header=header,
            rows=rows(),
            request=self.request,
            total=self.get_queryset(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for restriction in context["restrictions"]:
            _decorate(restriction)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        context.update(filter=self.filterset, query=query.urlencode())
        return context
