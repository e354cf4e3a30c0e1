from django.db.models import F
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.drf import HasCapability, capability_for_method
from core.files import stored_file_response

from .filters import CaseFilter
from .models import Case, Notification, Party, PreservationApplication, PreservationMeasure, TrialEvent
from .notice_docx import notice_filename
from .recommendation import THRESHOLD
from .selectors import (
    case_alerts,
    case_clues,
    case_documents,
    case_get,
    case_list,
    case_notice_decisions,
    case_preservations,
    case_recommendations,
    case_trial_events,
    document_get,
    notice_decision_get,
    party_get_personal,
    party_list,
    party_relations,
    preservation_get,
)
from .serializers import (
    AppealInputSerializer,
    CaseFileSerializer,
    CaseSerializer,
    ClueReportSerializer,
    DocumentEffectiveInputSerializer,
    DocumentInputSerializer,
    DocumentPerformedInputSerializer,
    DocumentSerializer,
    FilingAlertSerializer,
    MeasureInputSerializer,
    MeasureSerializer,
    NoticeDecisionInputSerializer,
    NoticeDecisionSerializer,
    PartyBriefSerializer,
    PartyDetailSerializer,
    PartyRegisterSerializer,
    PartyRelationInputSerializer,
    PartyRelationSerializer,
    PreservationDecideInputSerializer,
    PreservationInputSerializer,
    PreservationSerializer,
    PropertyTransferInputSerializer,
    PropertyTransferSerializer,
    RecommendationSerializer,
    RelatedPartySerializer,
    TrialEventInputSerializer,
    TrialEventSerializer,
)
from .services import (
    InstalmentInput,
    PartyInput,
    appeal_file,
    case_file,
    document_mark_effective,
    document_mark_performed,
    document_record,
    notification_mark_read,
    party_register,
    party_relation_record,
    preservation_apply,
    preservation_decide,
    preservation_measure_add,
    preservation_notice_decide,
    preservation_notice_document,
    property_transfer_record,
    trial_event_record,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NOTICE_NOT_SENT = _("The clerk decided not to send this notice; there is no document.")


class CaseListCreateApi(generics.ListCreateAPIView):
    """Cases of the caller's court (GET), and filing a new case (POST)."""

    permission_classes = [capability_for_method(read="case.view", write="case.file")]
    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    ordering_fields = ["filing_date", "amount", "number"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, but the model is needed
            return Case.objects.none()
        return case_list(user=self.request.user)

    @extend_schema(request=CaseFileSerializer, responses={201: CaseSerializer})
    def post(self, request):
        data = CaseFileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        parties = [PartyInput(**p) for p in fields.pop("parties")]
        case = case_file(actor=request.user, parties=parties, **fields)
        case = case_get(user=request.user, case_id=case.pk)
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseDetailApi(generics.RetrieveAPIView):
    permission_classes = [HasCapability.of("case.view")]
    serializer_class = CaseSerializer

    def get_object(self):
        return case_get(user=self.request.user, case_id=self.kwargs["pk"])


class PartyListCreateApi(generics.ListCreateAPIView):
    """Parties on the caller's court's cases (identifiers masked), and registering a party."""

    permission_classes = [capability_for_method(read="party.view", write="party.register")]
    serializer_class = PartyBriefSerializer
    filterset_fields = ["kind"]
    search_fields = ["name"]
    ordering_fields = ["name", "created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, but the model is needed
            return Party.objects.none()
        return party_list(user=self.request.user).order_by("name", "id")

    @extend_schema(request=PartyRegisterSerializer, responses={201: PartyDetailSerializer})
    def post(self, request):
        data = PartyRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        party = party_register(actor=request.user, data=PartyInput(role="", **data.validated_data))
        return Response(PartyDetailSerializer(party).data, status=status.HTTP_201_CREATED)


class PartyDetailApi(generics.RetrieveAPIView):
    """A party's full personal details; the read is audited."""

    permission_classes = [HasCapability.of("party.view_personal")]
    serializer_class = PartyDetailSerializer

    def get_object(self):
        return party_get_personal(
            user=self.request.user, party_id=self.kwargs["pk"], purpose=self.request.query_params.get("purpose", "")
        )


# ---- trial, documents, preservation, alerts, notices, appeals ----------------------------------------------


class _CaseChildApi(generics.GenericAPIView):
    """A list under one case (GET) and the action creating one more (POST)."""

    pagination_class = None
    queryset = Case.objects.none()  # schema generation: the path's {id} is a case
    read_capability = "case.view"
    write_capability = ""

    def get_permissions(self):
        return [capability_for_method(read=self.read_capability, write=self.write_capability)()]

    def get_case(self):
        return case_get(user=self.request.user, case_id=self.kwargs["pk"])


class TrialEventListCreateApi(_CaseChildApi):
    """The trial events of a case (GET), and recording one (POST: hearing scheduled, held, adjourned…)."""

    write_capability = "trial.record"
    serializer_class = TrialEventSerializer
    queryset = TrialEvent.objects.none()

    @extend_schema(responses={200: TrialEventSerializer(many=True)})
    def get(self, request, pk):
        return Response(TrialEventSerializer(case_trial_events(case=self.get_case()), many=True).data)

    @extend_schema(request=TrialEventInputSerializer, responses={201: TrialEventSerializer})
    def post(self, request, pk):
        data = TrialEventInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = trial_event_record(actor=request.user, case=self.get_case(), **data.validated_data)
        return Response(TrialEventSerializer(event).data, status=status.HTTP_201_CREATED)


class DocumentListCreateApi(_CaseChildApi):
    """The effective documents of a case (GET), and recording one with its instalments (POST)."""

    write_capability = "document.record"
    serializer_class = DocumentSerializer

    @extend_schema(responses={200: DocumentSerializer(many=True)})
    def get(self, request, pk):
        return Response(DocumentSerializer(case_documents(case=self.get_case()), many=True).data)

    @extend_schema(request=DocumentInputSerializer, responses={201: DocumentSerializer})
    def post(self, request, pk):
        data = DocumentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["instalments"] = [InstalmentInput(**item) for item in fields["instalments"]]
        document = document_record(actor=request.user, case=self.get_case(), **fields)
        return Response(DocumentSerializer(case_documents(case=document.case).get(pk=document.pk)).data, status=201)


class DocumentEffectiveApi(generics.GenericAPIView):
    """Record the day the document took effect."""

    permission_classes = [HasCapability.of("document.record")]
    serializer_class = DocumentSerializer

    @extend_schema(request=DocumentEffectiveInputSerializer, responses={200: DocumentSerializer})
    def post(self, request, pk):
        data = DocumentEffectiveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = document_get(user=request.user, document_id=pk)
        document = document_mark_effective(actor=request.user, document=document, **data.validated_data)
        return Response(DocumentSerializer(case_documents(case=document.case).get(pk=document.pk)).data)


class DocumentPerformedApi(generics.GenericAPIView):
    """Record that the obligation was performed in full."""

    permission_classes = [HasCapability.of("document.record")]
    serializer_class = DocumentSerializer

    @extend_schema(request=DocumentPerformedInputSerializer, responses={200: DocumentSerializer})
    def post(self, request, pk):
        data = DocumentPerformedInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = document_get(user=request.user, document_id=pk)
        document = document_mark_performed(actor=request.user, document=document, **data.validated_data)
        return Response(DocumentSerializer(case_documents(case=document.case).get(pk=document.pk)).data)


class PreservationListCreateApi(_CaseChildApi):
    """The preservation applications of a case with their measures (GET), and a new application (POST)."""

    write_capability = "preservation.apply"
    serializer_class = PreservationSerializer
    queryset = PreservationApplication.objects.none()

    @extend_schema(responses={200: PreservationSerializer(many=True)})
    def get(self, request, pk):
        return Response(PreservationSerializer(case_preservations(case=self.get_case()), many=True).data)

    @extend_schema(request=PreservationInputSerializer, responses={201: PreservationSerializer})
    def post(self, request, pk):
        data = PreservationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = preservation_apply(actor=request.user, case=self.get_case(), **data.validated_data)
        return Response(PreservationSerializer(application).data, status=status.HTTP_201_CREATED)


class PreservationDecideApi(generics.GenericAPIView):
    """Grant or refuse a preservation application, with reasons."""

    permission_classes = [HasCapability.of("preservation.decide")]
    serializer_class = PreservationSerializer

    @extend_schema(request=PreservationDecideInputSerializer, responses={200: PreservationSerializer})
    def post(self, request, pk):
        data = PreservationDecideInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = preservation_get(user=request.user, application_id=pk)
        application = preservation_decide(actor=request.user, application=application, **data.validated_data)
        return Response(PreservationSerializer(application).data)


class MeasureListCreateApi(generics.GenericAPIView):
    """The measures of a preservation application (GET), and recording one (POST; period capped by
    民诉法解释 2022 art. 485)."""

    permission_classes = [capability_for_method(read="case.view", write="preservation.measure")]
    serializer_class = MeasureSerializer
    queryset = PreservationMeasure.objects.none()
    pagination_class = None

    @extend_schema(responses={200: MeasureSerializer(many=True)})
    def get(self, request, pk):
        application = preservation_get(user=request.user, application_id=pk)
        return Response(MeasureSerializer(application.measures.select_related("carried_into"), many=True).data)

    @extend_schema(request=MeasureInputSerializer, responses={201: MeasureSerializer})
    def post(self, request, pk):
        data = MeasureInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = preservation_get(user=request.user, application_id=pk)
        measure = preservation_measure_add(actor=request.user, application=application, **data.validated_data)
        return Response(MeasureSerializer(measure).data, status=status.HTTP_201_CREATED)


class AlertListApi(_CaseChildApi):
    """The cross-case alerts recorded when the case was filed."""

    serializer_class = FilingAlertSerializer

    def get_permissions(self):
        return [HasCapability.of("case.view")()]

    @extend_schema(responses={200: FilingAlertSerializer(many=True)})
    def get(self, request, pk):
        return Response(FilingAlertSerializer(case_alerts(case=self.get_case()), many=True).data)


class RecommendationApi(_CaseChildApi):
    """The preservation-notice recommendation for each defendant not decided yet: score, advice, reasons."""

    serializer_class = RecommendationSerializer

    def get_permissions(self):
        return [HasCapability.of("case.view")()]

    @extend_schema(responses={200: RecommendationSerializer(many=True)})
    def get(self, request, pk):
        rows = [
            {
                "party_id": result.party_id,
                "score": result.score,
                "recommended": result.recommended,
                "threshold": THRESHOLD,
                "reasons": result.reasons_as_data(),
            }
            for _party, result in case_recommendations(case=self.get_case())
        ]
        return Response(RecommendationSerializer(rows, many=True).data)


class NoticeDecisionListCreateApi(_CaseChildApi):
    """The clerk's decisions on the preservation notice (GET), and deciding about one defendant (POST)."""

    write_capability = "preservation.notice"
    serializer_class = NoticeDecisionSerializer

    @extend_schema(responses={200: NoticeDecisionSerializer(many=True)})
    def get(self, request, pk):
        return Response(NoticeDecisionSerializer(case_notice_decisions(case=self.get_case()), many=True).data)

    @extend_schema(request=NoticeDecisionInputSerializer, responses={201: NoticeDecisionSerializer})
    def post(self, request, pk):
        data = NoticeDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = preservation_notice_decide(actor=request.user, case=self.get_case(), **data.validated_data)
        return Response(NoticeDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class NoticeDocxApi(generics.GenericAPIView):
    """The 财产保全告知书 as a .docx, for a decision to send it."""

    permission_classes = [HasCapability.of("case.view")]
    serializer_class = NoticeDecisionSerializer

    @extend_schema(responses={(200, DOCX): OpenApiTypes.BINARY})
    def get(self, request, pk):
        return notice_docx_response(notice_decision_get(user=request.user, decision_id=pk))


class AppealFileApi(_CaseChildApi):
    """File the appeal (民终) against this first-instance case at its superior court."""

    write_capability = "case.file"
    serializer_class = CaseSerializer

    @extend_schema(request=AppealInputSerializer, responses={201: CaseSerializer})
    def post(self, request, pk):
        data = AppealInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = appeal_file(actor=request.user, first_instance_case=self.get_case(), **data.validated_data)
        appeal = Case.objects.select_related("court").prefetch_related("party_links__party").get(pk=appeal.pk)
        return Response(CaseSerializer(appeal).data, status=status.HTTP_201_CREATED)


def notice_docx_response(decision):
    from core.exceptions import Conflict

    if not decision.decided_send:
        raise Conflict(str(NOTICE_NOT_SENT), code="notice.not_sent")
    decision = preservation_notice_document(decision=decision)
    return stored_file_response(decision.file, filename=notice_filename(decision), content_type=DOCX)


# ---- relations between parties, transfers, hidden-asset clues -----------------------------------------------


class ClueReportApi(_CaseChildApi):
    """Hidden-asset clues of a case: property its debtors passed to related parties (within two hops on the
    relation graph) within 12 months before filing or after it, each with its reasons and severity; plus the
    debtors and every party related to them."""

    serializer_class = ClueReportSerializer

    def get_permissions(self):
        return [HasCapability.of("case.view")()]

    @extend_schema(responses={200: ClueReportSerializer})
    def get(self, request, pk):
        report = case_clues(case=self.get_case())
        return Response(ClueReportSerializer(report).data)


class PartyRelationListApi(generics.GenericAPIView):
    """A party's direct relations, recorded and derived (shared address or phone). The party must be on a
    case of the caller's court."""

    permission_classes = [HasCapability.of("party.view")]
    serializer_class = RelatedPartySerializer
    queryset = Party.objects.none()
    pagination_class = None

    @extend_schema(responses={200: RelatedPartySerializer(many=True)})
    def get(self, request, pk):
        return Response(RelatedPartySerializer(party_relations(user=request.user, party_id=pk), many=True).data)


class PartyRelationCreateApi(generics.GenericAPIView):
    """Record a relation: ``party_a`` is the ``kind`` of ``party_b`` (a shareholder with its ``share``)."""

    permission_classes = [HasCapability.of("party.relate")]
    serializer_class = PartyRelationSerializer

    @extend_schema(request=PartyRelationInputSerializer, responses={201: PartyRelationSerializer})
    def post(self, request):
        data = PartyRelationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        relation = party_relation_record(actor=request.user, **data.validated_data)
        return Response(PartyRelationSerializer(relation).data, status=status.HTTP_201_CREATED)


class PropertyTransferCreateApi(generics.GenericAPIView):
    """Record a transfer of property from one party to another (as a registry reported it)."""

    permission_classes = [HasCapability.of("party.relate")]
    serializer_class = PropertyTransferSerializer

    @extend_schema(request=PropertyTransferInputSerializer, responses={201: PropertyTransferSerializer})
    def post(self, request):
        data = PropertyTransferInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        transfer = property_transfer_record(actor=request.user, **data.validated_data)
        return Response(PropertyTransferSerializer(transfer).data, status=status.HTTP_201_CREATED)


# ---- notifications: the caller's own in-application messages ------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True, allow_null=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "case", "case_number", "subject", "body", "link", "created_at", "read_at"]
        read_only_fields = fields


class NotificationListApi(generics.ListAPIView):
    """The caller's in-application messages, unread first (``?unread=1`` for the unread only)."""

    permission_classes = [IsAuthenticated]  # one's own inbox: every signed-in user has one
    serializer_class = NotificationSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        queryset = Notification.objects.filter(recipient_user=self.request.user).select_related("case")
        if self.request.query_params.get("unread") in ("1", "true"):
            queryset = queryset.filter(read_at__isnull=True)
        return queryset.order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")


class NotificationReadApi(generics.GenericAPIView):
    """Mark one of the caller's messages read (another user's is "not found")."""

    permission_classes = [IsAuthenticated]
    serializer_class = NotificationSerializer

    @extend_schema(request=None, responses={200: NotificationSerializer})
    def post(self, request, pk):
        notification = notification_mark_read(actor=request.user, notification_id=pk)
        return Response(NotificationSerializer(notification).data)
