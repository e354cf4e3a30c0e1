from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .drf import HasCapability
from .filters import AuditLogFilter
from .jobs import job_get
from .models import AuditLog, Court, Job
from .selectors import audit_search_base, audit_search_record, court_list
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


class AuditEntrySerializer(serializers.ModelSerializer):
    """One audit row, as the audit page shows it."""

    court_code = serializers.CharField(source="court.code", default=None, read_only=True)

    class Meta:
        model = AuditLog
        fields = [
            "id",
            "at",
            "actor",
            "actor_name",
            "court",
            "court_code",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "reason",
            "changes",
            "request_id",
            "ip_address",
        ]
        read_only_fields = fields


class AuditLogListApi(generics.ListAPIView):
    """The audit log of the caller's court (a superuser's: every court), newest first, paginated, with the
    audit page's filters. Read-only. Each call is itself recorded as an ``audit.search`` read (listed only when
    the ``action`` filter starts with ``audit``)."""

    serializer_class = AuditEntrySerializer
    permission_classes = [HasCapability.of("audit.view")]
    filterset_class = AuditLogFilter
    search_fields: list[str] = []
    ordering_fields = ["at", "id"]
    ordering = ["-at", "-id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuditLog.objects.none()
        return audit_search_base(user=self.request.user, params=self.request.query_params)

    def filter_queryset(self, queryset):
        rows = super().filter_queryset(queryset)  # an invalid filter answers 400 here, before anything is written
        audit_search_record(user=self.request.user, params=self.request.query_params)
        return rows
