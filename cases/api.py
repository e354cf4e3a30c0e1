from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from core.drf import HasCapability, capability_for_method

from .filters import CaseFilter
from .models import Case, Party
from .selectors import case_get, case_list, party_get_personal, party_list
from .serializers import (
    CaseFileSerializer,
    CaseSerializer,
    PartyBriefSerializer,
    PartyDetailSerializer,
    PartyRegisterSerializer,
)
from .services import PartyInput, case_file, party_register


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
