"""Pages of bankruptcy (破, issue 8): the 执转破 screening list with the court's transfers and those awaiting its
decision, proposing a transfer, a transfer's page (consents, ruling, withdrawal, the receiving court's
decision), the bankruptcy case's page (administrator, effects on every enforcement case, claims, review,
distribution, declaration, closing) and a debtor's page across courts. Each action posts to a view that calls
one service; a refusal renders the page again (400) with the message on the form and nothing written."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from cases.choices import PartyRole
from cases.models import CaseParty, Party
from core.exceptions import ApplicationError, InvalidInput, NotFound, PermissionDenied
from core.files import stored_file_response
from core.forms import add_service_errors
from core.mixins import CapabilityRequiredMixin
from enforcement.models import EnforcementCase

from . import forms as f
from . import selectors as s
from . import services
from .choices import BankruptcyStatus, ClaimStatus, TransferStatus


def _form_error() -> str:
    return _("Correct the errors in the form.")


def _can(user, capability: str) -> bool:
    return bool(user.is_superuser or user.can(capability))


def _at(user, court_id: int) -> bool:
    """The user works at court ``court_id`` (or is a superuser)."""
    return bool(user.is_superuser or user.court_id == court_id)


class _ActionView(CapabilityRequiredMixin, View):
    """POST one action: ``get_object`` (scoped, 404), ``make_form``, ``perform`` (one service, returns the
    success message), ``success_url``; a refusal re-renders ``page`` with the bound form under ``action``."""

    http_method_names = ["post"]
    action = ""

    def get_object(self):
        raise NotImplementedError

    def make_form(self, obj, data):
        raise NotImplementedError

    def perform(self, obj, data) -> str:
        raise NotImplementedError

    def success_url(self, obj, result) -> str:
        raise NotImplementedError

    def refused(self, obj, form, message):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.make_form(obj, request.POST)
        message = _form_error()
        if form.is_valid():
            try:
                result = self.perform(obj, form.cleaned_data)
            except (NotFound, PermissionDenied):
                raise
            except InvalidInput as error:
                add_service_errors(form, error)
                message = error.message
            except ApplicationError as error:
                form.add_error(None, error.message)
                message = error.message
            else:
                success, target = result if isinstance(result, tuple) else (result, None)
                messages.success(request, success)
                return redirect(self.success_url(obj, target))
        return self.refused(obj, form, message)


# ---- the screening list ------------------------------------------------------------------------------------------


def screening_context(request, bound: dict | None = None, error: str = "") -> dict:
    bound = bound or {}
    user = request.user
    today = timezone.localdate()
    suggestions = list(s.suggestion_list(user=user).prefetch_related("courts"))
    failed = bound.get("dismiss")
    for suggestion in suggestions:
        if failed is not None and str(failed.suggestion_pk) == str(suggestion.pk):
            suggestion.dismiss_form = failed
        else:
            suggestion.dismiss_form = f.DismissForm(auto_id=f"id_dismiss{suggestion.pk}_%s")
    outgoing = list(s.transfers_outgoing(user=user)[:50])
    incoming = list(s.transfers_awaiting_decision(user=user))
    for transfer in incoming:
        transfer.days_left = (transfer.decision_due_on - today).days if transfer.decision_due_on else None
    return {
        "suggestions": suggestions,
        "outgoing": outgoing,
        "incoming": incoming,
        "bankruptcy_cases": list(s.bankruptcy_case_list(user=user).exclude(status=BankruptcyStatus.CLOSED)[:50]),
        "can_refresh": _can(user, "bankruptcy.rule"),
        "can_transfer": _can(user, "bankruptcy.transfer"),
        "refresh_form": bound.get("refresh") or f.EmptyForm(),
        "error": error,
        "today": today,
    }


class ScreeningView(CapabilityRequiredMixin, TemplateView):
    capability = "bankruptcy.view"
    template_name = "bankruptcy/screening.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(screening_context(self.request, kwargs.get("bound"), kwargs.get("error", "")))
        return context


class _ScreeningAction(_ActionView):
    def refused(self, obj, form, message):
        view = ScreeningView()
        view.setup(self.request)
        context = view.get_context_data(bound={self.action: form}, error=message)
        return view.render_to_response(context, status=400)

    def success_url(self, obj, result) -> str:
        return reverse("bankruptcy:index")


class RefreshView(_ScreeningAction):
    """Run the screening now (the job runs nightly): division heads."""

    capability = "bankruptcy.rule"
    action = "refresh"

    def get_object(self):
        return None

    def make_form(self, obj, data):
        return f.EmptyForm(data)

    def perform(self, obj, data):
        counts = services.suggestions_refresh()
        return _("Screening refreshed: %(new)s new, %(updated)s updated, %(stale)s no longer indicated.") % counts


class DismissView(_ScreeningAction):
    capability = "bankruptcy.transfer"
    action = "dismiss"

    def get_object(self):
        return s.suggestion_get(user=self.request.user, pk=self.kwargs["pk"])

    def make_form(self, obj, data):
        form = f.DismissForm(data, auto_id=f"id_dismiss{obj.pk}_%s")
        form.suggestion_pk = obj.pk
        return form

    def perform(self, obj, data):
        services.suggestion_dismiss(actor=self.request.user, suggestion=obj, note=data["note"])
        return _("Suggestion dismissed.")


# ---- proposing a transfer ------------------------------------------------------------------------------------------


class TransferProposeView(CapabilityRequiredMixin, TemplateView):
    """Start 执转破 against a debtor of the user's court: the receiving court is one of its domicile courts."""

    capability = "bankruptcy.transfer"
    template_name = "bankruptcy/transfer_new.html"

    def debtor(self) -> Party:
        return s.debtor_get(user=self.request.user, party_id=self.request.GET.get("debtor", ""))

    def suggestion(self, debtor):
        pk = self.request.GET.get("suggestion") or self.request.POST.get("suggestion")
        if not pk:
            return None
        suggestion = s.suggestion_list(user=self.request.user).filter(pk=pk if str(pk).isdigit() else 0).first()
        return suggestion if suggestion is not None and suggestion.debtor_id == debtor.pk else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        debtor = kwargs.get("debtor") or self.debtor()
        suggestion = self.suggestion(debtor)
        form = kwargs.get("form") or f.TransferProposeForm(
            courts=services.domicile_courts(debtor), initial={"suggestion": suggestion.pk if suggestion else None}
        )
        user = self.request.user
        cases = services.debtor_enforcement_cases(debtor).select_related("case__court").order_by("pk")
        if not user.is_superuser:
            cases = cases.filter(case__court=user.court_id)
        context.update(
            debtor=debtor,
            suggestion=suggestion,
            form=form,
            cases=list(cases),
            domicile_region=services.domicile_region(debtor),
            error=kwargs.get("error", ""),
        )
        return context

    def post(self, request, *args, **kwargs):
        debtor = self.debtor()
        form = f.TransferProposeForm(request.POST, courts=services.domicile_courts(debtor))
        error = _form_error()
        if form.is_valid():
            data = form.cleaned_data
            try:
                transfer = services.transfer_propose(
                    actor=request.user,
                    debtor=debtor,
                    receiving_court=data["receiving_court"],
                    grounds=data["grounds"],
                    on=data["on"],
                    suggestion=self.suggestion(debtor),
                )
            except (NotFound, PermissionDenied):
                raise
            except InvalidInput as refusal:
                add_service_errors(form, refusal)
                error = refusal.message
            except ApplicationError as refusal:
                form.add_error(None, refusal.message)
                error = refusal.message
            else:
                messages.success(request, _("Transfer proposed: the notice is generated; record the answers."))
                return redirect("bankruptcy:transfer", pk=transfer.pk)
        context = self.get_context_data(debtor=debtor, form=form, error=error)
        return self.render_to_response(context, status=400)


# ---- a transfer ----------------------------------------------------------------------------------------------------


def _notice_parties(transfer):
    cases = transfer.enforcement_cases.all()
    ids = set(
        CaseParty.objects.filter(case__enforcement__in=cases, role=PartyRole.CREDITOR).values_list(
            "party_id", flat=True
        )
    )
    ids.add(transfer.debtor_id)
    return Party.objects.filter(pk__in=ids).order_by("pk")


def transfer_context(request, transfer, bound: dict | None = None, error: str = "") -> dict:
    bound = bound or {}
    user = request.user
    notifying = transfer.status == TransferStatus.NOTIFYING
    at_court = _at(user, transfer.court_id)
    at_receiving = _at(user, transfer.receiving_court_id)
    consents = list(transfer.consents.select_related("party", "recorded_by"))
    answered = {c.party_id for c in consents}
    parties = _notice_parties(transfer).exclude(pk__in=answered)
    today = timezone.localdate()
    return {
        "transfer": transfer,
        "cases": list(transfer.enforcement_cases.select_related("case__court").order_by("pk")),
        "consents": consents,
        "days_left": (transfer.decision_due_on - today).days if transfer.decision_due_on else None,
        "bankruptcy_case": getattr(transfer, "bankruptcy_case", None),
        "can_consent": notifying and at_court and _can(user, "bankruptcy.transfer"),
        "can_rule": notifying and at_court and _can(user, "bankruptcy.rule"),
        "can_withdraw": notifying and at_court and _can(user, "bankruptcy.transfer"),
        "can_decide": transfer.status == TransferStatus.TRANSFERRED
        and at_receiving
        and _can(user, "bankruptcy.decide"),
        "consent_form": bound.get("consent") or f.ConsentForm(parties=parties),
        "rule_form": bound.get("rule") or f.RuleForm(),
        "withdraw_form": bound.get("withdraw") or f.WithdrawForm(),
        "decide_form": bound.get("decide") or f.DecideForm(),
        "error": error,
    }


class TransferDetailView(CapabilityRequiredMixin, TemplateView):
    capability = "bankruptcy.view"
    template_name = "bankruptcy/transfer_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        transfer = s.transfer_get(user=self.request.user, pk=kwargs["pk"])
        context.update(transfer_context(self.request, transfer, kwargs.get("bound"), kwargs.get("error", "")))
        return context


class TransferNoticeView(CapabilityRequiredMixin, View):
    """The 执转破告知书 (.docx), to both courts."""

    capability = "bankruptcy.view"

    def get(self, request, pk: int):
        transfer = s.transfer_get(user=request.user, pk=pk)
        return stored_file_response(transfer.notice_document, filename=f"执转破告知书-{transfer.pk}.docx")


class _TransferAction(_ActionView):
    def get_object(self):
        return s.transfer_get(user=self.request.user, pk=self.kwargs["pk"])

    def make_form(self, obj, data):
        return {"rule": f.RuleForm, "withdraw": f.WithdrawForm, "decide": f.DecideForm}[self.action](data)

    def success_url(self, obj, result) -> str:
        return reverse("bankruptcy:transfer", args=[obj.pk])

    def refused(self, obj, form, message):
        view = TransferDetailView()
        view.setup(self.request, pk=obj.pk)
        context = view.get_context_data(pk=obj.pk, bound={self.action: form}, error=message)
        return view.render_to_response(context, status=400)


class ConsentView(_TransferAction):
    capability = "bankruptcy.transfer"
    action = "consent"

    def make_form(self, obj, data):
        return f.ConsentForm(data, parties=_notice_parties(obj))

    def perform(self, obj, data):
        services.consent_record(
            actor=self.request.user,
            transfer=obj,
            party=data["party"],
            consents=data["consents"],
            answered_on=data["answered_on"],
            note=data["note"],
        )
        return _("Answer recorded.")


class RuleView(_TransferAction):
    capability = "bankruptcy.rule"
    action = "rule"

    def perform(self, obj, data):
        services.transfer_rule(actor=self.request.user, transfer=obj, on=data["on"])
        return _("Transfer ruled: the cases are suspended and the file sent; the decision is due in 30 days.")


class WithdrawView(_TransferAction):
    capability = "bankruptcy.transfer"
    action = "withdraw"

    def perform(self, obj, data):
        services.transfer_withdraw(actor=self.request.user, transfer=obj, reason=data["reason"])
        return _("Transfer withdrawn: enforcement goes on.")


class DecideView(_TransferAction):
    capability = "bankruptcy.decide"
    action = "decide"

    def perform(self, obj, data):
        accept = data["decision"] == "accept"
        services.transfer_decide(
            actor=self.request.user,
            transfer=obj,
            accept=accept,
            on=data["on"],
            reason=data["reason"],
            administrator=data["administrator"],
        )
        if accept:
            return _("Bankruptcy case accepted: every enforcement case against the debtor is being suspended.")
        return _("Not accepted: the file is returned and enforcement resumes.")


# ---- a bankruptcy case ---------------------------------------------------------------------------------------------


def _claim_choices(bc):
    prefill = services.claim_prefill(bc)
    creditor_ids = {row["creditor"].pk for row in prefill} | set(
        bc.case.party_links.filter(role=PartyRole.APPLICANT).values_list("party_id", flat=True)
    )
    creditors = Party.objects.filter(pk__in=creditor_ids).order_by("name", "pk")
    enforcement_cases = list(services.debtor_enforcement_cases(bc.debtor).select_related("case").order_by("pk"))
    return prefill, creditors, enforcement_cases


def _claim_form(bc, data=None, **kwargs):
    _prefill, creditors, enforcement_cases = _claim_choices(bc)
    return f.ClaimFileForm(data, creditors=creditors, enforcement_cases=enforcement_cases, **kwargs)


def case_context(request, bc, bound: dict | None = None, error: str = "") -> dict:
    bound = bound or {}
    user = request.user
    can_act = _at(user, bc.case.court_id) and _can(user, "bankruptcy.decide")
    is_open = bc.status != BankruptcyStatus.CLOSED
    effects = list(bc.effects.select_related("enforcement_case__case__court").order_by("enforcement_case_id", "pk"))
    claims = list(bc.claims.select_related("creditor", "enforcement_case__case").prefetch_related("shares"))
    failed_review = bound.get("review")
    for claim in claims:
        claim.review_form = None
        if can_act and claim.status == ClaimStatus.FILED:
            if failed_review is not None and str(failed_review.data.get("claim")) == str(claim.pk):
                claim.review_form = failed_review
            else:
                claim.review_form = f.ClaimReviewForm(
                    initial={"claim": claim.pk, "admitted_amount": claim.amount}, auto_id=f"id_review{claim.pk}_%s"
                )
    prefill, creditors, enforcement_cases = _claim_choices(bc)
    filed = {(c.creditor_id, c.enforcement_case_id) for c in claims}
    rows = []
    for i, row in enumerate(prefill):
        if (row["creditor"].pk, row["enforcement_case"].pk) in filed:
            continue
        rows.append(
            {
                **row,
                "form": f.ClaimFileForm(
                    initial={
                        "creditor": row["creditor"].pk,
                        "enforcement_case": row["enforcement_case"].pk,
                        "amount": row["amount"],
                    },
                    creditors=creditors,
                    enforcement_cases=enforcement_cases,
                    auto_id=f"id_prefill{i}_%s",
                ),
            }
        )
    return {
        "bc": bc,
        "effects": effects,
        "claims": claims,
        "prefill_rows": rows if can_act and is_open else [],
        "distributions": list(bc.distributions.prefetch_related("shares__claim__creditor")),
        "can_act": can_act and is_open,
        "can_declare": can_act and bc.status == BankruptcyStatus.ACCEPTED,
        "can_distribute": can_act and bc.status == BankruptcyStatus.DECLARED,
        "can_close": can_act and bc.status == BankruptcyStatus.DECLARED,
        "administrator_form": bound.get("administrator")
        or f.AdministratorForm(
            initial={"administrator": bc.administrator, "claims_deadline_on": bc.claims_deadline_on}
        ),
        "claim_form": bound.get("claim") or f.ClaimFileForm(creditors=creditors, enforcement_cases=enforcement_cases),
        "distribution_form": bound.get("distribution") or f.DistributionForm(),
        "declare_form": bound.get("declare") or f.DeclareForm(),
        "close_form": bound.get("close") or f.CloseForm(),
        "error": error,
    }


class CaseDetailView(CapabilityRequiredMixin, TemplateView):
    capability = "bankruptcy.view"
    template_name = "bankruptcy/case_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bc = s.bankruptcy_case_get(user=self.request.user, pk=kwargs["pk"])
        context.update(case_context(self.request, bc, kwargs.get("bound"), kwargs.get("error", "")))
        return context


class _CaseAction(_ActionView):
    capability = "bankruptcy.decide"
    form_class = None

    def get_object(self):
        return s.bankruptcy_case_get(user=self.request.user, pk=self.kwargs["pk"])

    def make_form(self, obj, data):
        return self.form_class(data)

    def success_url(self, obj, result) -> str:
        return reverse("bankruptcy:case", args=[obj.pk])

    def refused(self, obj, form, message):
        view = CaseDetailView()
        view.setup(self.request, pk=obj.pk)
        context = view.get_context_data(pk=obj.pk, bound={self.action: form}, error=message)
        return view.render_to_response(context, status=400)


class AdministratorView(_CaseAction):
    action = "administrator"
    form_class = f.AdministratorForm

    def perform(self, obj, data):
        services.administrator_appoint(actor=self.request.user, bankruptcy_case=obj, **data)
        return _("Administrator appointed.")


class ClaimFileView(_CaseAction):
    action = "claim"

    def make_form(self, obj, data):
        return _claim_form(obj, data)

    def perform(self, obj, data):
        ec = EnforcementCase.objects.filter(pk=data["enforcement_case"]).first() if data["enforcement_case"] else None
        services.claim_file(
            actor=self.request.user,
            bankruptcy_case=obj,
            creditor=data["creditor"],
            kind=data["kind"],
            amount=data["amount"],
            on=data["on"],
            enforcement_case=ec,
            documents=data["documents"],
        )
        return _("Claim registered.")


class ClaimReviewView(_CaseAction):
    action = "review"
    form_class = f.ClaimReviewForm

    def perform(self, obj, data):
        claim = obj.claims.filter(pk=data["claim"]).first()
        if claim is None:
            raise InvalidInput({"claim": [_("No such claim in this case.")]})
        services.claim_review(
            actor=self.request.user,
            claim=claim,
            admitted_amount=data["admitted_amount"],
            on=data["on"],
            note=data["note"],
        )
        return _("Claim reviewed.")


class DistributionView(_CaseAction):
    action = "distribution"
    form_class = f.DistributionForm

    def perform(self, obj, data):
        services.distribution_record(actor=self.request.user, bankruptcy_case=obj, **data)
        return _("Distribution recorded.")


class DeclareView(_CaseAction):
    action = "declare"
    form_class = f.DeclareForm

    def perform(self, obj, data):
        services.bankruptcy_declare(actor=self.request.user, bankruptcy_case=obj, on=data["on"])
        return _("Debtor declared bankrupt: the enforcement cases it suspended are ended.")


class CloseView(_CaseAction):
    action = "close"
    form_class = f.CloseForm

    def perform(self, obj, data):
        services.bankruptcy_close(actor=self.request.user, bankruptcy_case=obj, on=data["on"], note=data["note"])
        return _("Bankruptcy case closed.")


# ---- a debtor across courts ----------------------------------------------------------------------------------------


class DebtorView(CapabilityRequiredMixin, TemplateView):
    """Every enforcement case against the debtor in every court, with what bankruptcy did to it; to the staff of
    any court that has one of them."""

    capability = "bankruptcy.view"
    template_name = "bankruptcy/debtor.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        debtor = s.debtor_get(user=user, party_id=kwargs["party_id"])
        context.update(s.debtor_overview(user=user, debtor=debtor))
        context.update(
            debtor=debtor,
            domicile_region=services.domicile_region(debtor),
            domicile_courts=list(services.domicile_courts(debtor)),
            can_transfer=_can(user, "bankruptcy.transfer") and debtor.kind == "organisation",
        )
        return context
