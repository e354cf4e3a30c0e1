"""执转破 screening (企业破产法 art. 2(1)): the figures the system knows of each corporate debtor across every
court, the indicators they meet, and the suggestions the screening job writes, updates, retires and holds
back — never for a natural person, never for a debtor already under transfer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from assets.choices import AgencyKind, AssetCategory
from bankruptcy.choices import SuggestionStatus
from bankruptcy.models import Suggestion
from bankruptcy.screening import assess, debtor_figures
from bankruptcy.services import suggestion_dismiss, suggestions_refresh, transfer_propose
from enforcement.choices import Status
from tests.assets.builders import make_agency
from tests.bankruptcy.builders import TODAY, controlled
from tests.enforcement.builders import case_in
from tests.factories import CourtFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def courts(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return {
        "chaoyang": CourtFactory(chaoyang=True),
        "haidian": CourtFactory(haidian=True),
        "pudong": CourtFactory(code="沪0115", name="上海市浦东新区人民法院", region_code="310115"),
    }


@pytest.fixture
def bank(db):
    return make_agency("screening-bank", kind=AgencyKind.BANK, categories=[AssetCategory.DEPOSIT])[0]


def terminated(court, debtor, amount="100000.00"):
    return case_in(Status.CLOSED, court, debtors=[debtor], amount=amount, filing_date=TODAY - dt.timedelta(days=400))


def two_terminated_cases(courts):
    company = PartyFactory(organisation=True, name="两案终本有限公司")
    cases = [terminated(courts["haidian"], company), terminated(courts["pudong"], company, amount="50000.00")]
    return company, cases


def many_creditors_little_property(courts, bank):
    company = PartyFactory(organisation=True, name="多债权人有限公司")
    cases = [case_in(Status.INVESTIGATING, courts["haidian"], debtors=[company]) for _ in range(3)]
    controlled(cases[0], bank, company, "6222-little")  # 10 000 against 300 000 owed
    return company, cases


def healthy(courts, bank):
    company = PartyFactory(organisation=True, name="经营正常有限公司")
    ec = case_in(Status.INVESTIGATING, courts["haidian"], debtors=[company], amount="5000.00")
    controlled(ec, bank, company, "6222-healthy")  # 10 000 of property against 5 000 owed
    return company, ec


# ---- figures and assessment -------------------------------------------------------------------------------------


def test_a_company_with_two_terminated_cases_is_indicated(courts):
    company, _cases = two_terminated_cases(courts)
    f = debtor_figures()[company.pk]
    assert (f.open_cases, f.terminated_cases, f.unpaid, f.known_assets) == (0, 2, Decimal("150000.00"), 0)
    assert f.court_ids == {courts["haidian"].pk, courts["pudong"].pk}
    indicated, score, reasons = assess(f)
    assert indicated and score == 70 and len(reasons) == 2


def test_a_company_owing_more_than_its_property_to_three_creditors_is_indicated(courts, bank):
    company, _cases = many_creditors_little_property(courts, bank)
    f = debtor_figures()[company.pk]
    assert (f.open_cases, f.terminated_cases, f.creditors) == (3, 0, 3)
    assert (f.unpaid, f.known_assets) == (Decimal("300000.00"), Decimal("10000.00"))
    indicated, score, reasons = assess(f)
    assert indicated and score == 45 and len(reasons) == 2


def test_a_healthy_company_is_not_indicated(courts, bank):
    company, _ec = healthy(courts, bank)
    indicated, score, reasons = assess(debtor_figures()[company.pk])
    assert (indicated, score, reasons) == (False, 0, [])


def test_natural_persons_have_no_figures_and_are_never_suggested(courts):
    person = PartyFactory(name="张三")
    terminated(courts["haidian"], person)
    terminated(courts["pudong"], person)
    assert person.pk not in debtor_figures()
    assert suggestions_refresh() == {"new": 0, "updated": 0, "stale": 0}
    assert not Suggestion.objects.exists()


# ---- the screening job ------------------------------------------------------------------------------------------


def test_the_screening_suggests_every_indicated_company_once_and_updates_it_on_the_next_run(courts, bank):
    by_cases, _ = two_terminated_cases(courts)
    by_creditors, _ = many_creditors_little_property(courts, bank)
    healthy(courts, bank)
    assert suggestions_refresh() == {"new": 2, "updated": 0, "stale": 0}
    suggestion = Suggestion.objects.get(debtor=by_cases)
    assert suggestion.status == SuggestionStatus.OPEN and suggestion.score == 70
    assert set(suggestion.courts.values_list("pk", flat=True)) == {courts["haidian"].pk, courts["pudong"].pk}
    assert Suggestion.objects.get(debtor=by_creditors).figures["creditors"] == 3

    terminated(courts["chaoyang"], by_cases)
    assert suggestions_refresh() == {"new": 0, "updated": 2, "stale": 0}
    suggestion.refresh_from_db()
    assert suggestion.figures["terminated_cases"] == 3
    assert suggestion.courts.count() == 3
    assert Suggestion.objects.count() == 2


def test_a_company_that_paid_is_no_longer_suggested(courts):
    company, cases = two_terminated_cases(courts)
    suggestions_refresh()
    for ec in cases:
        ec.performed_amount = ec.case.amount
        ec.save(update_fields=["performed_amount"])
    assert suggestions_refresh() == {"new": 0, "updated": 0, "stale": 1}
    assert Suggestion.objects.get(debtor=company).status == SuggestionStatus.STALE


def test_a_dismissed_suggestion_is_not_raised_again_for_six_months(courts):
    company, _cases = two_terminated_cases(courts)
    suggestions_refresh()
    officer = UserFactory(officer=True, court=courts["haidian"], username="officer-screen")
    suggestion_dismiss(actor=officer, suggestion=Suggestion.objects.get(debtor=company), note="债务人正在重组")
    assert suggestions_refresh() == {"new": 0, "updated": 0, "stale": 0}
    later = timezone.now() + dt.timedelta(days=181)
    assert suggestions_refresh(now=later) == {"new": 1, "updated": 0, "stale": 0}
    assert list(Suggestion.objects.filter(debtor=company).values_list("status", flat=True).order_by("pk")) == [
        SuggestionStatus.DISMISSED,
        SuggestionStatus.OPEN,
    ]


def test_a_company_under_transfer_is_neither_suggested_nor_retired(courts):
    company, _cases = two_terminated_cases(courts)
    suggestions_refresh()
    other = PartyFactory(organisation=True, name="转破中有限公司")
    terminated(courts["haidian"], other)
    terminated(courts["haidian"], other)
    officer = UserFactory(officer=True, court=courts["haidian"], username="officer-screen")
    transfer_propose(actor=officer, debtor=other, receiving_court=courts["chaoyang"], grounds="资不抵债")
    company_suggestion = Suggestion.objects.get(debtor=company)
    transfer_propose(actor=officer, debtor=company, receiving_court=courts["chaoyang"], grounds="资不抵债")
    for ec in _cases:  # paid meanwhile: still not retired while the transfer runs
        ec.performed_amount = ec.case.amount
        ec.save(update_fields=["performed_amount"])
    assert suggestions_refresh() == {"new": 0, "updated": 0, "stale": 0}
    assert not Suggestion.objects.filter(debtor=other).exists()
    company_suggestion.refresh_from_db()
    assert company_suggestion.status == SuggestionStatus.OPEN


def test_a_suggestions_reasons_are_rebuilt_from_its_figures_in_the_readers_language():
    from bankruptcy.models import Suggestion
    from tests.factories import PartyFactory

    company = PartyFactory(organisation=True)
    figures = {"terminated_cases": 2, "unpaid": "1000.00", "known_assets": "0.00", "creditors": 1}
    suggestion = Suggestion(debtor=company, score=70, reasons=["written in another language"], figures=figures)
    assert suggestion.reason_texts == [
        "2 enforcement cases ended as 终本: property searched for and not found.",
        "Unpaid 1000.00 across its cases against 0.00 of known property (企业破产法 art. 2).",
    ]
    assert Suggestion(debtor=company, reasons=["kept as written"]).reason_texts == ["kept as written"]
