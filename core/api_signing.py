"""``GET /api/v1/signing-keys/``: the courts' public signing keys (电子签章), open to anyone and throttled, so
that an agency or a reader of a document can check a court's signature (``core.signing``). Never a private
key; retired and revoked keys stay listed with their dates."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from .drf import DefaultRateScopedThrottle
from .models import CourtSigningKey


class SigningKeysThrottle(DefaultRateScopedThrottle):
    """Per client (IP address) and scope ``signing_keys``: 600 requests a minute unless the settings name
    another rate (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["signing_keys"]``)."""

    rate = "600/min"


class SigningKeySerializer(serializers.ModelSerializer):
    court = serializers.CharField(source="court.code", read_only=True, help_text="The court's code, e.g. 京0105.")
    court_name = serializers.CharField(source="court.name", read_only=True)
    public_key = serializers.CharField(read_only=True, help_text="The raw 32-byte Ed25519 public key, base64.")

    class Meta:
        model = CourtSigningKey
        fields = [
            "court",
            "court_name",
            "key_id",
            "algorithm",
            "public_key",
            "activates_at",
            "retires_at",
            "revoked_at",
        ]
        read_only_fields = fields


@extend_schema(auth=[])
class SigningKeyListApi(generics.ListAPIView):
    """Every court's signing keys, newest first within a court. A signature holds while its key is active
    (``activates_at`` passed), not retired (before ``retires_at``, if set) and not revoked."""

    serializer_class = SigningKeySerializer
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [SigningKeysThrottle]
    throttle_scope = "signing_keys"
    filter_backends: list = []
    pagination_class = None
    queryset = CourtSigningKey.objects.select_related("court").order_by("court__code", "-activates_at", "-id")
