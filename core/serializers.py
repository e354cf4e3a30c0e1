from rest_framework import serializers

from .models import Court, User


class CourtSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True)

    class Meta:
        model = Court
        fields = ["id", "code", "name", "level", "parent_code", "region_code", "address"]


class MeSerializer(serializers.ModelSerializer):
    court = CourtSerializer(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "role", "organisation", "court"]
