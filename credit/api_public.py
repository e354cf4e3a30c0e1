"""The public API of credit (no credentials, throttled per client), and the staff endpoint that issues a case's
party-portal query code:

- ``GET /api/v1/public/dishonest/?q=``: the dishonest list (listed entries);
- ``GET /api/v1/public/restricted/?q=``: consumption restrictions in force;
- ``POST /api/v1/cases/{id}/query-code/``: issue (or re-issue) the query code of a case (``credit.portal``).

The public endpoints read the same selectors as the pages (``credit.selectors_public``): a term is required
(name, 身份证号 / 统一社会信用代码, or case number), at most ``RESULT_CAP`` matches are served (``capped`` says
when more matched), 20 a page, a person's ID number masked, never an address or phone number."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.selectors import case_get
from core.drf import HasCapability, Pagination
from core.exceptions import InvalidInput
from enforcement.api_public import PublicDisclosureThrottle

from .selectors_public import PAGE_SIZE, RESULT_CAP, public_listing_search, public_restriction_search
from .services.portal import portal_code_issue


class CreditPublicThrottle(PublicDisclosureThrottle):
    """Per client and scope ``credit_public``: 30 requests a minute unless the settings name another rate."""

    rate = "30/min"


class CappedPagination(Pagination):
    page_size = PAGE_SIZE
    page_size_query_param = None

    def paginate_queryset(self, queryset, request, view=None):
        self._capped = getattr(queryset, "capped", False)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["capped"] = self._capped
        response.data["cap"] = RESULT_CAP
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["capped"] = {"type": "boolean", "description": "More entries matched than are served."}
        schema["properties"]["cap"] = {"type": "integer", "example": RESULT_CAP}
        return schema


class PublicIdentitySerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()
    masked_id = serializers.CharField(help_text="A person's ID number masked; an organisation's credit code.")
    legal_representative = serializers.CharField()
    sex = serializers.CharField()
    age = serializers.IntegerField(allow_null=True)


class PublicCaseSerializer(serializers.Serializer):
    number = serializers.CharField()
    court = serializers.CharField()
    filed_on = serializers.DateField()
    basis = serializers.CharField(help_text="The enforcement basis: issuing body and document number.")
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    performed = serializers.DecimalField(max_digits=18, decimal_places=2)
    unperformed = serializers.DecimalField(max_digits=18, decimal_places=2)
    performance = serializers.CharField()


class PublicListingSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Opaque; the public page of the entry is /public/dishonest/{token}/.")
    debtor = PublicIdentitySerializer()
    case = PublicCaseSerializer()
    ground = serializers.CharField()
    conduct = serializers.CharField()
    listed_on = serializers.DateField()
    expires_on = serializers.DateField(allow_null=True)


class PublicBoundPersonSerializer(serializers.Serializer):
    role = serializers.CharField()
    name = serializers.CharField()


class PublicRestrictionSerializer(serializers.Serializer):
    debtor = PublicIdentitySerializer()
    case = PublicCaseSerializer()
    order_number = serializers.CharField()
    issued_on = serializers.DateField()
    prohibited = serializers.ListField(child=serializers.CharField())
    bound_persons = PublicBoundPersonSerializer(many=True, help_text="Role and name (never an identifier).")


_Q = OpenApiParameter(
    "q",
    OpenApiTypes.STR,
    required=True,
    description="A name (two characters match the beginning, three or more anywhere), a 身份证号 or 统一社会信用代码 "
    "(exact), or a case number (exact).",
)


class _PublicSearch(generics.ListAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [CreditPublicThrottle]
    throttle_scope = "credit_public"
    filter_backends: list = []
    pagination_class = CappedPagination
    search = None

    def get_queryset(self):
        result = type(self).search(q=self.request.query_params.get("q", ""))
        if not result.query.searchable:
            message = result.query.message or _("Enter a name, an ID number, a credit code or a case number.")
            raise InvalidInput({"q": [message]}, code="public_search.query")
        return result


@extend_schema(auth=[], parameters=[_Q])
class PublicDishonestListApi(_PublicSearch):
    """The dishonest list searched by one term, newest first, 20 a page (at most 200 matches)."""

    serializer_class = PublicListingSerializer
    search = staticmethod(public_listing_search)


@extend_schema(auth=[], parameters=[_Q])
class PublicRestrictedListApi(_PublicSearch):
    """Consumption restrictions in force searched by one term, newest first, 20 a page (at most 200)."""

    serializer_class = PublicRestrictionSerializer
    search = staticmethod(public_restriction_search)


class QueryCodeIssueApi(APIView):
    """Issue (or re-issue: the old code stops working) the party-portal query code of a case of the user's
    court. The code is in the response once and never again (only its digest is stored)."""

    permission_classes = [HasCapability.of("credit.portal")]

    @extend_schema(
        request=None,
        responses={
            201: inline_serializer(
                "QueryCodeIssued",
                {
                    "case": serializers.IntegerField(),
                    "case_number": serializers.CharField(),
                    "code": serializers.CharField(),
                },
            )
        },
    )
    def post(self, request, pk):
        case = case_get(user=request.user, case_id=pk)
        code = portal_code_issue(actor=request.user, case=case)
        return Response({"case": case.pk, "case_number": case.number, "code": code}, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("public/dishonest/", PublicDishonestListApi.as_view(), name="api-public-dishonest-list"),
    path("public/restricted/", PublicRestrictedListApi.as_view(), name="api-public-restricted-list"),
    path("cases/<int:pk>/query-code/", QueryCodeIssueApi.as_view(), name="api-case-query-code"),
]
