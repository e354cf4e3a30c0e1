"""API of enforcement: objections (执异, 民诉法 2023 arts. 236, 238) and reconsideration (执复, 异议复议规定 2015
art. 12). Thin views: parse, call one service or selector, answer. Mounted by ``enforcement/api_urls.py``.

- GET/POST ``enforcement-cases/<pk>/objections/``: the case's objections with their deadlines; file one.
- POST ``objections/<pk>/decide/``, ``objections/<pk>/withdraw/``, ``objections/<pk>/serve/``,
  ``objections/<pk>/reconsideration/``.
- POST ``reconsiderations/<pk>/extend/`` (the higher court's president), ``reconsiderations/<pk>/decide/`` (the
  higher court)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Party
from core.access import get_or_404, get_visible_or_404
from core.drf import HasCapability, capability_for_method
from core.exceptions import InvalidInput

from .choices import ObjectionKind
from .models import Objection, Reconsideration, StatusChange
from .selectors import enforcement_case_get
from .services import objections as svc


class ReconsiderationSerializer(serializers.ModelSerializer):
    court_name = serializers.CharField(source="court.name", read_only=True)
    case_number = serializers.CharField(source="case.number", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Reconsideration
        fields = [
            "id", "objection", "court", "court_name", "case_number", "applicant", "grounds", "filed_on",
            "decision_due_on", "extended", "status", "decided_on", "ruling",
        ]  # fmt: skip


class ObjectionSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", default=None, read_only=True, allow_null=True)
    objector_name = serializers.CharField(source="objector.name", read_only=True)
    overdue = serializers.SerializerMethodField()
    reconsideration_window_ends_on = serializers.SerializerMethodField()
    reconsideration = serializers.SerializerMethodField()

    class Meta:
        model = Objection
        fields = [
            "id", "enforcement_case", "case_number", "kind", "objector", "objector_name", "act", "act_description",
            "act_on", "asset_id", "asset_label", "grounds", "filed_on", "review_due_on", "overdue", "status",
            "decided_on", "ruling", "served_on", "reconsideration_window_ends_on", "reconsideration",
        ]  # fmt: skip

    def get_overdue(self, obj) -> bool:
        return svc.review_overdue(obj)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_reconsideration_window_ends_on(self, obj):
        end = svc.reconsideration_window_ends(obj)
        return end.isoformat() if end else None

    @extend_schema_field(ReconsiderationSerializer(allow_null=True))
    def get_reconsideration(self, obj):
        rec = Reconsideration.objects.filter(objection=obj).select_related("court", "case").first()
        return ReconsiderationSerializer(rec).data if rec else None


class ObjectionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ObjectionKind.choices)
    objector = serializers.IntegerField(help_text="a registered party (a party of the case or an outsider)")
    grounds = serializers.CharField()
    filed_on = serializers.DateField()
    act = serializers.IntegerField(required=False, allow_null=True, default=None)
    act_description = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    act_on = serializers.DateField(required=False, allow_null=True, default=None)
    asset_id = serializers.IntegerField(required=False, allow_null=True, default=None)


class DecideInputSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    on = serializers.DateField()
    ruling = serializers.CharField()


class ServeInputSerializer(serializers.Serializer):
    served_on = serializers.DateField()


class ObjectionWithdrawInputSerializer(serializers.Serializer):
    on = serializers.DateField()
    reason = serializers.CharField(max_length=200)


class ReconsiderationInputSerializer(serializers.Serializer):
    applicant = serializers.IntegerField()
    grounds = serializers.CharField()
    filed_on = serializers.DateField()


class ExtendInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


def _parse(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _party(pk) -> Party:
    party = Party.objects.filter(pk=pk).first()
    if party is None:
        raise InvalidInput({"party": ["No such party."]}, code="objection.party")
    return party


def _objection(request, pk) -> Objection:
    return get_visible_or_404(
        Objection.objects.select_related("enforcement_case__case", "objector", "case"),
        request.user,
        court_field=svc.COURT,
        pk=pk,
    )


def _reconsideration(request, pk) -> Reconsideration:
    """Visible at the higher court (which decides) and at the lower court (which recorded it)."""
    queryset = Reconsideration.objects.select_related("court", "case", "objection__enforcement_case__case")
    user = request.user
    if not user.is_superuser:
        queryset = queryset.filter(
            Q(court_id=user.court_id) | Q(objection__enforcement_case__case__court_id=user.court_id)
        )
    return get_or_404(queryset, pk=pk)


class CaseObjectionsApi(APIView):
    """GET: the case's objections with their deadlines. POST: file one (refusals: ``objection.late``,
    ``objection.objector_is_party``, ``objection.asset_required``, ``objection.date_in_future``)."""

    permission_classes = [capability_for_method(read="enforcement.view", write=svc.CAPABILITY)]

    @extend_schema(responses={200: ObjectionSerializer(many=True)})
    def get(self, request, pk):
        case = enforcement_case_get(user=request.user, pk=pk)
        rows = svc.objections_of_case(user=request.user, enforcement_case=case)
        return Response(ObjectionSerializer(rows, many=True).data)

    @extend_schema(request=ObjectionInputSerializer, responses={201: ObjectionSerializer})
    def post(self, request, pk):
        fields = _parse(ObjectionInputSerializer, request)
        case = enforcement_case_get(user=request.user, pk=pk)
        act_pk = fields.pop("act")
        act = StatusChange.objects.filter(enforcement_case=case, pk=act_pk).first() if act_pk else None
        if act_pk and act is None:
            raise InvalidInput({"act": ["The act is not one of this case."]}, code="objection.act")
        objection = svc.objection_file(
            actor=request.user, enforcement_case=case, objector=_party(fields.pop("objector")), act=act, **fields
        )
        return Response(ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)


class ObjectionDecideApi(APIView):
    permission_classes = [HasCapability.of(svc.CAPABILITY)]

    @extend_schema(request=DecideInputSerializer, responses={200: ObjectionSerializer})
    def post(self, request, pk):
        fields = _parse(DecideInputSerializer, request)
        objection = svc.objection_decide(actor=request.user, objection=_objection(request, pk), **fields)
        return Response(ObjectionSerializer(objection).data)


class ObjectionServeApi(APIView):
    permission_classes = [HasCapability.of(svc.CAPABILITY)]

    @extend_schema(request=ServeInputSerializer, responses={200: ObjectionSerializer})
    def post(self, request, pk):
        fields = _parse(ServeInputSerializer, request)
        objection = svc.objection_serve(actor=request.user, objection=_objection(request, pk), **fields)
        return Response(ObjectionSerializer(objection).data)


class ObjectionWithdrawApi(APIView):
    """The objector withdraws a pending objection (``objection.not_pending`` once ruled on or withdrawn)."""

    permission_classes = [HasCapability.of(svc.CAPABILITY)]

    @extend_schema(request=ObjectionWithdrawInputSerializer, responses={200: ObjectionSerializer})
    def post(self, request, pk):
        fields = _parse(ObjectionWithdrawInputSerializer, request)
        objection = svc.objection_withdraw(actor=request.user, objection=_objection(request, pk), **fields)
        return Response(ObjectionSerializer(objection).data)


class ReconsiderationFileApi(APIView):
    """Record the application for reconsideration (``reconsideration.late`` after 10 days of service)."""

    permission_classes = [HasCapability.of(svc.CAPABILITY)]

    @extend_schema(request=ReconsiderationInputSerializer, responses={201: ReconsiderationSerializer})
    def post(self, request, pk):
        fields = _parse(ReconsiderationInputSerializer, request)
        objection = _objection(request, pk)
        rec = svc.reconsideration_file(
            actor=request.user, objection=objection, applicant=_party(fields.pop("applicant")), **fields
        )
        return Response(ReconsiderationSerializer(rec).data, status=status.HTTP_201_CREATED)


class ReconsiderationExtendApi(APIView):
    permission_classes = [HasCapability.of(svc.PRESIDENT_CAPABILITY)]

    @extend_schema(request=ExtendInputSerializer, responses={200: ReconsiderationSerializer})
    def post(self, request, pk):
        fields = _parse(ExtendInputSerializer, request)
        rec = svc.reconsideration_extend(
            actor=request.user, reconsideration=_reconsideration(request, pk), reason=fields["reason"]
        )
        return Response(ReconsiderationSerializer(rec).data)


class ReconsiderationDecideApi(APIView):
    permission_classes = [HasCapability.of(svc.CAPABILITY)]

    @extend_schema(request=DecideInputSerializer, responses={200: ReconsiderationSerializer})
    def post(self, request, pk):
        fields = _parse(DecideInputSerializer, request)
        rec = svc.reconsideration_decide(actor=request.user, reconsideration=_reconsideration(request, pk), **fields)
        return Response(ReconsiderationSerializer(rec).data)


urlpatterns: list = [
    path("enforcement-cases/<int:pk>/objections/", CaseObjectionsApi.as_view(), name="api-enforcement-objections"),
    path("objections/<int:pk>/decide/", ObjectionDecideApi.as_view(), name="api-objection-decide"),
    path("objections/<int:pk>/serve/", ObjectionServeApi.as_view(), name="api-objection-serve"),
    path("objections/<int:pk>/withdraw/", ObjectionWithdrawApi.as_view(), name="api-objection-withdraw"),
    path(
        "objections/<int:pk>/reconsideration/", ReconsiderationFileApi.as_view(), name="api-objection-reconsideration"
    ),
    path("reconsiderations/<int:pk>/extend/", ReconsiderationExtendApi.as_view(), name="api-reconsideration-extend"),
    path("reconsiderations/<int:pk>/decide/", ReconsiderationDecideApi.as_view(), name="api-reconsideration-decide"),
]
