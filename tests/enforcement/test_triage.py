"""繁简分流: the difficulty score, its reasons and the track; storing it and overriding the track."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from cases.checks import PartyRecord, register_party_record_provider
from cases.choices import CaseType, DocumentKind, MeasureKind, PartyRole, PropertyClass
from cases.models import EffectiveDocument, PreservationApplication, PreservationMeasure
from core.exceptions import InvalidInput, PermissionDenied, RuleViolation
from core.models import AuditLog
from enforcement.choices import Status, Track
from enforcement.models import EnforcementCase
from enforcement.services.assignment import case_set_track, case_triage
from enforcement.triage import COMPLEX_THRESHOLD, register_business_status, triage_score
from tests.factories import CaseFactory, CourtFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


@pytest.fixture
def court(db):
    return CourtFactory(chaoyang=True)


@pytest.fixture
def other_court(db):
    return CourtFactory(haidian=True)


@pytest.fixture
def officer(court):
    return UserFactory(officer=True, court=court, username="officer-0105")


def make_ec(court, *, amount="100000", debtors=None, status=Status.FILED, document=None, **fields):
    debtors = debtors if debtors is not None else [PartyFactory()]
    parties = [(PartyRole.CREDITOR, PartyFactory())] + [(PartyRole.DEBTOR, d) for d in debtors]
    case = CaseFactory(court=court, amount=Decimal(amount), parties=parties)
    ec = EnforcementCase(case=case, status=status, source_document=document, **fields)
    ec.save()
    return ec


def factors(result) -> dict[str, int]:
    return {r["factor"]: r["points"] for r in result.reasons}


def test_a_small_claim_against_one_person_is_simple_with_its_reasons(court):
    result = triage_score(make_ec(court, amount="30000", debtors=[PartyFactory(name="王小明")]))
    assert factors(result) == {"amount": 0, "debtor_type": 4}
    assert result.score == 4
    assert result.track == Track.SIMPLE
    assert result.reasons[1]["text"] == "The debtor 王小明 is a natural person."
    assert result.reasons[0]["text"] == "Amount to enforce ¥30,000.00: band up to ¥50,000.00."


@pytest.mark.parametrize(
    ("amount", "points"),
    [("50000", 0), ("50000.01", 8), ("200000", 8), ("1000000", 16), ("5000000", 24), ("5000000.01", 32)],
)
def test_the_amount_adds_points_by_band(court, amount, points):
    assert factors(triage_score(make_ec(court, amount=amount)))["amount"] == points


def test_an_organisation_and_several_debtors_add_difficulty(court):
    company = PartyFactory(organisation=True, name="北京某某贸易有限公司")
    result = triage_score(make_ec(court, amount="30000", debtors=[company, PartyFactory(), PartyFactory()]))
    assert factors(result) == {"amount": 0, "debtor_type": 12, "several_debtors": 12}
    assert "3 debtors on the case." in [r["text"] for r in result.reasons]


def test_other_open_enforcement_cases_against_the_debtor_count_but_closed_ones_do_not(court):
    debtor = PartyFactory(organisation=True)
    make_ec(court, debtors=[debtor])
    make_ec(court, debtors=[debtor], status=Status.INVESTIGATING)
    make_ec(court, debtors=[debtor], status=Status.CLOSED, closing_kind="completed", closed_on=TODAY)
    result = triage_score(make_ec(court, amount="30000", debtors=[debtor]))
    assert factors(result)["other_cases"] == 12
    assert f"{debtor.name}: debtor in 2 other open enforcement case(s)." in [r["text"] for r in result.reasons]


def test_a_credit_listing_from_a_registered_provider_adds_its_points(court):
    debtor = PartyFactory()

    def credit(ids):
        return (
            {debtor.pk: [PartyRecord("credit", "dishonest_listed", 1, "已被列入失信名单")]} if debtor.pk in ids else {}
        )

    register_party_record_provider("credit-test", credit)
    try:
        result = triage_score(make_ec(court, amount="30000", debtors=[debtor]))
    finally:
        from cases import checks

        checks._PROVIDERS.pop("credit-test")
    assert factors(result)["credit"] == 15
    assert f"Credit record: {debtor.name}：已被列入失信名单." in [r["text"] for r in result.reasons]


def _measure(case, amount):
    application = PreservationApplication.objects.create(
        case=CaseFactory(court=case.court, case_type=CaseType.PRESERVATION_REVIEW),
        kind="pre_suit",
        applicant=PartyFactory(),
        respondent=PartyFactory(),
        amount=Decimal("1"),
        applied_on=TODAY,
        status="granted",
    )
    return PreservationMeasure.objects.create(
        application=application,
        kind=MeasureKind.FREEZE,
        property_class=PropertyClass.DEPOSIT,
        asset_description="工商银行账户",
        amount=Decimal(amount),
        starts_on=TODAY,
        expires_on=TODAY + dt.timedelta(days=365),
        carried_into=case,
    )


def test_preserved_assets_carried_over_make_the_case_simpler_more_so_when_they_cover_the_claim(court):
    partly = make_ec(court, amount="300000")
    _measure(partly.case, "100000")
    covered = make_ec(court, amount="300000")
    _measure(covered.case, "200000")
    _measure(covered.case, "100000")
    assert factors(triage_score(partly))["known_assets"] == -10
    result = triage_score(covered)
    assert factors(result)["known_assets"] == -20
    assert "2 preservation measure(s) carried over control ¥300,000.00, covering the claim." in [
        r["text"] for r in result.reasons
    ]


def test_a_mediation_statement_lowers_the_score_and_a_judgment_adds_nothing(court):
    def document(kind):
        source = CaseFactory(court=court, case_type=CaseType.CIVIL_FIRST)
        return EffectiveDocument.objects.create(
            case=source,
            kind=kind,
            number=source.number,
            issuing_body="北京市朝阳区人民法院",
            issued_on=TODAY,
            effective_on=TODAY,
            principal=Decimal("100000"),
        )

    mediated = triage_score(make_ec(court, document=document(DocumentKind.MEDIATION)))
    judged = triage_score(make_ec(court, document=document(DocumentKind.JUDGMENT)))
    assert factors(mediated)["source_document"] == -8
    assert "source_document" not in factors(judged)


def test_business_status_adds_no_reason_without_data_and_the_hook_feeds_one(court):
    debtor = PartyFactory(organisation=True)
    ec = make_ec(court, debtors=[debtor])
    assert not [r for r in triage_score(ec).reasons if r["factor"].startswith("business_status")]
    register_business_status("test", lambda debtors: {debtors[0].pk: (10, "营业执照已被吊销")})
    try:
        reasons = triage_score(ec).reasons
    finally:
        from enforcement import triage

        triage._BUSINESS_STATUS_PROVIDERS.pop("test")
    assert [(r["points"], r["text"]) for r in reasons if r["factor"].startswith("business_status")] == [
        (10, "营业执照已被吊销")
    ]


def test_the_track_turns_complex_at_the_threshold(court):
    # amount ≤ 5,000,000: 24; a person 4 → 28, simple; an organisation 12 → 36, complex
    below = triage_score(make_ec(court, amount="3000000", debtors=[PartyFactory()]))
    above = triage_score(make_ec(court, amount="3000000", debtors=[PartyFactory(organisation=True)]))
    assert below.score == 28 < COMPLEX_THRESHOLD and below.track == Track.SIMPLE
    assert above.score == 36 >= COMPLEX_THRESHOLD and above.track == Track.COMPLEX
    assert COMPLEX_THRESHOLD == 35


def test_the_score_stays_within_0_and_100(court):
    ec = make_ec(court, amount="30000")
    _measure(ec.case, "30000")
    assert triage_score(ec).score == 0  # 0 + 4 − 20, clamped


# ---- the services ------------------------------------------------------------------------------------------


def test_case_triage_stores_score_reasons_and_track_with_an_audit_row(court, officer):
    ec = make_ec(court, amount="3000000", debtors=[PartyFactory(organisation=True), PartyFactory()])
    case_triage(actor=officer, enforcement_case=ec)
    ec.refresh_from_db()
    assert (ec.difficulty_score, ec.track) == (42, Track.COMPLEX)
    assert [r["factor"] for r in ec.difficulty_reasons] == ["amount", "debtor_type", "several_debtors"]
    entry = AuditLog.objects.get(action="enforcement.triage")
    assert entry.changes["score"] == [None, 42]
    assert entry.changes["track"] == ["", "complex"]


def test_case_triage_is_refused_on_a_closed_case_and_for_another_court(court, officer, other_court):
    closed = make_ec(court, status=Status.CLOSED, closing_kind="completed", closed_on=TODAY)
    with pytest.raises(RuleViolation) as refused:
        case_triage(actor=officer, enforcement_case=closed)
    assert refused.value.code == "triage.closed"
    from core.exceptions import NotFound

    with pytest.raises(NotFound):
        case_triage(actor=officer, enforcement_case=make_ec(other_court))
    assert not AuditLog.objects.filter(action="enforcement.triage").exists()


def test_a_division_head_sets_the_track_with_a_reason_and_a_new_score_keeps_it(court, officer):
    head = UserFactory(division_head=True, court=court, username="head")
    ec = make_ec(court, amount="30000")
    case_triage(actor=officer, enforcement_case=ec)
    case_set_track(actor=head, enforcement_case=ec, track=Track.COMPLEX, reason="债务人下落不明")
    ec = case_triage(actor=officer, enforcement_case=ec)
    assert ec.track == Track.COMPLEX
    assert ec.difficulty_reasons[0]["factor"] == "override"
    assert "债务人下落不明" in ec.difficulty_reasons[0]["text"]
    assert ec.difficulty_score == 4
    entry = AuditLog.objects.get(action="enforcement.set_track")
    assert (entry.reason, entry.changes["track"]) == ("债务人下落不明", ["simple", "complex"])


def test_setting_the_track_needs_a_reason_and_a_division_head(court, officer):
    head = UserFactory(division_head=True, court=court, username="head")
    ec = make_ec(court)
    with pytest.raises(InvalidInput) as refused:
        case_set_track(actor=head, enforcement_case=ec, track=Track.COMPLEX, reason=" ")
    assert refused.value.fields == {"reason": ["Give the reason for setting the track by hand."]}
    with pytest.raises(PermissionDenied):
        case_set_track(actor=officer, enforcement_case=ec, track=Track.COMPLEX, reason="x")
    ec.refresh_from_db()
    assert ec.track == ""
