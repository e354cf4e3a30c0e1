from rest_framework import serializers

from .models import Court, User


class CourtSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Court
        fields = ["id", "code", "name", "level", "parent_code", "region_code", "address"]


class MeSerializer(serializers.ModelSerializer):
    court = CourtSerializer(read_only=True, allow_null=True)  # agencies' clients belong to no court

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "role", "organisation", "court"]


class CodeRelatedField(serializers.SlugRelatedField):
    """A ``SlugRelatedField`` (a court or agency named by its code) that refuses a NUL character before it
    queries: PostgreSQL cannot compare text holding one, and the lookup would fail as a server error instead
    of the 400 that the input deserves (found by the API fuzzing, tests/fuzz)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


class IdField(serializers.IntegerField):
    """The id of a row given in a request body: a positive 64-bit integer. Larger numbers are refused with a 400
    before they reach a query (SQLite cannot bind them: a server error, found by the API fuzzing)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)
