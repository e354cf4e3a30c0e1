from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .drf import HasCapability
from .jobs import job_get
from .models import Court, Job
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


class JobProgressSerializer(serializers.ModelSerializer):
    """A long job's progress: ``done`` of ``total``, the status, the summary or error, where the result is."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "total",
            "done",
            "percent",
            "status",
            "status_display",
            "message",
            "url",
            "download_url",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_download_url(self, job: Job) -> str:
        return reverse("job-download", args=[job.pk]) if job.result else ""


class JobApi(APIView):
    """One of the caller's jobs with its live progress (poll it while ``status`` is queued or running)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=JobProgressSerializer)
    def get(self, request, pk: int):
        return Response(JobProgressSerializer(job_get(user=request.user, pk=pk)).data)
