"""API of bankruptcy (破, issue 8): 执转破 suggestions, the transfer (notice, consents, ruling, withdrawal, the
domicile court's decision), bankruptcy cases (administrator, claims, review, distribution, declaration,
closing) and a debtor's cases across courts. Thin views: parse, call one service, answer; refusals come back
as 4xx with the rule's ``code`` (``bankruptcy.…``) and write nothing."""

from __future__ import annotations

from django.db.models import Q
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Party
from core.access import get_or_404, get_visible_or_404, scope_to_user, visible_court_ids
from core.drf import HasCapability, capability_for_method
from core.exceptions import InvalidInput, NotFound
from core.models import Court
from enforcement.models import EnforcementCase

from . import services
from .choices import BankruptcyStatus, SuggestionStatus, TransferStatus
from .models import BankruptcyCase, Claim, Effect, Suggestion, Transfer
from .serializers import (
    BankruptcyAdministratorSerializer,
    BankruptcyCaseDetailSerializer,
    BankruptcyCaseSerializer,
    BankruptcyClaimFileSerializer,
    BankruptcyClaimPrefillSerializer,
    BankruptcyClaimReviewSerializer,
    BankruptcyClaimSerializer,
    BankruptcyCloseSerializer,
    BankruptcyConsentRecordSerializer,
    BankruptcyConsentSerializer,
    BankruptcyDebtorSerializer,
    BankruptcyDistributionRecordSerializer,
    BankruptcyDistributionSerializer,
    BankruptcyOnSerializer,
    BankruptcySuggestionDismissSerializer,
    BankruptcySuggestionSerializer,
    BankruptcyTransferDecideSerializer,
    BankruptcyTransferDetailSerializer,
    BankruptcyTransferProposeSerializer,
    BankruptcyTransferSerializer,
    BankruptcyTransferWithdrawSerializer,
)

CASE_COURT = "case__court"


def _parse(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput({field: [message]}, code="bankruptcy.invalid")


def _party(pk: int, field: str) -> Party:
    party = Party.objects.filter(pk=pk).first()
    if party is None:
        raise _invalid(field, _("No such party."))
    return party


# ---- scoping --------------------------------------------------------------------------------------------------------


def suggestions_visible(user):
    """Suggestions of debtors with a case at the user's court (Suggestion.courts)."""
    return scope_to_user(Suggestion.objects.select_related("debtor"), user, court_field="courts").distinct()


def transfers_visible(user):
    """A transfer is seen by the enforcement court and by the receiving (domicile) court."""
    queryset = Transfer.objects.select_related("debtor", "court", "receiving_court", "petition_case")
    court_ids = visible_court_ids(user)
    if court_ids is None:
        return queryset
    if not court_ids:
        return queryset.none()
    return queryset.filter(Q(court__in=court_ids) | Q(receiving_court__in=court_ids))


def bankruptcy_cases_visible(user):
    """A bankruptcy case is seen by its court, and read-only by the courts whose enforcement cases it touched."""
    queryset = BankruptcyCase.objects.select_related("case__court", "debtor")
    court_ids = visible_court_ids(user)
    if court_ids is None:
        return queryset
    if not court_ids:
        return queryset.none()
    ids = (
        BankruptcyCase.objects.filter(
            Q(case__court__in=court_ids) | Q(effects__enforcement_case__case__court__in=court_ids)
        )
        .values("pk")
        .distinct()
    )
    return queryset.filter(pk__in=ids)


def _transfer(request, pk) -> Transfer:
    return get_or_404(transfers_visible(request.user), pk=pk)


def _bankruptcy_case(request, pk) -> BankruptcyCase:
    return get_or_404(bankruptcy_cases_visible(request.user), pk=pk)


# ---- suggestions ----------------------------------------------------------------------------------------------------


class SuggestionListApi(generics.ListAPIView):
    """The 执转破 screening results for debtors with a case at the caller's court, highest score first;
    ``?status=open`` for the queue."""

    permission_classes = [HasCapability.of("bankruptcy.view")]
    serializer_class = BankruptcySuggestionSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=SuggestionStatus.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Suggestion.objects.none()
        queryset = suggestions_visible(self.request.user).prefetch_related("courts")
        wanted = self.request.query_params.get("status", "")
        if wanted in SuggestionStatus.values:
            queryset = queryset.filter(status=wanted)
        return queryset


class SuggestionDismissApi(APIView):
    """The officer decides a suggested debtor is not to be transferred (for now), with the reason."""

    permission_classes = [HasCapability.of("bankruptcy.transfer")]

    @extend_schema(request=BankruptcySuggestionDismissSerializer, responses={200: BankruptcySuggestionSerializer})
    def post(self, request, pk):
        fields = _parse(BankruptcySuggestionDismissSerializer, request)
        suggestion = get_or_404(suggestions_visible(request.user), pk=pk)
        suggestion = services.suggestion_dismiss(actor=request.user, suggestion=suggestion, note=fields["note"])
        return Response(BankruptcySuggestionSerializer(suggestion).data)


# ---- transfers ------------------------------------------------------------------------------------------------------


class TransferListCreateApi(generics.ListCreateAPIView):
    """GET: the transfers the caller's court made or received (``?status=``). POST: start 执转破 against a
    corporate debtor at the caller's court (解释 2022 art. 511): the notice goes to the applicants and the
    debtor, whose consent is then recorded."""

    permission_classes = [capability_for_method(read="bankruptcy.view", write="bankruptcy.transfer")]
    serializer_class = BankruptcyTransferSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=TransferStatus.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Transfer.objects.none()
        queryset = transfers_visible(self.request.user)
        wanted = self.request.query_params.get("status", "")
        if wanted in TransferStatus.values:
            queryset = queryset.filter(status=wanted)
        return queryset

    @extend_schema(request=BankruptcyTransferProposeSerializer, responses={201: BankruptcyTransferDetailSerializer})
    def post(self, request, *args, **kwargs):
        fields = _parse(BankruptcyTransferProposeSerializer, request)
        debtor = _party(fields["debtor"], "debtor")
        receiving_court = Court.objects.filter(pk=fields["receiving_court"], is_active=True).first()
        if receiving_court is None:
            raise _invalid("receiving_court", _("No such court."))
        suggestion = None
        if fields.get("suggestion"):
            suggestion = get_or_404(suggestions_visible(request.user), pk=fields["suggestion"])
        transfer = services.transfer_propose(
            actor=request.user,
            debtor=debtor,
            receiving_court=receiving_court,
            grounds=fields["grounds"],
            on=fields.get("on"),
            suggestion=suggestion,
        )
        transfer = _transfer(request, transfer.pk)
        return Response(BankruptcyTransferDetailSerializer(transfer).data, status=status.HTTP_201_CREATED)


class TransferDetailApi(APIView):
    """A transfer with its consents, the enforcement cases it covers, its decision due date and whether it is
    overdue (解释 2022 art. 512: 30 days)."""

    permission_classes = [HasCapability.of("bankruptcy.view")]

    @extend_schema(responses={200: BankruptcyTransferDetailSerializer})
    def get(self, request, pk):
        return Response(BankruptcyTransferDetailSerializer(_transfer(request, pk)).data)


class TransferConsentApi(APIView):
    """Record an applicant's or the debtor's answer to the notice (one consent suffices, art. 511)."""

    permission_classes = [HasCapability.of("bankruptcy.transfer")]

    @extend_schema(request=BankruptcyConsentRecordSerializer, responses={201: BankruptcyConsentSerializer})
    def post(self, request, pk):
        fields = _parse(BankruptcyConsentRecordSerializer, request)
        transfer = _transfer(request, pk)
        consent = services.consent_record(
            actor=request.user,
            transfer=transfer,
            party=_party(fields["party"], "party"),
            consents=fields["consents"],
            answered_on=fields["answered_on"],
            note=fields["note"],
        )
        return Response(BankruptcyConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class TransferRuleApi(APIView):
    """The transfer ruling (移送裁定) by a division head other than the proposer, once someone consented: the
    court's cases against the debtor are suspended and the file goes to the domicile court."""

    permission_classes = [HasCapability.of("bankruptcy.rule")]

    @extend_schema(request=BankruptcyOnSerializer, responses={200: BankruptcyTransferDetailSerializer})
    def post(self, request, pk):
        fields = _parse(BankruptcyOnSerializer, request)
        transfer = services.transfer_rule(actor=request.user, transfer=_transfer(request, pk), on=fields["on"])
        return Response(BankruptcyTransferDetailSerializer(_transfer(request, transfer.pk)).data)


class TransferWithdrawApi(APIView):
    """Withdraw a transfer awaiting consent (enforcement goes on, art. 514)."""

    permission_classes = [HasCapability.of("bankruptcy.transfer")]

    @extend_schema(request=BankruptcyTransferWithdrawSerializer, responses={200: BankruptcyTransferDetailSerializer})
    def post(self, request, pk):
        fields = _parse(BankruptcyTransferWithdrawSerializer, request)
        transfer = services.transfer_withdraw(
            actor=request.user, transfer=_transfer(request, pk), reason=fields["reason"]
        )
        return Response(BankruptcyTransferDetailSerializer(_transfer(request, transfer.pk)).data)


class TransferDecideApi(APIView):
    """The domicile court accepts the bankruptcy case (every enforcement case against the debtor is then
    suspended, in every court) or refuses it with reasons (the file goes back, enforcement resumes)."""

    permission_classes = [HasCapability.of("bankruptcy.decide")]

    @extend_schema(request=BankruptcyTransferDecideSerializer, responses={200: BankruptcyTransferDetailSerializer})
    def post(self, request, pk):
        fields = _parse(BankruptcyTransferDecideSerializer, request)
        transfer = services.transfer_decide(actor=request.user, transfer=_transfer(request, pk), **fields)
        return Response(BankruptcyTransferDetailSerializer(_transfer(request, transfer.pk)).data)


# ---- bankruptcy cases -----------------------------------------------------------------------------------------------


class BankruptcyCaseListApi(generics.ListAPIView):
    """The bankruptcy cases of the caller's court, and those that touched its enforcement cases (``?status=``)."""

    permission_classes = [HasCapability.of("bankruptcy.view")]
    serializer_class = BankruptcyCaseSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=BankruptcyStatus.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return BankruptcyCase.objects.none()
        queryset = bankruptcy_cases_visible(self.request.user)
        wanted = self.request.query_params.get("status", "")
        if wanted in BankruptcyStatus.values:
            queryset = queryset.filter(status=wanted)
        return queryset


def _case_detail(request, pk) -> dict:
    bc = get_or_404(
        bankruptcy_cases_visible(request.user).prefetch_related(
            "effects__enforcement_case__case", "claims__creditor", "distributions__shares"
        ),
        pk=pk,
    )
    return BankruptcyCaseDetailSerializer(bc).data


class BankruptcyCaseDetailApi(APIView):
    """A bankruptcy case with its effects on the enforcement cases, the claims and the distributions."""

    permission_classes = [HasCapability.of("bankruptcy.view")]

    @extend_schema(responses={200: BankruptcyCaseDetailSerializer})
    def get(self, request, pk):
        return Response(_case_detail(request, pk))


class AdministratorAppointApi(APIView):
    """Appoint the administrator (管理人) and fix the claims period (企业破产法 arts. 13, 45)."""

    permission_classes = [HasCapability.of("bankruptcy.decide")]

    @extend_schema(request=BankruptcyAdministratorSerializer, responses={200: BankruptcyCaseDetailSerializer})
    def post(self, request, pk):
        fields = _parse(BankruptcyAdministratorSerializer, request)
        bc = services.administrator_appoint(actor=request.user, bankruptcy_case=_bankruptcy_case(request, pk), **fields)
        return Response(_case_detail(request, bc.pk))


class ClaimPrefillApi(APIView):
    """What each creditor of an enforcement case against the debtor is still owed there (the claims form's
    starting values)."""

    permission_classes = [HasCapability.of("bankruptcy.view")]

    @extend_schema(responses={200: BankruptcyClaimPrefillSerializer(many=True)})
    def get(self, request, pk):
        rows = services.claim_prefill(_bankruptcy_case(request, pk))
        return Response(BankruptcyClaimPrefillSerializer(rows, many=True).data)


class ClaimFileApi(APIView):
    """Register a creditor's claim (债权申报); a claim above what its enforcement case still awards needs its
    documents named (``bankruptcy.claim_over_enforcement``)."""

    permission_classes = [HasCapability.of("bankruptcy.decide")]

    @extend_schema(request=BankruptcyClaimFileSerializer, responses={201: BankruptcyClaimSerializer})
    def post(self, request, pk):
        fields = _parse(BankruptcyClaimFileSerializer, request)
        bc = _bankruptcy_case(request, pk)
        enforcement_case = None
        if fields.get("enforcement_case"):
            enforcement_case = (
                EnforcementCase.objects.select_related("case").filter(pk=fields["enforcement_case"]).first()
            )
            if enforcement_case is None:
                raise _invalid("enforcement_case", _("No such enforcement case."))
        claim = services.claim_file(
            actor=request.user,
            bankruptcy_case=bc,
            creditor=_party(fields["creditor"], "creditor"),
            kind=fields["kind"],
            amount=fields["amount"],
            on=fields["on"],
            enforcement_case=enforcement_case,
            documents=fields["documents"],
        )
        return Response(BankruptcyClaimSerializer(claim).data, status=status.HTTP_201_CREATED)


class ClaimReviewApi(APIView):
    """Review a claim: admitted in full, in part (with a note), or rejected (0, with a note)."""

    permission_classes = [HasCapability.of("bankruptcy.decide")]

    @extend_schema(request=BankruptcyClaimReviewSerializer, responses={200: BankruptcyClaimSerializer})
    def post(self, request, pk):
        fields = _parse(BankruptcyClaimReviewSerializer, request)
        claim = get_visible_or_404(
            Claim.objects.select_related("bankruptcy_case"),
            request.user,
            court_field="bankruptcy_case__case__court",
            pk=pk,
        )
        claim = services.claim_review(actor=request.user, claim=claim, **fields)
        return Response(BankruptcyClaimSerializer(claim).data)


class DistributionRecordApi(APIView):
    """Distribute an amount among the admitted claims in the statutory order (企业破产法 art. 113)."""

    permission_classes = [HasCapability.of("bankruptcy.decide")]

    @extend_schema(request=BankruptcyDistributionRecordSerializer, responses={201: BankruptcyDistributionSerializer})
    def post(self, request, pk):
        fields = _parse(BankruptcyDistributionRecordSerializer, request)
        distribution = services.distribution_record(
            actor=request.user, bankruptcy_case=_bankruptcy_case(request, pk), **fields
        )
        return Response(BankruptcyDistributionSerializer(distribution).data, status=status.HTTP_201_CREATED)


class DeclareApi(APIView):
    """Declare the debtor bankrupt: every enforcement case the acceptance suspended ends (终结执行)."""

    permission_classes = [HasCapability.of("bankruptcy.decide")]

    @extend_schema(request=BankruptcyOnSerializer, responses={200: BankruptcyCaseDetailSerializer})
    def post(self, request, pk):
        fields = _parse(BankruptcyOnSerializer, request)
        bc = services.bankruptcy_declare(actor=request.user, bankruptcy_case=_bankruptcy_case(request, pk), **fields)
        return Response(_case_detail(request, bc.pk))


class CloseApi(APIView):
    """Close the bankruptcy case after the declaration (企业破产法 arts. 43, 120)."""

    permission_classes = [HasCapability.of("bankruptcy.decide")]

    @extend_schema(request=BankruptcyCloseSerializer, responses={200: BankruptcyCaseDetailSerializer})
    def post(self, request, pk):
        fields = _parse(BankruptcyCloseSerializer, request)
        bc = services.bankruptcy_close(actor=request.user, bankruptcy_case=_bankruptcy_case(request, pk), **fields)
        return Response(_case_detail(request, bc.pk))


# ---- a debtor across courts -----------------------------------------------------------------------------------------


class DebtorApi(APIView):
    """Every enforcement case against the debtor in every court (number, court, status, what the bankruptcy did
    to it) and its transfers and bankruptcy cases. Seen by the staff of any court with a case against it."""

    permission_classes = [HasCapability.of("bankruptcy.view")]

    @extend_schema(responses={200: BankruptcyDebtorSerializer})
    def get(self, request, party_id):
        debtor = Party.objects.filter(pk=party_id).first()
        if debtor is None:
            raise NotFound(_("Not found."))
        cases = list(
            services.debtor_enforcement_cases(debtor).select_related("case__court").order_by("case__court_id", "pk")
        )
        court_ids = visible_court_ids(request.user)
        if court_ids is not None and not any(ec.case.court_id in court_ids for ec in cases):
            raise NotFound(_("Not found."))
        latest = {}
        for effect in Effect.objects.filter(enforcement_case__in=[ec.pk for ec in cases]).order_by("at", "pk"):
            latest[effect.enforcement_case_id] = effect.kind
        for ec in cases:
            ec.bankruptcy_effect = latest.get(ec.pk, "")
        body = {
            "id": debtor.pk,
            "name": debtor.name,
            "id_number": debtor.id_number,
            "kind": debtor.kind,
            "enforcement_cases": cases,
            "transfers": Transfer.objects.filter(debtor=debtor).select_related(
                "debtor", "court", "receiving_court", "petition_case"
            ),
            "bankruptcy_cases": BankruptcyCase.objects.filter(debtor=debtor).select_related("case__court", "debtor"),
        }
        return Response(BankruptcyDebtorSerializer(body).data)


urlpatterns = [
    path("bankruptcy/suggestions/", SuggestionListApi.as_view(), name="api-bankruptcy-suggestion-list"),
    path(
        "bankruptcy/suggestions/<int:pk>/dismiss/",
        SuggestionDismissApi.as_view(),
        name="api-bankruptcy-suggestion-dismiss",
    ),
    path("bankruptcy/transfers/", TransferListCreateApi.as_view(), name="api-bankruptcy-transfer-list"),
    path("bankruptcy/transfers/<int:pk>/", TransferDetailApi.as_view(), name="api-bankruptcy-transfer-detail"),
    path(
        "bankruptcy/transfers/<int:pk>/consents/", TransferConsentApi.as_view(), name="api-bankruptcy-transfer-consents"
    ),
    path("bankruptcy/transfers/<int:pk>/rule/", TransferRuleApi.as_view(), name="api-bankruptcy-transfer-rule"),
    path(
        "bankruptcy/transfers/<int:pk>/withdraw/",
        TransferWithdrawApi.as_view(),
        name="api-bankruptcy-transfer-withdraw",
    ),
    path("bankruptcy/transfers/<int:pk>/decide/", TransferDecideApi.as_view(), name="api-bankruptcy-transfer-decide"),
    path("bankruptcy/cases/", BankruptcyCaseListApi.as_view(), name="api-bankruptcy-case-list"),
    path("bankruptcy/cases/<int:pk>/", BankruptcyCaseDetailApi.as_view(), name="api-bankruptcy-case-detail"),
    path(
        "bankruptcy/cases/<int:pk>/administrator/",
        AdministratorAppointApi.as_view(),
        name="api-bankruptcy-case-administrator",
    ),
    path("bankruptcy/cases/<int:pk>/claims/", ClaimFileApi.as_view(), name="api-bankruptcy-case-claims"),
    path("bankruptcy/cases/<int:pk>/claim-prefill/", ClaimPrefillApi.as_view(), name="api-bankruptcy-claim-prefill"),
    path("bankruptcy/claims/<int:pk>/review/", ClaimReviewApi.as_view(), name="api-bankruptcy-claim-review"),
    path(
        "bankruptcy/cases/<int:pk>/distributions/",
        DistributionRecordApi.as_view(),
        name="api-bankruptcy-case-distributions",
    ),
    path("bankruptcy/cases/<int:pk>/declare/", DeclareApi.as_view(), name="api-bankruptcy-case-declare"),
    path("bankruptcy/cases/<int:pk>/close/", CloseApi.as_view(), name="api-bankruptcy-case-close"),
    path("bankruptcy/debtors/<int:party_id>/", DebtorApi.as_view(), name="api-bankruptcy-debtor"),
]
