"""The benchmark data generator (bench.generate) writes, with COPY into PostgreSQL, a data set the application
accepts as its own: the promised counts, valid identifiers, rows that pass every model's validation, case numbers
the allocator will not reuse, every status, and pages and searches that work on it.

One tiny scale is generated once into the test database (a throwaway, never zhixing_bench) and flushed
afterwards (the ``generated`` fixture of tests/bench/conftest.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Max

from bench.generate import STATES, add_months, parse_scale, quotas, scale_label
from tests.bench.conftest import CASES

on_postgres = pytest.mark.postgres  # the generator writes with COPY


@pytest.fixture
def busiest_officer(generated):
    """An officer of the court with the most enforcement cases, who has open cases of their own."""
    from core.models import User
    from enforcement.models import EnforcementCase

    court_id = Counter(EnforcementCase.objects.values_list("case__court_id", flat=True)).most_common(1)[0][0]
    officer_id = Counter(
        EnforcementCase.objects.filter(case__court_id=court_id, officer__isnull=False)
        .exclude(status="closed")
        .values_list("officer_id", flat=True)
    ).most_common(1)[0][0]
    return User.objects.get(pk=officer_id)


@on_postgres
@pytest.mark.django_db
def test_the_counts_are_as_promised(generated):
    from assets.models import Asset
    from cases.models import Case, Party
    from credit.models import DishonestListing
    from enforcement.models import EnforcementCase

    assert EnforcementCase.objects.count() == CASES
    assert Case.objects.filter(case_type="执").count() == CASES
    assert Party.objects.count() == 2 * CASES
    assert Asset.objects.count() == 5 * CASES
    assert DishonestListing.objects.count() == CASES
    assert generated.tables["cases_party"]["rows"] == 2 * CASES
    assert generated.total_rows > 10 * CASES


@on_postgres
@pytest.mark.django_db
def test_every_identifier_is_valid_and_unique(generated):
    from stdnum.cn import ric, uscc

    from cases.models import Party
    from core.identifiers import validate_credit_code, validate_resident_id

    parties = list(Party.objects.values_list("kind", "id_number"))
    for kind, number in parties:
        if kind == "person":
            assert ric.is_valid(number), number
            validate_resident_id(number)
        else:
            assert uscc.is_valid(number), number
            validate_credit_code(number)
    assert len({number for _kind, number in parties}) == len(parties)


@on_postgres
@pytest.mark.django_db
def test_a_sample_of_every_generated_model_passes_full_clean(generated):
    from assets.models import (
        Agency,
        AgencyRequest,
        Asset,
        ControlMeasure,
        ExpiryReminder,
        QueryBatch,
        QueryResult,
        TrackingPlan,
        TrackingRun,
    )
    from cases.models import Case, CaseParty, EffectiveDocument, Party
    from core.models import CaseNumberSequence, Court, User
    from credit.models import DishonestListing
    from enforcement.models import (
        EnforcementCase,
        Notice,
        StatusChange,
        Suspension,
        TerminatedCaseEntry,
        TerminationProposal,
    )

    models = [
        *(Court, User, Agency, CaseNumberSequence, Party, Case, CaseParty, EffectiveDocument, EnforcementCase),
        *(StatusChange, Notice, Suspension, TerminationProposal, TerminatedCaseEntry, QueryBatch, AgencyRequest),
        *(QueryResult, Asset, ControlMeasure, ExpiryReminder, TrackingPlan, TrackingRun, DishonestListing),
    ]
    for model in models:
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        sample = list(model.objects.filter(pk__in=ids[:: max(1, len(ids) // 15)]))  # spread over the table
        assert sample, f"no {model.__name__} generated"
        for obj in sample:
            # the lifecycle's status is protected (FSMField): cleaned by its choices instead of reassigned
            exclude = ["status"] if model is EnforcementCase else None
            if model is QueryBatch and obj.purpose == "tracking":
                exclude = ["ordered_by"]  # sent by the dispatcher, nobody's order (assets.services.tracking)
            obj.full_clean(exclude=exclude)
            if model is EnforcementCase:
                assert obj.status in dict(EnforcementCase._meta.get_field("status").choices)


@on_postgres
@pytest.mark.django_db
def test_case_numbers_are_unique_and_the_sequences_are_past_them(generated):
    from cases.models import Case
    from core.case_numbers import allocate_serial, parse_case_number
    from core.models import CaseNumberSequence, Court

    rows = list(Case.objects.values_list("number", "court__code", "case_type", "year", "serial"))
    assert len({r[0] for r in rows}) == len(rows)
    for number, court_code, case_type, year, serial in rows:
        parsed = parse_case_number(number)
        assert (parsed.court_code, parsed.type_code, parsed.year, parsed.serial) == (
            court_code,
            case_type,
            year,
            serial,
        )
    highest = Case.objects.values("court_id", "case_type", "year").annotate(top=Max("serial"))
    sequences = {(s.court_id, s.type_code, s.year): s.last_serial for s in CaseNumberSequence.objects.all()}
    for row in highest:
        assert sequences[(row["court_id"], row["case_type"], row["year"])] >= row["top"]
    top = max(highest, key=lambda r: r["top"])
    court = Court.objects.get(pk=top["court_id"])
    assert allocate_serial(court=court, type_code=top["case_type"], year=top["year"]) == top["top"] + 1


@on_postgres
@pytest.mark.django_db
def test_every_status_and_every_closing_kind_occurs_with_consistent_fields(generated):
    from enforcement.models import EnforcementCase, Suspension

    seen = set(EnforcementCase.objects.values_list("status", "closing_kind").distinct())
    assert seen == {(status, kind) for status, kind, _weight in STATES}
    assert not EnforcementCase.objects.exclude(status="filed").filter(officer__isnull=True).exists()
    assert not EnforcementCase.objects.filter(status="filed", officer__isnull=False).exists()
    assert not EnforcementCase.objects.filter(status="closed", closed_on__isnull=True).exists()
    assert not EnforcementCase.objects.exclude(status="closed").exclude(closing_kind="").exists()
    assert not EnforcementCase.objects.filter(deadline_on__isnull=True).exists()
    suspended = EnforcementCase.objects.filter(status="suspended")
    assert Suspension.objects.filter(enforcement_case__in=suspended, ended_on__isnull=True).count() == suspended.count()


@on_postgres
@pytest.mark.django_db
def test_terminated_cases_have_their_public_entry_and_a_tracking_plan(generated):
    from assets.models import TrackingPlan
    from enforcement.models import EnforcementCase, TerminatedCaseEntry

    terminated = EnforcementCase.objects.filter(closing_kind="terminated_this_round")
    assert terminated.exists()
    assert TerminatedCaseEntry.objects.filter(enforcement_case__in=terminated).count() == terminated.count()
    assert TrackingPlan.objects.filter(enforcement_case__in=terminated).count() == terminated.count()
    entry = TerminatedCaseEntry.objects.select_related("enforcement_case__case").first()
    assert entry.case_number == entry.enforcement_case.case.number
    for plan in TrackingPlan.objects.filter(status="active"):
        assert plan.runs.count() == plan.runs_done
        assert plan.next_due_on == add_months(plan.starts_on, 6 * (plan.runs_done + 1))


@on_postgres
@pytest.mark.django_db
def test_the_expiry_reminders_are_those_the_daily_job_would_have_recorded(generated):
    from assets.models import ControlMeasure, ExpiryReminder
    from assets.services.reminders import reminders_record_due

    soon = ControlMeasure.objects.filter(
        status="active", expires_on__gt=generated.today, expires_on__lte=generated.today + dt.timedelta(days=30)
    )
    assert soon.exists()
    assert ExpiryReminder.objects.filter(threshold=30).count() == soon.count()
    assert reminders_record_due(today=generated.today) == {30: 0, 7: 0}


@on_postgres
@pytest.mark.django_db
def test_an_officer_sees_only_their_court_in_the_case_list_api_and_page(generated, busiest_officer, client):
    client.force_login(busiest_officer)
    code = busiest_officer.court.code

    response = client.get("/api/v1/enforcement-cases/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows
    assert {row["court"] for row in rows} == {code}

    page = client.get("/enforcement/")
    assert page.status_code == 200
    cases = list(page.context["cases"])
    assert cases
    assert {ec.case.court_id for ec in cases} == {busiest_officer.court_id}
    assert cases[0].case.number in page.content.decode()


@on_postgres
@pytest.mark.django_db
def test_a_public_exact_lookup_finds_a_generated_listing(generated, client):
    from credit.models import DishonestListing
    from credit.selectors_public import public_listing_search

    listing = DishonestListing.objects.filter(status="listed").select_related("debtor").order_by("id").first()
    expected = DishonestListing.objects.filter(status="listed", debtor=listing.debtor).count()
    result = public_listing_search(q=listing.debtor.id_number)
    assert result.ids and listing.pk in result.ids
    assert len(result) == expected
    assert {row.case.number for row in result[0:20]} >= {listing.enforcement_case.case.number}

    # an identifier is parked behind a reference and the page reached by a redirect (credit.views_public)
    page = client.get("/public/dishonest/", {"q": listing.debtor.id_number}, follow=True)
    assert page.status_code == 200
    assert listing.debtor_name in page.content.decode()


@pytest.mark.parametrize(
    ("text", "n"), [("10k", 10_000), ("100k", 100_000), ("1m", 1_000_000), ("2500", 2500), ("1.5m", 1_500_000)]
)
def test_a_scale_reads_as_a_label_or_a_number(text, n):
    assert parse_scale(text) == n


def test_the_quotas_add_up_and_give_every_state_a_case():
    for total in (14, 300, 5000, 4999):
        counts = quotas(total, [w for *_x, w in STATES])
        assert sum(counts) == total
        assert min(counts) >= 1
    assert scale_label(1_000_000) == "1m"
