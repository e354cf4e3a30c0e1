"""API of the coercive measures (罚款, 拘留, 搜查; 民诉法 2023 arts. 114–120, 255) and the debtor search (查人):
a case's measures and a new proposal, the president's decision, the execution and the release; a case's
debtor searches, a new one, an attempt and the close. Thin views: parse, call one service, answer. Appended to
/api/v1/ by ``enforcement/api_urls.py``."""

from __future__ import annotations

from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import get_visible_or_404
from core.drf import HasCapability, capability_for_method

from .choices import CoerciveKind, ObstructionGround
from .models import CoerciveMeasure, DebtorSearch
from .selectors import enforcement_case_get
from .services import coercion as services

COURT = "enforcement_case__case__court"


class CoerciveMeasureSerializer(serializers.ModelSerializer):
    subject_name = serializers.CharField(source="subject.name", read_only=True)
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = CoerciveMeasure
        fields = [
            "id",
            "enforcement_case",
            "kind",
            "subject",
            "subject_name",
            "responsible_person",
            "ground",
            "facts",
            "amount",
            "days",
            "search_place",
            "status",
            "proposed_by",
            "proposed_at",
            "approved_by",
            "approved_at",
            "order_number",
            "document_url",
            "executed_on",
            "ends_on",
            "released_on",
            "outcome",
        ]

    def get_document_url(self, obj) -> str:
        return reverse("enforcement:coercion-document", args=[obj.pk]) if obj.document else ""


class DebtorSearchSerializer(serializers.ModelSerializer):
    debtor_name = serializers.CharField(source="debtor.name", read_only=True)

    class Meta:
        model = DebtorSearch
        fields = [
            "id",
            "enforcement_case",
            "debtor",
            "debtor_name",
            "status",
            "started_on",
            "attempts",
            "found_on",
            "result",
            "started_by",
        ]


class CoercionProposeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CoerciveKind.choices)
    subject = serializers.IntegerField()
    ground = serializers.ChoiceField(choices=ObstructionGround.choices)
    facts = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True, default=None)
    days = serializers.IntegerField(required=False, allow_null=True, default=None)
    search_place = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    responsible_person = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class CoercionDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    on = serializers.DateField(required=False, allow_null=True, default=None)
    order_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CoercionExecuteSerializer(serializers.Serializer):
    executed_on = serializers.DateField()
    outcome = serializers.CharField(required=False, allow_blank=True, default="")


class CoercionReleaseSerializer(serializers.Serializer):
    released_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CoercionSearchStartSerializer(serializers.Serializer):
    debtor = serializers.IntegerField()
    on = serializers.DateField()


class CoercionAttemptSerializer(serializers.Serializer):
    on = serializers.DateField()
    kind = serializers.ChoiceField(choices=list(services.ATTEMPT_KINDS))
    where = serializers.CharField(max_length=200)
    result = serializers.CharField()


class CoercionSearchCloseSerializer(serializers.Serializer):
    found = serializers.BooleanField()
    on = serializers.DateField()
    result = serializers.CharField()


def _parse(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def measure_get(*, user, pk) -> CoerciveMeasure:
    return get_visible_or_404(
        CoerciveMeasure.objects.select_related("enforcement_case__case", "subject"), user, court_field=COURT, pk=pk
    )


def search_get(*, user, pk) -> DebtorSearch:
    return get_visible_or_404(
        DebtorSearch.objects.select_related("enforcement_case__case", "debtor"), user, court_field=COURT, pk=pk
    )


class CoerciveMeasureListCreateApi(APIView):
    """GET: the case's coercive measures (newest first). POST: propose one (refusals name their rule:
    ``coercion.fine_cap``, ``coercion.detention_cap``, ``coercion.responsible_person``, ``coercion.search_place``)."""

    permission_classes = [capability_for_method(read="enforcement.view", write="enforcement.coercion")]

    @extend_schema(responses={200: CoerciveMeasureSerializer(many=True)})
    def get(self, request, pk):
        case = enforcement_case_get(user=request.user, pk=pk)
        measures = case.coercive_measures.select_related("subject").order_by("-proposed_at", "-id")
        return Response(CoerciveMeasureSerializer(measures, many=True).data)

    @extend_schema(request=CoercionProposeSerializer, responses={201: CoerciveMeasureSerializer})
    def post(self, request, pk):
        fields = _parse(CoercionProposeSerializer, request)
        case = enforcement_case_get(user=request.user, pk=pk)
        measure = services.coercion_propose(actor=request.user, enforcement_case=case, **fields)
        return Response(CoerciveMeasureSerializer(measure).data, status=status.HTTP_201_CREATED)


class CoerciveMeasureDecideApi(APIView):
    """The president (not the proposer) approves — numbering and generating the decision — or refuses."""

    permission_classes = [HasCapability.of("enforcement.approve_coercion")]

    @extend_schema(request=CoercionDecideSerializer, responses={200: CoerciveMeasureSerializer})
    def post(self, request, pk):
        fields = _parse(CoercionDecideSerializer, request)
        fields["order_number"] = fields["order_number"] or None
        measure = services.coercion_decide(actor=request.user, measure=measure_get(user=request.user, pk=pk), **fields)
        return Response(CoerciveMeasureSerializer(measure).data)


class CoerciveMeasureExecuteApi(APIView):
    """Record the execution of an approved measure (a search needs its approved warrant)."""

    permission_classes = [HasCapability.of("enforcement.coercion")]

    @extend_schema(request=CoercionExecuteSerializer, responses={200: CoerciveMeasureSerializer})
    def post(self, request, pk):
        fields = _parse(CoercionExecuteSerializer, request)
        measure = services.coercion_execute(actor=request.user, measure=measure_get(user=request.user, pk=pk), **fields)
        return Response(CoerciveMeasureSerializer(measure).data)


class CoerciveMeasureReleaseApi(APIView):
    """Record the release of a detained person (early: with a reason)."""

    permission_classes = [HasCapability.of("enforcement.coercion")]

    @extend_schema(request=CoercionReleaseSerializer, responses={200: CoerciveMeasureSerializer})
    def post(self, request, pk):
        fields = _parse(CoercionReleaseSerializer, request)
        measure = services.coercion_release(actor=request.user, measure=measure_get(user=request.user, pk=pk), **fields)
        return Response(CoerciveMeasureSerializer(measure).data)


class DebtorSearchListCreateApi(APIView):
    """GET: the case's debtor searches. POST: start one for a debtor of the case."""

    permission_classes = [capability_for_method(read="enforcement.view", write="enforcement.act")]

    @extend_schema(responses={200: DebtorSearchSerializer(many=True)})
    def get(self, request, pk):
        case = enforcement_case_get(user=request.user, pk=pk)
        searches = case.debtor_searches.select_related("debtor").order_by("-started_on", "-id")
        return Response(DebtorSearchSerializer(searches, many=True).data)

    @extend_schema(request=CoercionSearchStartSerializer, responses={201: DebtorSearchSerializer})
    def post(self, request, pk):
        fields = _parse(CoercionSearchStartSerializer, request)
        case = enforcement_case_get(user=request.user, pk=pk)
        search = services.debtor_search_start(actor=request.user, enforcement_case=case, **fields)
        return Response(DebtorSearchSerializer(search).data, status=status.HTTP_201_CREATED)


class DebtorSearchAttemptApi(APIView):
    """Add an attempt (address visited, agency asked, relatives asked, other) to an open search."""

    permission_classes = [HasCapability.of("enforcement.act")]

    @extend_schema(request=CoercionAttemptSerializer, responses={201: DebtorSearchSerializer})
    def post(self, request, pk):
        fields = _parse(CoercionAttemptSerializer, request)
        search = services.debtor_search_attempt(
            actor=request.user, search=search_get(user=request.user, pk=pk), **fields
        )
        return Response(DebtorSearchSerializer(search).data, status=status.HTTP_201_CREATED)


class DebtorSearchCloseApi(APIView):
    """Close a search: found (with the day) or closed without finding."""

    permission_classes = [HasCapability.of("enforcement.act")]

    @extend_schema(request=CoercionSearchCloseSerializer, responses={200: DebtorSearchSerializer})
    def post(self, request, pk):
        fields = _parse(CoercionSearchCloseSerializer, request)
        search = services.debtor_search_close(actor=request.user, search=search_get(user=request.user, pk=pk), **fields)
        return Response(DebtorSearchSerializer(search).data)


urlpatterns = [
    path(
        "enforcement-cases/<int:pk>/coercive-measures/",
        CoerciveMeasureListCreateApi.as_view(),
        name="api-enforcement-coercive-measures",
    ),
    path("coercive-measures/<int:pk>/decide/", CoerciveMeasureDecideApi.as_view(), name="api-coercive-measure-decide"),
    path(
        "coercive-measures/<int:pk>/execute/", CoerciveMeasureExecuteApi.as_view(), name="api-coercive-measure-execute"
    ),
    path(
        "coercive-measures/<int:pk>/release/", CoerciveMeasureReleaseApi.as_view(), name="api-coercive-measure-release"
    ),
    path(
        "enforcement-cases/<int:pk>/debtor-searches/",
        DebtorSearchListCreateApi.as_view(),
        name="api-enforcement-debtor-searches",
    ),
    path("debtor-searches/<int:pk>/attempts/", DebtorSearchAttemptApi.as_view(), name="api-debtor-search-attempt"),
    path("debtor-searches/<int:pk>/close/", DebtorSearchCloseApi.as_view(), name="api-debtor-search-close"),
]
