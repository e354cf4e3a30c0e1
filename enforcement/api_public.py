"""The public API of the 终本 case database (终本规定 2016 arts. 12–13): ``/api/v1/public/terminated-cases/``.

Open to anyone (no credentials: the only ``AllowAny`` endpoints of the platform are public disclosures) and
throttled per client, so that the list cannot be scraped in bulk. Only public entries are served (published,
not masked), each person's ID number masked."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from core.drf import DefaultRateScopedThrottle, Pagination

from .models import TerminatedCaseEntry
from .selectors_public import public_entry_get, public_entry_list


class PublicDisclosureThrottle(DefaultRateScopedThrottle):
    """Per client and scope, 60 requests a minute unless the settings name a rate for the scope
    (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public"]``)."""

    rate = "60/min"


class PublicPagination(Pagination):
    page_size = 25
    max_page_size = 100


class PublicDebtorSerializer(serializers.Serializer):
    name = serializers.CharField()
    masked_id = serializers.CharField(help_text=_("A person's ID number masked; an organisation's credit code."))
    kind = serializers.CharField()
    legal_representative = serializers.CharField(required=False)


class PublicTerminatedCaseSerializer(serializers.ModelSerializer):
    debtors = PublicDebtorSerializer(many=True, read_only=True)

    class Meta:
        model = TerminatedCaseEntry
        fields = [
            "id",
            "case_number",
            "court_name",
            "filed_on",
            "debtors",
            "document_number",
            "obligation",
            "amount",
            "unperformed_amount",
            "ruled_on",
            "published_on",
        ]
        read_only_fields = fields


class _Public:
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicDisclosureThrottle]
    throttle_scope = "public"
    filter_backends: list = []
    serializer_class = PublicTerminatedCaseSerializer


@extend_schema(
    auth=[],
    parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description="Part of a debtor's name or of the case number."),
        OpenApiParameter("court", OpenApiTypes.STR, description="The court's name or code (京0105)."),
        OpenApiParameter("ruled_from", OpenApiTypes.DATE, description="Ruled on or after this day."),
        OpenApiParameter("ruled_to", OpenApiTypes.DATE, description="Ruled on or before this day."),
    ],
)
class PublicTerminatedCaseListApi(_Public, generics.ListAPIView):
    """The public 终本 list, newest ruling first, 25 a page; no credentials needed, throttled."""

    pagination_class = PublicPagination

    def get_queryset(self):
        params = self.request.query_params
        return public_entry_list(
            q=params.get("q", ""),
            court=params.get("court", ""),
            ruled_from=_date(params, "ruled_from"),
            ruled_to=_date(params, "ruled_to"),
        )


@extend_schema(auth=[])
class PublicTerminatedCaseDetailApi(_Public, generics.RetrieveAPIView):
    """One public 终本 entry (404 when missing, not published or masked)."""

    def get_object(self):
        return public_entry_get(pk=self.kwargs["pk"])


def _date(params, name: str):
    field = serializers.DateField(required=False, allow_null=True)
    value = params.get(name)
    if not value:
        return None
    try:
        return field.to_internal_value(value)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({name: exc.detail}) from exc


urlpatterns = [
    path(
        "public/terminated-cases/",
        PublicTerminatedCaseListApi.as_view(),
        name="api-public-terminated-list",
    ),
    path(
        "public/terminated-cases/<int:pk>/",
        PublicTerminatedCaseDetailApi.as_view(),
        name="api-public-terminated-detail",
    ),
]
