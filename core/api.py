from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .drf import HasCapability
from .models import Court
from .selectors import court_list
from .serializers import CourtSerializer, MeSerializer


class CourtListApi(generics.ListAPIView):
    """The courts of the system (reference data)."""

    serializer_class = CourtSerializer
    permission_classes = [HasCapability.of("court.view")]
    filterset_fields = ["level", "code"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, but the model is needed
            return Court.objects.none()
        return court_list(user=self.request.user)


class MeApi(APIView):
    """Who the caller is: staff member or agency client."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)
