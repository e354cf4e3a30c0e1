"""Serializers of the credit feed (issue 6, item 6)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .choices import FeedEventKind
from .models import FeedEvent


class FeedEventSerializer(serializers.ModelSerializer):
    at = serializers.DateTimeField(source="created_at")
    case_number = serializers.CharField(allow_null=True, help_text=_("The enforcement case number (执行案号)."))
    payload = serializers.JSONField(
        help_text=_(
            "What the agency needs to act, written with the change: the case number, court, the party's name and "
            "full identifier, the ground or the restriction's items, dates."
        )
    )

    class Meta:
        model = FeedEvent
        fields = ["id", "kind", "at", "payload", "case_number"]


class FeedPageSerializer(serializers.Serializer):
    events = FeedEventSerializer(many=True)
    cursor = serializers.IntegerField(help_text=_("The cursor asked for."))
    next_cursor = serializers.IntegerField(
        help_text=_("Send it as ``cursor`` next time: the last id returned, or the cursor asked for when none.")
    )
    has_more = serializers.BooleanField(help_text=_("More events are waiting: read again at once."))


class FeedStatusSerializer(serializers.Serializer):
    newest_id = serializers.IntegerField(help_text=_("The newest event id of the whole feed (0 when empty)."))
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=FeedEventKind.choices))
    active = serializers.BooleanField()
