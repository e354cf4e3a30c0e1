from __future__ import annotations

from django.contrib import messages
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from core.exceptions import ApplicationError, InvalidInput
from core.export import MAX_EXPORT_ROWS, export_response
from core.files import stored_file_response
from core.mixins import CapabilityRequiredMixin

from .api import DOCX
from .choices import LITIGATION_TYPES
from .filters import CaseFilter
from .forms import (
    CaseFileForm,
    DocumentEffectiveForm,
    DocumentForm,
    DocumentPerformedForm,
    MeasureForm,
    NoticeDecisionForm,
    PartyFormSet,
    PreservationDecideForm,
    PreservationForm,
    RelationForm,
    TransferForm,
    TrialEventForm,
    apply_error_to_form,
    apply_service_errors,
)
from .models import Notification
from .notice_docx import notice_filename
from .recommendation import THRESHOLD
from .selectors import (
    case_alerts,
    case_clues,
    case_current_findings,
    case_documents,
    case_get,
    case_list,
    case_notice_decisions,
    case_preservations,
    case_recommendations,
    case_trial_events,
    document_get,
    notice_decision_get,
    party_by_identifier,
    party_cases,
    party_get_personal,
    preservation_get,
)
from .services import (
    PartyInput,
    case_file,
    document_mark_effective,
    document_mark_performed,
    document_record,
    notification_mark_read,
    party_relation_record,
    preservation_apply,
    preservation_decide,
    preservation_measure_add,
    preservation_notice_decide,
    preservation_notice_document,
    property_transfer_record,
    trial_event_record,
)


class CaseListView(CapabilityRequiredMixin, ListView):
    capability = "case.view"
    template_name = "cases/case_list.html"
    paginate_by = 50
    context_object_name = "cases"

    def get_queryset(self):
        self.filterset = CaseFilter(self.request.GET or None, queryset=case_list(user=self.request.user))
        return self.filterset.qs

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("export")
        if kind in ("csv", "xlsx") and (request.user.is_superuser or request.user.can("case.export")):
            return self._export(kind)
        return super().get(request, *args, **kwargs)

    def _export(self, kind: str):
        rows = (
            [
                c.number,
                c.get_case_type_display(),
                c.court.name,
                c.filing_date,
                c.amount,
                c.cause,
                "；".join(f"{link.get_role_display()} {link.party.name}" for link in c.party_links.all()),
            ]
            for c in self.get_queryset()[:MAX_EXPORT_ROWS]
        )
        header = [
            _("Case number"),
            _("Case type"),
            _("Court"),
            _("Filing date"),
            _("Amount"),
            _("Cause of action"),
            _("Parties"),
        ]
        return export_response(
            kind=kind,
            filename="cases",
            header=header,
            rows=rows,
            request=self.request,
            total=self.get_queryset(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=self.filterset,
            query=query.urlencode(),
            can_file=self.request.user.is_superuser or self.request.user.can("case.file"),
        )
        return context


class CaseFileView(CapabilityRequiredMixin, TemplateView):
    capability = "case.file"
    template_name = "cases/case_form.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(
            self.get_context_data(form=CaseFileForm(user=request.user), formset=PartyFormSet(prefix="parties"))
        )

    def post(self, request, *args, **kwargs):
        form = CaseFileForm(request.POST, user=request.user)
        formset = PartyFormSet(request.POST, prefix="parties")
        if form.is_valid() and formset.is_valid():
            rows = [i for i, f in enumerate(formset.forms) if not f.is_blank()]
            parties = [PartyInput(**formset.forms[i].cleaned_data) for i in rows]
            try:
                case = case_file(actor=request.user, parties=parties, number="", **form.cleaned_data)
            except InvalidInput as error:
                apply_service_errors(error, form, formset, rows)
            else:
                messages.success(request, _("Case %(number)s filed.") % {"number": case.number})
                for alert in case.filing_alerts.select_related("party"):
                    messages.warning(request, alert.sentence)
                return redirect(reverse("cases:detail", args=[case.pk]))
        return self.render_to_response(self.get_context_data(form=form, formset=formset), status=400)


def detail_context(request, case, *, failed: tuple[str, int | None, object] | None = None) -> dict:
    """Everything the case page shows, with a fresh form for each action; ``failed`` = (form key, object
    id, bound form) puts back the form that was just refused, with its errors."""
    key, failed_id, bound = failed or ("", None, None)

    def refused(name: str, obj_id: int | None = None):
        return bound if (key == name and obj_id == failed_id) else None

    documents = list(case_documents(case=case))
    for document in documents:
        document.effective_form = refused("effective", document.pk) or DocumentEffectiveForm(prefix=f"e{document.pk}")
        document.performed_form = refused("performed", document.pk) or DocumentPerformedForm(prefix=f"p{document.pk}")
    preservations = list(case_preservations(case=case))
    for application in preservations:
        pk = application.pk
        application.decide_form = refused("decide", pk) or PreservationDecideForm(prefix=f"d{pk}")
        application.measure_form = refused("measure", pk) or MeasureForm(prefix=f"m{pk}")
    recommendations = []
    for party, result in case_recommendations(case=case):
        initial = {"party_id": party.pk, "send": "yes" if result.recommended else "no"}
        notice_form = refused("notice", party.pk) or NoticeDecisionForm(prefix=f"n{party.pk}", initial=initial)
        recommendations.append({"party": party, "result": result, "form": notice_form})
    return {
        "case": case,
        "source_case": case.source_case if case.source_case_id else None,
        "appeals": list(case.follow_on_cases.all()),
        "trial_events": list(case_trial_events(case=case)),
        "documents": documents,
        "preservations": preservations,
        "alerts": list(case_alerts(case=case)),
        "current_findings": case_current_findings(case=case),
        "recommendations": recommendations,
        "recommendation_threshold": THRESHOLD,
        "notice_decisions": list(case_notice_decisions(case=case)),
        "is_litigation": case.case_type in LITIGATION_TYPES,
        "trial_form": refused("trial") or TrialEventForm(),
        "document_form": refused("document") or DocumentForm(case=case),
        "preservation_form": refused("preservation") or PreservationForm(case=case),
        "today": timezone.localdate(),
        **clue_context(case, refused),
    }


class CaseDetailView(CapabilityRequiredMixin, TemplateView):
    capability = "case.view"
    template_name = "cases/case_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = case_get(user=self.request.user, case_id=kwargs["pk"])
        context.update(detail_context(self.request, case))
        return context


class CaseActionView(CapabilityRequiredMixin, View):
    """A small POST-only view for one action of the case page: parse the form, call one service; on success
    go back to the page, on refusal show the page again with the form and its error (status 400)."""

    form_key = ""
    anchor = ""
    success_message = ""

    def get_target(self):
        """The object the action is on; ``(case, object id or None)``."""
        raise NotImplementedError

    def make_form(self, data, case, obj_id):
        raise NotImplementedError

    def perform(self, form, case):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        case, obj_id = self.get_target()
        form = self.make_form(request.POST, case, obj_id)
        if form.is_valid():
            try:
                self.perform(form, case)
            except ApplicationError as error:
                if error.status_code == 404:
                    raise Http404 from error
                apply_error_to_form(error, form)
            else:
                messages.success(request, self.success_message)
                return redirect(reverse("cases:detail", args=[case.pk]) + f"#{self.anchor}")
        context = detail_context(request, case, failed=(self.form_key, obj_id, form))
        return render(request, "cases/case_detail.html", context, status=400)


class _OnCase(CaseActionView):
    def get_target(self):
        return case_get(user=self.request.user, case_id=self.kwargs["pk"]), None


class TrialEventCreateView(_OnCase):
    capability = "trial.record"
    form_key, anchor, success_message = "trial", "trial", gettext_lazy("Trial event recorded.")

    def make_form(self, data, case, obj_id):
        return TrialEventForm(data)

    def perform(self, form, case):
        trial_event_record(actor=self.request.user, case=case, **form.cleaned_data)


class DocumentCreateView(_OnCase):
    capability = "document.record"
    form_key, anchor, success_message = "document", "documents", gettext_lazy("Document recorded.")

    def make_form(self, data, case, obj_id):
        return DocumentForm(data, case=case)

    def perform(self, form, case):
        data = dict(form.cleaned_data)
        data["costs"] = data["costs"] or "0"
        document_record(actor=self.request.user, case=case, **data)


class _OnDocument(CaseActionView):
    capability = "document.record"
    anchor = "documents"

    def get_target(self):
        self.document = document_get(user=self.request.user, document_id=self.kwargs["pk"])
        return case_get(user=self.request.user, case_id=self.document.case_id), self.document.pk


class DocumentEffectiveView(_OnDocument):
    form_key, success_message = "effective", gettext_lazy("The document is recorded as effective.")

    def make_form(self, data, case, obj_id):
        return DocumentEffectiveForm(data, prefix=f"e{obj_id}")

    def perform(self, form, case):
        document_mark_effective(actor=self.request.user, document=self.document, **form.cleaned_data)


class DocumentPerformedView(_OnDocument):
    form_key, success_message = "performed", gettext_lazy("The obligation is recorded as performed.")

    def make_form(self, data, case, obj_id):
        return DocumentPerformedForm(data, prefix=f"p{obj_id}")

    def perform(self, form, case):
        document_mark_performed(actor=self.request.user, document=self.document, **form.cleaned_data)


class PreservationCreateView(_OnCase):
    capability = "preservation.apply"
    form_key, anchor, success_message = "preservation", "preservation", gettext_lazy("Application registered.")

    def make_form(self, data, case, obj_id):
        return PreservationForm(data, case=case)

    def perform(self, form, case):
        preservation_apply(actor=self.request.user, case=case, **form.cleaned_data)


class _OnPreservation(CaseActionView):
    anchor = "preservation"

    def get_target(self):
        self.application = preservation_get(user=self.request.user, application_id=self.kwargs["pk"])
        return case_get(user=self.request.user, case_id=self.application.case_id), self.application.pk


class PreservationDecideView(_OnPreservation):
    capability = "preservation.decide"
    form_key, success_message = "decide", gettext_lazy("Decision recorded.")

    def make_form(self, data, case, obj_id):
        return PreservationDecideForm(data, prefix=f"d{obj_id}")

    def perform(self, form, case):
        preservation_decide(actor=self.request.user, application=self.application, **form.cleaned_data)


class MeasureCreateView(_OnPreservation):
    capability = "preservation.measure"
    form_key, success_message = "measure", gettext_lazy("Measure recorded.")

    def make_form(self, data, case, obj_id):
        return MeasureForm(data, prefix=f"m{obj_id}")

    def perform(self, form, case):
        data = dict(form.cleaned_data)
        data["amount"] = data["amount"] or None
        preservation_measure_add(actor=self.request.user, application=self.application, **data)


class NoticeDecideView(CaseActionView):
    capability = "preservation.notice"
    form_key, anchor, success_message = "notice", "recommendation", gettext_lazy("Decision on the notice recorded.")

    def get_target(self):
        case = case_get(user=self.request.user, case_id=self.kwargs["pk"])
        try:
            party_id = int(self.request.POST.get("party", ""))
        except ValueError as exc:
            raise Http404 from exc
        return case, party_id

    def make_form(self, data, case, obj_id):
        return NoticeDecisionForm(data, prefix=f"n{obj_id}")

    def perform(self, form, case):
        preservation_notice_decide(actor=self.request.user, case=case, **form.cleaned_data)


class NoticeDocxView(CapabilityRequiredMixin, View):
    """The 财产保全告知书 of a decision to send it, as a .docx download."""

    capability = "case.view"

    def get(self, request, pk):
        decision = notice_decision_get(user=request.user, decision_id=pk)
        if not decision.decided_send:
            raise Http404
        decision = preservation_notice_document(decision=decision)
        return stored_file_response(decision.file, filename=notice_filename(decision), content_type=DOCX)


class PartyDetailView(CapabilityRequiredMixin, TemplateView):
    """A party's personal details: opening this page is recorded in the audit log."""

    capability = "party.view_personal"
    template_name = "cases/party_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        party = party_get_personal(user=self.request.user, party_id=kwargs["pk"], purpose="party page")
        context.update(party=party, links=party_cases(user=self.request.user, party=party))
        return context


# ---- relations between parties, transfers, hidden-asset clues -----------------------------------------------


def clue_context(case, refused) -> dict:
    report = case_clues(case=case)
    return {
        "clue_report": report,
        "clue_graph": report.graph_data() if report.graph.number_of_edges() else None,
        "relation_form": refused("relation") or RelationForm(case=case),
        "transfer_form": refused("transfer") or TransferForm(case=case),
    }


def _registered(id_number: str, field: str):
    party = party_by_identifier(id_number=id_number)
    if party is None:
        raise InvalidInput({field: _("No party with this identifier is registered.")}, code="party.unknown")
    return party


class RelationCreateView(_OnCase):
    capability = "party.relate"
    form_key, anchor, success_message = "relation", "clues", gettext_lazy("Relation recorded.")

    def make_form(self, data, case, obj_id):
        return RelationForm(data, case=case)

    def perform(self, form, case):
        data = form.cleaned_data
        other = _registered(data["other_id_number"], "other_id_number")
        first, second = data["party"], other.pk
        if data["reads"] == RelationForm.OTHER_FIRST:
            first, second = second, first
        party_relation_record(
            actor=self.request.user,
            party_a_id=first,
            party_b_id=second,
            kind=data["kind"],
            source=data["source"],
            since=data["since"],
            share=data["share"],
        )


class TransferCreateView(_OnCase):
    capability = "party.relate"
    form_key, anchor, success_message = "transfer", "clues", gettext_lazy("Transfer recorded.")

    def make_form(self, data, case, obj_id):
        return TransferForm(data, case=case)

    def perform(self, form, case):
        data = dict(form.cleaned_data)
        to_party = _registered(data.pop("to_id_number"), "to_id_number")
        property_transfer_record(
            actor=self.request.user,
            from_party_id=data.pop("from_party"),
            to_party_id=to_party.pk,
            **data,
        )


# ---- notifications (the staff member's own in-application messages) ---------------------------------------
# Every signed-in user has their own inbox, whatever the role: no capability is needed to read one's own
# messages (the selectors filter on ``recipient_user``; another user's message is "not found").

NOTIFICATIONS_SHOWN = 10


def _my_notifications(user):
    """The user's in-application messages, unread first, newest first."""
    return (
        Notification.objects.filter(recipient_user=user)
        .select_related("case")
        .order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")
    )


def _with_href(notifications):
    """Each message with ``href``: its own link when it is a path of this site, else its case record."""
    for notification in notifications:
        if notification.link.startswith("/") and not notification.link.startswith("//"):
            notification.href = notification.link
        elif notification.case_id:
            notification.href = reverse("cases:detail", args=[notification.case_id])
        else:
            notification.href = ""
    return notifications


class MyNotificationsView(TemplateView):
    """The partial the enforcement "my cases" page loads with hx-get: the latest unread messages first."""

    template_name = "cases/notifications_mine.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mine = _my_notifications(self.request.user)
        context.update(
            notifications=_with_href(list(mine[:NOTIFICATIONS_SHOWN])),
            unread_count=mine.filter(read_at__isnull=True).count(),
        )
        return context


class NotificationListView(ListView):
    """All of the user's messages, unread first, 50 a page."""

    template_name = "cases/notifications.html"
    paginate_by = 50
    context_object_name = "notifications"

    def get_queryset(self):
        return _my_notifications(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        _with_href(context["notifications"])
        context["query"] = ""
        return context


class NotificationReadView(View):
    """Mark one of the user's messages read. From the partial (htmx) the partial comes back updated; from the
    full page, back to it."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        try:
            notification_mark_read(actor=request.user, notification_id=pk)
        except ApplicationError as error:
            if error.status_code == 404:
                raise Http404 from error
            raise
        if getattr(request, "htmx", False):
            view = MyNotificationsView()
            view.setup(request)
            return view.render_to_response(view.get_context_data())
        return redirect(reverse("cases:notifications"))
