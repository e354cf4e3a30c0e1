"""Pages of the dishonest list (失信被执行人名单): the partial on the enforcement case page (the case's entries,
their dates and removal deadlines, and the propose, decide, extend and remove forms), the action views (one
service each; success goes back to the case page, a refusal shows the form again with the message), the
decision download and the court's list (filters, sorting, 50 a page, CSV/Excel export, overdue removals
highlighted)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views import View
from django.views.generic import ListView

from cases.choices import PartyRole
from core.access import require_capability
from core.exceptions import NotFound
from core.export import MAX_EXPORT_ROWS, export_response
from core.files import stored_file_response
from core.mixins import CapabilityRequiredMixin
from enforcement.choices import ClosingKind, Status

from .choices import ListingGround, ListingStatus
from .forms_listing import ListingDecideForm, ListingExtendForm, ListingProposeForm, ListingRemoveForm
from .selectors import ListingFilter, enforcement_case_for_listing, listing_get, listing_list, listings_of_case
from .services.listing import listing_decide, listing_extend, listing_propose
from .services.removal import listing_remove_early, listing_remove_on_applicant_request
from .views_common import CaseActionView

LIST_PAGE = 50


def _can(user, capability: str) -> bool:
    return bool(user.is_superuser or user.can(capability))


def _debtors(ec):
    return [link.party for link in ec.case.party_links.select_related("party").filter(role=PartyRole.DEBTOR)]


def _decorate(listing, *, today, user) -> None:
    listing.overdue = bool(
        listing.status == ListingStatus.LISTED and listing.removal_due_on and listing.removal_due_on < today
    )
    listed = listing.status == ListingStatus.LISTED
    listing.decide_form = (
        ListingDecideForm(initial={"listing": listing.pk})
        if listing.status == ListingStatus.PENDING and listing.proposed_by_id != user.pk
        else None
    )
    listing.extend_form = (
        ListingExtendForm(initial={"listing": listing.pk})
        if listed and listing.ground != ListingGround.ABLE_BUT_REFUSES and listing.extension_years < 3
        else None
    )
    listing.remove_form = ListingRemoveForm(initial={"listing": listing.pk}) if listed else None


class CaseListingsView(CapabilityRequiredMixin, View):
    """The partial on the enforcement case page (hx-get from templates/enforcement/case_detail.html)."""

    capability = "credit.view"
    template_name = "credit/_listings_partial.html"

    def get(self, request, enforcement_pk: int):
        ec = enforcement_case_for_listing(user=request.user, pk=enforcement_pk)
        listings = list(listings_of_case(user=request.user, enforcement_case=ec))
        today = timezone.localdate()
        for listing in listings:
            _decorate(listing, today=today, user=request.user)
        context = {
            "enforcement_case": ec,
            "listings": listings,
            "can_propose": _can(request.user, "credit.propose"),
            "can_approve": _can(request.user, "credit.approve"),
            "may_propose": ec.status != Status.CLOSED or ec.closing_kind == ClosingKind.TERMINATED_THIS_ROUND,
            "propose_form": ListingProposeForm(debtors=_debtors(ec)),
        }
        return render(request, self.template_name, context)


class _ListingActionView(CaseActionView):
    """POST only: parse ``form_class``, call ``perform`` (one service); back to the case page with a message,
    or the form again (status 400) with the refusal."""

    capability = "credit.approve"
    template_name = "credit/case_action.html"

    def listing_of(self, ec, pk):
        listing = listing_get(user=self.request.user, pk=pk)
        if listing.enforcement_case_id != ec.pk:
            raise NotFound(_("Not found."))
        return listing

    def get_case(self, user, pk: int):
        return enforcement_case_for_listing(user=user, pk=pk)


class ListingProposeView(_ListingActionView):
    capability = "credit.propose"
    form_class = ListingProposeForm

    @property
    def title(self):
        return _("Propose a dishonest listing")

    def form(self, ec, data=None):
        return ListingProposeForm(data, debtors=_debtors(ec))

    def perform(self, ec, form):
        listing = listing_propose(actor=self.request.user, enforcement_case=ec, **form.service_kwargs())
        return _("%(name)s proposed for the dishonest list; waiting for a division head.") % {
            "name": listing.debtor_name
        }


class ListingDecideView(_ListingActionView):
    form_class = ListingDecideForm

    @property
    def title(self):
        return _("Decide a dishonest listing")

    def perform(self, ec, form):
        data = form.cleaned_data
        listing = listing_decide(
            actor=self.request.user,
            listing=self.listing_of(ec, data["listing"]),
            approve=data["approve"],
            note=data["note"],
            bound_persons=form.bound_persons(),
        )
        if listing.status == ListingStatus.LISTED:
            return _("%(name)s listed as dishonest: %(number)s.") % {
                "name": listing.debtor_name,
                "number": listing.decision_number,
            }
        return _("The listing proposal was refused.")


class ListingExtendView(_ListingActionView):
    form_class = ListingExtendForm

    @property
    def title(self):
        return _("Extend a dishonest listing")

    def perform(self, ec, form):
        data = form.cleaned_data
        listing = listing_extend(
            actor=self.request.user,
            listing=self.listing_of(ec, data["listing"]),
            years=data["years"],
            reason=data["reason"],
        )
        return _("Listing extended until %(day)s.") % {"day": listing.expires_on.isoformat()}


class ListingRemoveView(_ListingActionView):
    form_class = ListingRemoveForm

    @property
    def title(self):
        return _("Remove a dishonest listing")

    def perform(self, ec, form):
        data = form.cleaned_data
        listing = self.listing_of(ec, data["listing"])
        if data["kind"] == "applicant_request":
            listing_remove_on_applicant_request(actor=self.request.user, listing=listing, request_text=data["reason"])
        else:
            listing_remove_early(actor=self.request.user, listing=listing, reason=data["reason"])
        return _("%(name)s removed from the dishonest list.") % {"name": listing.debtor_name}


class ListingDecisionView(CapabilityRequiredMixin, View):
    """The listing decision (.docx), to users who can see its case."""

    capability = "credit.view"

    def get(self, request, pk: int):
        listing = listing_get(user=request.user, pk=pk)
        name = f"失信决定-{listing.enforcement_case.case.number}-{listing.pk}.docx"
        return stored_file_response(listing.decision, filename=name)


class ListingListView(CapabilityRequiredMixin, ListView):
    """The court's dishonest-list entries: filters (status, ground, name, case, removal overdue, due within N
    days), sorting, 50 a page, CSV/Excel export (capability case.export). IDs masked."""

    capability = "credit.view"
    template_name = "credit/listing_list.html"
    paginate_by = LIST_PAGE
    context_object_name = "listings"

    def get_queryset(self):
        self.filterset = ListingFilter(self.request.GET or None, queryset=listing_list(user=self.request.user))
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
            for x in self.get_queryset()[:MAX_EXPORT_ROWS]:
                yield [
                    x.enforcement_case.case.number,
                    x.debtor_name,
                    x.debtor.masked_id_number,
                    x.get_ground_display(),
                    x.get_status_display(),
                    x.decision_number,
                    x.listed_on,
                    x.expires_on,
                    x.get_removal_event_display() if x.removal_event else "",
                    x.removal_due_on,
                    x.removed_on,
                ]

        header = [
            _("Case number"),
            _("Debtor"),
            _("Identifier"),
            pgettext_lazy("credit", "Ground"),
            _("Status"),
            _("Decision number"),
            _("Listed on"),
            _("Listed until"),
            _("Removal event"),
            _("To be removed by"),
            _("Removed on"),
        ]
        return export_response(
            kind=kind,
            filename="dishonest-listings",
            header=header,
            rows=rows(),
            request=self.request,
            total=self.get_queryset(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for listing in context["listings"]:
            listing.overdue = bool(
                listing.status == ListingStatus.LISTED and listing.removal_due_on and listing.removal_due_on < today
            )
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        context.update(filter=self.filterset, query=query.urlencode())
        return context
