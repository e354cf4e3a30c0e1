"""API of the dishonest list (失信被执行人名单): a case's entries and proposing one, the court's list, deciding,
extending, removing and the decision (.docx). Thin views: parse, call one service or selector, answer."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.choices import PartyRole
from core.drf import HasCapability, capability_for_method
from core.exceptions import RuleViolation
from core.files import stored_file_response

from .choices import ListingGround, ListingStatus
from .models import DishonestListing
from .selectors import ListingFilter, enforcement_case_for_listing, listing_get, listing_list, listings_of_case
from .serializers_listing import (
    ListingDecideSerializer,
    ListingExtendSerializer,
    ListingProposeSerializer,
    ListingRemoveSerializer,
    ListingSerializer,
)
from .services.listing import listing_decide, listing_extend, listing_propose
from .services.removal import listing_remove_early, listing_remove_on_applicant_request

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _parse(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


class CaseListingsApi(APIView):
    """GET: the dishonest-list entries of an enforcement case. POST: propose one of its debtors (失信规定 2017
    arts. 1, 3–5); refusals name their rule in ``code`` and write nothing."""

    permission_classes = [capability_for_method(read="credit.view", write="credit.propose")]

    @extend_schema(responses={200: ListingSerializer(many=True)})
    def get(self, request, pk):
        case = enforcement_case_for_listing(user=request.user, pk=pk)
        return Response(ListingSerializer(listings_of_case(user=request.user, enforcement_case=case), many=True).data)

    @extend_schema(request=ListingProposeSerializer, responses={201: ListingSerializer})
    def post(self, request, pk):
        fields = _parse(ListingProposeSerializer, request)
        case = enforcement_case_for_listing(user=request.user, pk=pk)
        link = case.case.party_links.select_related("party").filter(party_id=fields.pop("debtor")).first()
        if link is None or link.role != PartyRole.DEBTOR:
            raise RuleViolation(_("Only a debtor of the case can be listed as dishonest."), code="listing.not_a_debtor")
        listing = listing_propose(actor=request.user, enforcement_case=case, debtor=link.party, **fields)
        return Response(
            ListingSerializer(listing_get(user=request.user, pk=listing.pk)).data, status=status.HTTP_201_CREATED
        )


class ListingListApi(generics.ListAPIView):
    """The dishonest-list entries of the caller's court: ``?status=``, ``?ground=``, ``?debtor=``, ``?case=``,
    ``?overdue=``, ``?due_within=`` (days), ``?ordering=``; paginated."""

    permission_classes = [HasCapability.of("credit.view")]
    serializer_class = ListingSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=ListingStatus.values),
            OpenApiParameter("ground", str, enum=ListingGround.values),
            OpenApiParameter("debtor", str),
            OpenApiParameter("case", str),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("due_within", int),
            OpenApiParameter("ordering", str),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DishonestListing.objects.none()
        filterset = ListingFilter(self.request.query_params or None, queryset=listing_list(user=self.request.user))
        if filterset.is_bound and not filterset.is_valid():
            return filterset.queryset.none()
        return filterset.qs


class ListingDecideApi(APIView):
    """A division head other than the proposer approves (lists, decision, feed, consumption restriction) or
    refuses with a note."""

    permission_classes = [HasCapability.of("credit.approve")]

    @extend_schema(request=ListingDecideSerializer, responses={200: ListingSerializer})
    def post(self, request, pk):
        fields = _parse(ListingDecideSerializer, request)
        if fields.get("bound_persons") is not None:
            fields["bound_persons"] = [dict(row) for row in fields["bound_persons"]]
        listing_decide(actor=request.user, listing=listing_get(user=request.user, pk=pk), **fields)
        return Response(ListingSerializer(listing_get(user=request.user, pk=pk)).data)


class ListingExtendApi(APIView):
    """Extend a listing on grounds 2–6 by 1–3 years in total, with a reason (失信规定 art. 2)."""

    permission_classes = [HasCapability.of("credit.approve")]

    @extend_schema(request=ListingExtendSerializer, responses={200: ListingSerializer})
    def post(self, request, pk):
        fields = _parse(ListingExtendSerializer, request)
        listing_extend(actor=request.user, listing=listing_get(user=request.user, pk=pk), **fields)
        return Response(ListingSerializer(listing_get(user=request.user, pk=pk)).data)


class ListingRemoveApi(APIView):
    """Remove at once: ``kind`` "applicant_request" (art. 10(1)(3): starts the 6-month block) or "early"
    (art. 2(3))."""

    permission_classes = [HasCapability.of("credit.approve")]

    @extend_schema(request=ListingRemoveSerializer, responses={200: ListingSerializer})
    def post(self, request, pk):
        fields = _parse(ListingRemoveSerializer, request)
        listing = listing_get(user=request.user, pk=pk)
        if fields["kind"] == "applicant_request":
            listing_remove_on_applicant_request(actor=request.user, listing=listing, request_text=fields["reason"])
        else:
            listing_remove_early(actor=request.user, listing=listing, reason=fields["reason"])
        return Response(ListingSerializer(listing_get(user=request.user, pk=pk)).data)


class ListingDecisionApi(APIView):
    """The listing decision (决定书, .docx)."""

    permission_classes = [HasCapability.of("credit.view")]

    @extend_schema(responses={(200, DOCX): OpenApiResponse(OpenApiTypes.BINARY, description="The .docx file.")})
    def get(self, request, pk):
        listing = listing_get(user=request.user, pk=pk)
        return stored_file_response(listing.decision, content_type=DOCX)


urlpatterns = [
    path("enforcement-cases/<int:pk>/dishonest-listings/", CaseListingsApi.as_view(), name="api-case-listings"),
    path("dishonest-listings/", ListingListApi.as_view(), name="api-listing-list"),
    path("dishonest-listings/<int:pk>/decide/", ListingDecideApi.as_view(), name="api-listing-decide"),
    path("dishonest-listings/<int:pk>/extend/", ListingExtendApi.as_view(), name="api-listing-extend"),
    path("dishonest-listings/<int:pk>/remove/", ListingRemoveApi.as_view(), name="api-listing-remove"),
    path("dishonest-listings/<int:pk>/decision/", ListingDecisionApi.as_view(), name="api-listing-decision"),
]
