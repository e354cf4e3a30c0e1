"""/api/v1/enforcement-cases/: the list and filing, the detail (deadlines, timeline, notices), and one explicit
endpoint per domain action. Views parse input, call one service, and answer with the case as it now is."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import EffectiveDocument
from core.access import get_visible_or_404
from core.drf import CountedValues, HasCapability, capability_for_method
from core.exceptions import InvalidInput, NotFound, RuleViolation
from core.files import stored_file_response
from core.models import User

from . import services
from .filters import EnforcementCaseFilter
from .models import EnforcementCase, ExtensionRequest
from .selectors import enforcement_case_detail, enforcement_case_get, enforcement_case_list, notice_get
from .serializers import (
    AssignBulkSerializer,
    AssignmentResultSerializer,
    AssignSerializer,
    CloseSerializer,
    EnforcementCaseDetailSerializer,
    EnforcementCaseSerializer,
    EnforcementFileSerializer,
    ExtensionDecideSerializer,
    ExtensionRequestSerializer,
    ExtensionSerializer,
    NoticeIssueSerializer,
    NoticeSerializer,
    ReasonSerializer,
    RestoreSerializer,
    ResumeSerializer,
    SuspendSerializer,
)
from .services.lifecycle import SIMPLE_TRANSITIONS

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _detail_response(request, enforcement_case: EnforcementCase, *, code: int = status.HTTP_200_OK) -> Response:
    case = enforcement_case_detail(user=request.user, pk=enforcement_case.pk)
    return Response(EnforcementCaseDetailSerializer(case).data, status=code)


def _parse(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


class EnforcementCaseListCreateApi(generics.ListCreateAPIView):
    """Enforcement cases of the caller's court (GET); enforcement filing by a court's litigation system (POST)."""

    permission_classes = [capability_for_method(read="enforcement.view", write="enforcement.file")]
    serializer_class = EnforcementCaseSerializer
    filterset_class = EnforcementCaseFilter
    # the filter set does the searching (q) and the sorting (ordering): DRF's own search and ordering backends would
    # only read the same parameters again, the ordering one building a serializer on every request to do so
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, but the model is needed
            return EnforcementCase.objects.none()
        return enforcement_case_list(user=self.request.user).order_by("deadline_on", "id")

    def list(self, request, *args, **kwargs):
        """A page read as plain values (``EnforcementCaseSerializer.rows``): the same JSON as the serializer gives,
        in three queries (count, page, parties) and without a model instance per row."""
        queryset = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        page = self.paginate_queryset(CountedValues(queryset, EnforcementCaseSerializer.VALUES))
        return self.get_paginated_response(EnforcementCaseSerializer.rows(page))

    @extend_schema(request=EnforcementFileSerializer, responses={201: EnforcementCaseDetailSerializer})
    def post(self, request):
        fields = _parse(EnforcementFileSerializer, request)
        document = get_visible_or_404(
            EffectiveDocument.objects.select_related("case"),
            request.user,
            court_field="case__court",
            pk=fields["document"],
        )
        case = services.enforcement_file(
            actor=request.user,
            document=document,
            court=fields["court"],
            applicant_ids=fields["applicants"],
            respondent_ids=fields["respondents"],
            filing_date=fields["filing_date"],
            amount=fields.get("amount"),
            late_reason=fields["late_reason"],
        )
        return _detail_response(request, case, code=status.HTTP_201_CREATED)


class EnforcementCaseDetailApi(generics.RetrieveAPIView):
    """One case with its step deadlines, timeline and notices."""

    permission_classes = [HasCapability.of("enforcement.view")]
    serializer_class = EnforcementCaseDetailSerializer

    def get_object(self):
        return enforcement_case_detail(user=self.request.user, pk=self.kwargs["pk"])


class _CaseAction(APIView):
    """POST on one case: parse ``input_serializer``, call ``perform``, answer with the case detail."""

    input_serializer = ReasonSerializer
    created = False

    def post(self, request, pk, **kwargs):
        fields = _parse(self.input_serializer, request)
        case = enforcement_case_get(user=request.user, pk=pk)
        result = self.perform(request, case, fields, **kwargs)
        return _detail_response(request, result, code=status.HTTP_201_CREATED if self.created else status.HTTP_200_OK)

    def perform(self, request, case, fields, **kwargs):  # pragma: no cover - every subclass defines it
        raise NotImplementedError


def _action_schema(request_serializer, *, created: bool = False, description: str = ""):
    code = 201 if created else 200
    return extend_schema_view(
        post=extend_schema(
            request=request_serializer, responses={code: EnforcementCaseDetailSerializer}, description=description
        )
    )


@_action_schema(
    ReasonSerializer, description="notify, start_investigation, start_control, start_disposal, start_distribution."
)
class TransitionApi(_CaseAction):
    """A lifecycle step without data of its own: ``notify`` (when both notices are served on every debtor),
    ``start_investigation``, ``start_control``, ``start_disposal``, ``start_distribution``."""

    permission_classes = [HasCapability.of("enforcement.act")]

    def perform(self, request, case, fields, name):
        if name not in SIMPLE_TRANSITIONS:
            raise RuleViolation(
                _("This step has its own endpoint or does not exist: %(step)s.") % {"step": name},
                code="lifecycle.unknown_transition",
            )
        return services.transition_apply(
            actor=request.user, enforcement_case=case, transition=name, reason=fields["reason"]
        )


@_action_schema(SuspendSerializer)
class SuspendApi(_CaseAction):
    permission_classes = [HasCapability.of("enforcement.act")]
    input_serializer = SuspendSerializer

    def perform(self, request, case, fields):
        return services.case_suspend(actor=request.user, enforcement_case=case, **fields)


@_action_schema(ResumeSerializer)
class ResumeApi(_CaseAction):
    permission_classes = [HasCapability.of("enforcement.act")]
    input_serializer = ResumeSerializer

    def perform(self, request, case, fields):
        return services.case_resume(actor=request.user, enforcement_case=case, **fields)


@_action_schema(CloseSerializer)
class CloseApi(_CaseAction):
    permission_classes = [HasCapability.of("enforcement.act")]
    input_serializer = CloseSerializer

    def perform(self, request, case, fields):
        return services.case_close(actor=request.user, enforcement_case=case, **fields)


@_action_schema(RestoreSerializer, created=True, description="Answers with the new 执恢 case.")
class RestoreApi(_CaseAction):
    """恢复执行 of a case terminated for this round (终本): a new 执恢 case."""

    permission_classes = [HasCapability.of("enforcement.restore")]
    input_serializer = RestoreSerializer
    created = True

    def perform(self, request, case, fields):
        return services.case_restore(actor=request.user, enforcement_case=case, **fields)


@_action_schema(None)
class TriageApi(_CaseAction):
    """Score the case (繁简分流) and store the score, its reasons and the track."""

    permission_classes = [HasCapability.of("enforcement.act")]

    def perform(self, request, case, fields):
        return services.case_triage(actor=request.user, enforcement_case=case)


def _officer(officer_id: int) -> User:
    officer = User.objects.filter(pk=officer_id).first()
    if officer is None:
        raise InvalidInput({"officer": _("No such officer.")}, code="assignment.invalid")
    return officer


@_action_schema(AssignSerializer)
class AssignApi(_CaseAction):
    permission_classes = [HasCapability.of("enforcement.assign")]
    input_serializer = AssignSerializer

    def perform(self, request, case, fields):
        return services.case_assign(
            actor=request.user, enforcement_case=case, officer=_officer(fields["officer"]), reason=fields["reason"]
        )


class AssignBulkApi(APIView):
    """Assign several cases at once, all or nothing; without ``officer``, by track and workload."""

    permission_classes = [HasCapability.of("enforcement.assign")]

    @extend_schema(request=AssignBulkSerializer, responses={200: AssignmentResultSerializer(many=True)})
    def post(self, request):
        fields = _parse(AssignBulkSerializer, request)
        wanted = list(dict.fromkeys(fields["cases"]))
        cases = list(enforcement_case_list(user=request.user).filter(pk__in=wanted))
        if len(cases) != len(wanted):
            raise NotFound(_("Not found."))
        officer = _officer(fields["officer"]) if fields.get("officer") else None
        pairs = services.cases_assign_bulk(actor=request.user, enforcement_cases=cases, officer=officer)
        rows = [{"case": case.pk, "number": case.case.number, "officer": person.pk} for case, person in pairs]
        return Response(AssignmentResultSerializer(rows, many=True).data)


class NoticeIssueApi(APIView):
    """Issue the 执行通知书 or the 报告财产令 to a debtor and record its service; the generated .docx is at
    ``download_url``."""

    permission_classes = [HasCapability.of("enforcement.act")]

    @extend_schema(request=NoticeIssueSerializer, responses={201: NoticeSerializer})
    def post(self, request, pk):
        fields = _parse(NoticeIssueSerializer, request)
        case = enforcement_case_get(user=request.user, pk=pk)
        notice = services.notice_issue(
            actor=request.user,
            enforcement_case=case,
            kind=fields["kind"],
            recipient_id=fields["recipient"],
            service_method=fields["service_method"],
            served_on=fields["served_on"],
            issued_on=fields.get("issued_on"),
        )
        return Response(NoticeSerializer(notice).data, status=status.HTTP_201_CREATED)


class NoticeDownloadApi(APIView):
    """The generated .docx of a notice."""

    permission_classes = [HasCapability.of("enforcement.view")]

    @extend_schema(responses={(200, DOCX): OpenApiResponse(OpenApiTypes.BINARY, description="The .docx file.")})
    def get(self, request, pk):
        notice = notice_get(user=request.user, pk=pk)
        return stored_file_response(notice.file, content_type=DOCX)


class ExtensionRequestApi(APIView):
    """Ask to extend the case's time limit (in its last 5 days)."""

    permission_classes = [HasCapability.of("enforcement.request_extension")]

    @extend_schema(request=ExtensionRequestSerializer, responses={201: ExtensionSerializer})
    def post(self, request, pk):
        fields = _parse(ExtensionRequestSerializer, request)
        case = enforcement_case_get(user=request.user, pk=pk)
        extension = services.extension_request(actor=request.user, enforcement_case=case, **fields)
        return Response(ExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)


class ExtensionDecideApi(APIView):
    """A division head approves or refuses an extension request."""

    permission_classes = [HasCapability.of("enforcement.approve_extension")]

    @extend_schema(request=ExtensionDecideSerializer, responses={200: ExtensionSerializer})
    def post(self, request, pk):
        fields = _parse(ExtensionDecideSerializer, request)
        extension = get_visible_or_404(
            ExtensionRequest.objects.select_related("enforcement_case__case"),
            request.user,
            court_field="enforcement_case__case__court",
            pk=pk,
        )
        extension = services.extension_decide(actor=request.user, extension=extension, **fields)
        return Response(ExtensionSerializer(extension).data)
