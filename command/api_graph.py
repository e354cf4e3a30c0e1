"""API of the relation graph (知识图谱): ``GET /api/v1/parties/{id}/graph/?depth=2``, the nodes and links of the
page (same scoping, same audit row)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Party
from core.access import get_or_404
from core.drf import HasCapability

from .graph import debtor_graph, parse_depth


class GraphClueMarkSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    level = serializers.CharField(help_text='"high" (score 70 or more), "medium" (45 or more) or "low".')
    case = serializers.CharField(help_text="The case number whose rules made the transfer a clue.")
    reasons = serializers.ListField(child=serializers.CharField())


class GraphNodeSerializer(serializers.Serializer):
    id = serializers.CharField(help_text='"party-12", "case-5" or "asset-9".')
    kind = serializers.ChoiceField(choices=["party", "case", "asset"])
    pk = serializers.IntegerField()
    name = serializers.CharField(help_text="A party's name (never an identity number), a case number, an asset.")
    category = serializers.IntegerField(help_text="Index into ``categories``.")
    category_key = serializers.ChoiceField(choices=["debtor", "person", "company", "case", "asset"])
    url = serializers.CharField(allow_blank=True, help_text="The page to open; empty when the user may not see it.")
    detail = serializers.DictField(
        help_text="party: kind, hops, visible; case: number, court, status, own_court (filing_date and amount "
        "for the user's own court); asset: category, description, value, case."
    )
    clue = GraphClueMarkSerializer(allow_null=True, help_text="Set on a party that received a clue transfer.")


class GraphLinkSerializer(serializers.Serializer):
    source = serializers.CharField()
    target = serializers.CharField()
    kind = serializers.ChoiceField(choices=["relation", "role", "owner", "transfer"])
    label = serializers.CharField()
    directed = serializers.BooleanField(help_text="False for a symmetric relation (spouse, shared address…).")
    detail = serializers.DictField()
    clue = GraphClueMarkSerializer(allow_null=True, help_text="Set on a transfer that is a hidden-asset clue.")


class GraphCategorySerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class GraphSerializer(serializers.Serializer):
    centre = serializers.CharField()
    depth = serializers.IntegerField()
    truncated = serializers.BooleanField()
    omitted = serializers.IntegerField(help_text="Nodes left out beyond the limit (nearest kept).")
    categories = GraphCategorySerializer(many=True)
    nodes = GraphNodeSerializer(many=True)
    links = GraphLinkSerializer(many=True)


class PartyGraphApi(APIView):
    """The relation graph of a party on a case of the user's court: parties within ``depth`` hops, their cases
    at every court (another court's as number, court and status only), their assets on the user's court's
    cases, the transfers between them and the hidden-asset clues. Audited as a staff read of personal data."""

    serializer_class = GraphSerializer
    permission_classes = [HasCapability.of("command.graph")]

    @extend_schema(
        operation_id="party_graph",
        parameters=[OpenApiParameter("depth", OpenApiTypes.INT, enum=[1, 2, 3], description="hops (default 2)")],
        responses=GraphSerializer,
    )
    def get(self, request, pk: int):
        depth = parse_depth(request.query_params.get("depth"))
        party = get_or_404(Party.objects.all(), pk=pk)
        graph = debtor_graph(user=request.user, party=party, depth=depth)
        return Response(GraphSerializer(graph.as_data()).data)


urlpatterns = [path("parties/<int:pk>/graph/", PartyGraphApi.as_view(), name="api-party-graph")]
