"""/api/v1/credit-feed/: the credit feed for agencies (banks, airlines, railways, credit bureaus; issue 6,
item 6) — the changes to the dishonest list and the restrictions since a cursor, for the agencies that
enforce them (失信规定 2017 art. 8: joint credit penalties; 限制消费规定 2015).

**Polling contract.** The agency's client authenticates with its API key (``Authorization: Api-Key
<prefix>.<secret>``, scope "agency"; a staff session is not an agency) and polls
``GET /api/v1/credit-feed/?cursor=<last id>`` every minute, starting from ``cursor=0``:

- it receives the events with ``id > cursor`` of the kinds its subscription entitles it to, in id order, at
  most ``limit`` (default 500, at most 1000);
- it stores ``next_cursor`` (the last id returned; the cursor it sent when nothing was new) and sends it next
  time; while ``has_more`` is true it reads again at once;
- every listing, removal, restriction and lifting writes its event in the transaction of the change
  (``credit.feed.feed_record``), so an event is visible from the moment the change commits and never for a
  change that was rolled back: a removal reaches the agencies at their next poll, within a minute;
- ids only grow; a cursor beyond the newest event is refused (400 ``feed.cursor_from_the_future``), a
  malformed one too (400 ``feed.cursor_malformed``); an agency without an active subscription gets 403
  (``feed.not_subscribed``).

Every read is audited (who read which range): the events carry the names and full identifiers of the
persons concerned."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from assets.api import AgencyApiMixin
from assets.services.answers import agency_of

from .selectors_feed import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    feed_newest_id,
    feed_read,
    feed_subscription_of,
    parse_cursor,
    parse_limit,
)
from .serializers_feed import FeedPageSerializer, FeedStatusSerializer

EXAMPLE_PAGE = {
    "events": [
        {
            "id": 1041,
            "kind": "listing.published",
            "at": "2026-03-02T09:15:00+08:00",
            "payload": {
                "case_number": "(2026)京0105执1234号",
                "court": "北京市朝阳区人民法院",
                "name": "王强",
                "identifier": "110105198001011234",
                "ground": "able_but_refuses",
                "listed_on": "2026-03-02",
            },
            "case_number": "(2026)京0105执1234号",
        },
        {
            "id": 1042,
            "kind": "listing.removed",
            "at": "2026-03-02T09:40:00+08:00",
            "payload": {
                "case_number": "(2025)京0105执88号",
                "court": "北京市朝阳区人民法院",
                "name": "北京恒通商贸有限公司",
                "identifier": "91110105MA0000011X",
                "removal_event": "performed",
                "removed_on": "2026-03-02",
            },
            "case_number": "(2025)京0105执88号",
        },
    ],
    "cursor": 1040,
    "next_cursor": 1042,
    "has_more": False,
}


class CreditFeedApi(AgencyApiMixin, APIView):
    """The events after ``cursor`` the calling agency is entitled to (see the module's polling contract)."""

    @extend_schema(
        operation_id="credit_feed_read",
        parameters=[
            OpenApiParameter(
                "cursor", OpenApiTypes.INT, description="The last event id read (next_cursor); 0 at the start."
            ),
            OpenApiParameter(
                "limit",
                OpenApiTypes.INT,
                description=f"At most this many events (default {DEFAULT_LIMIT}, at most {MAX_LIMIT}).",
            ),
        ],
        responses={
            200: FeedPageSerializer,
            400: OpenApiResponse(description="feed.cursor_from_the_future, feed.cursor_malformed"),
            403: OpenApiResponse(description="feed.not_subscribed, or not an agency client"),
        },
        examples=[OpenApiExample("A listing and a removal", value=EXAMPLE_PAGE, response_only=True)],
    )
    def get(self, request):
        agency = agency_of(request.user)
        cursor = parse_cursor(request.query_params.get("cursor"))
        limit = parse_limit(request.query_params.get("limit"))
        page = feed_read(user=request.user, agency=agency, cursor=cursor, limit=limit)
        body = {
            "events": page.events,
            "cursor": page.cursor,
            "next_cursor": page.next_cursor,
            "has_more": page.has_more,
        }
        return Response(FeedPageSerializer(body).data)


class CreditFeedStatusApi(AgencyApiMixin, APIView):
    """The newest event id of the feed and the kinds the calling agency reads."""

    @extend_schema(
        operation_id="credit_feed_status",
        responses={200: FeedStatusSerializer, 403: OpenApiResponse(description="feed.not_subscribed")},
        examples=[
            OpenApiExample(
                "A bank",
                value={"newest_id": 1042, "kinds": ["listing.published", "listing.removed"], "active": True},
                response_only=True,
            )
        ],
    )
    def get(self, request):
        subscription = feed_subscription_of(agency_of(request.user))
        body = {"newest_id": feed_newest_id(), "kinds": subscription.kinds, "active": subscription.active}
        return Response(FeedStatusSerializer(body).data)


urlpatterns = [
    path("credit-feed/", CreditFeedApi.as_view(), name="api-credit-feed"),
    path("credit-feed/status/", CreditFeedStatusApi.as_view(), name="api-credit-feed-status"),
]
