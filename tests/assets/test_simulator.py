"""The agency simulator driven in process through Django's test client: what it answers validates and is
ingested once, answering twice changes nothing, its data is deterministic by seed, and it talks to this
machine only."""

import pytest
from django.core.management import CommandError, call_command

from assets.categories import validate_report
from assets.choices import AgencyKind, AssetCategory, BatchStatus, RequestStatus
from assets.models import AgencyRequest, Asset, QueryResult
from assets.serializers import AmountField
from assets.simulator import (
    AGENCY_NAMES,
    AgencySimulator,
    DjangoClientTransport,
    HttpTransport,
    SimulatorError,
    _asset,
    _rng,
    check_loopback,
    simulated_result,
)
from tests.assets.builders import make_agency, nothing_written, row_counts

ASKED_ELSEWHERE = (
    AssetCategory.DEPOSIT,
    AssetCategory.WEALTH_PRODUCT,
    AssetCategory.VEHICLE,
    AssetCategory.REAL_ESTATE,
)


@pytest.fixture
def the_rest(db):
    categories = [c for c in AssetCategory.values if c not in ASKED_ELSEWHERE]
    return make_agency("samr", kind=AgencyKind.MARKET_REGULATION, categories=categories)


@pytest.fixture
def all_agencies(agencies, the_rest):
    return {**agencies, "rest": the_rest}


@pytest.fixture
def batch(all_agencies, officer, enforcement_case, order):
    return order(actor=officer, enforcement_case=enforcement_case)


def simulator(agency_and_key, **options) -> AgencySimulator:
    agency, key = agency_and_key
    return AgencySimulator(DjangoClientTransport(key), agency=agency.code, seed=options.pop("seed", 7), **options)


@pytest.mark.parametrize("category", AssetCategory.values)
def test_every_simulated_asset_passes_its_category_validation(category):
    for debtor in range(60):
        item = {"debtor": debtor, "name": "王强", "id_number": "110105196001010011", "category": category}
        asset = _asset(category, "中国工商银行", item, debtor % 2, _rng(1, debtor), _rng(2, debtor))
        value = AmountField().to_internal_value(asset["value"]) if "value" in asset else None
        details = asset["details"]
        identifier, _details = validate_report(category, identifier=asset["identifier"], value=value, details=details)
        assert len(identifier) <= 64
        if value is not None:
            assert value > 0 and value.as_tuple().exponent == -2


def test_every_item_of_a_batch_is_answered_validly_and_ingested_once(batch, all_agencies, debtors):
    requests = AgencyRequest.objects.filter(batch=batch)
    assert requests.count() == 4

    stats = [simulator(all_agencies[name]).poll_once() for name in all_agencies]

    asked = len(debtors) * len(AssetCategory.values)
    assert sum(s.results_new for s in stats) == asked
    assert all(not s.errors and s.results_repeated == 0 for s in stats)
    assert QueryResult.objects.filter(request__batch=batch).count() == asked
    assert set(requests.values_list("status", flat=True)) == {RequestStatus.ANSWERED}
    assert batch.__class__.objects.get(pk=batch.pk).status == BatchStatus.COMPLETE
    found = sum(QueryResult.objects.filter(request__batch=batch).values_list("asset_count", flat=True))
    assert found > 0
    assert Asset.objects.count() == found == sum(s.assets_new for s in stats)


def test_a_second_pass_finds_nothing_pending_and_writes_nothing(batch, all_agencies):
    for name in all_agencies:
        simulator(all_agencies[name]).poll_once()
    with nothing_written():
        again = [simulator(all_agencies[name]).poll_once() for name in all_agencies]
    assert sum(s.requests_seen for s in again) == 0


def test_answering_twice_changes_nothing(batch, all_agencies, debtors):
    stats = [simulator(all_agencies[name], duplicate=True).poll_once() for name in all_agencies]

    asked = len(debtors) * len(AssetCategory.values)
    assert sum(s.results_new for s in stats) == asked
    assert sum(s.results_repeated for s in stats) == asked
    assert QueryResult.objects.count() == asked
    found = sum(QueryResult.objects.values_list("asset_count", flat=True))
    assert Asset.objects.count() == found


def test_the_same_answer_posted_again_writes_nothing(batch, bank):
    sim = simulator(bank)
    request = sim.pending()[0]
    sim.answer(request)
    with nothing_written():
        repeated = sim.answer(request)
    assert repeated.results_new == 0 and repeated.results_repeated == len(request["items"])


def test_the_data_is_deterministic_by_seed(batch, bank):
    request = simulator(bank).pending()[0]
    same = simulator(bank, seed=7).answer_body(request)
    assert simulator(bank, seed=7).answer_body(request) == same
    assert simulator(bank, seed=8).answer_body(request) != same


def test_an_asset_keeps_its_identity_across_requests_while_its_balance_moves():
    item = {"debtor": 5, "name": "王强", "id_number": "110105196001010011", "category": AssetCategory.DEPOSIT}
    seed = next(s for s in range(100) if simulated_result(seed=s, agency="icbc", request_id=1, item=item)["assets"])
    first = simulated_result(seed=seed, agency="icbc", request_id=1, item=item)["assets"]
    later = simulated_result(seed=seed, agency="icbc", request_id=2, item=item)["assets"]
    assert [a["identifier"] for a in first] == [a["identifier"] for a in later]
    assert first[0]["details"]["bank"] == AGENCY_NAMES["icbc"]


def test_a_flaky_agency_leaves_requests_to_time_out(batch, bank):
    before = row_counts()
    stats = simulator(bank, flaky=1.0).poll_once()
    assert stats.requests_skipped == 1 and stats.results_sent == 0
    assert AgencyRequest.objects.get(batch=batch, agency=bank[0]).status == RequestStatus.PENDING
    assert row_counts()["QueryResult"] == before["QueryResult"]


def test_a_slow_agency_waits_before_each_answer(batch, bank):
    waits = []
    simulator(bank, slow=2.5, sleep=waits.append).poll_once()
    assert waits == [2.5]


def test_the_loop_stops_by_itself_after_max_seconds(batch, bank):
    now = [0.0]

    def sleep(seconds):
        now[0] += seconds

    sim = simulator(bank, sleep=sleep, clock=lambda: now[0])
    stats = sim.run(interval=1.0, max_seconds=5.0)
    assert stats.polls == 5 and stats.requests_answered == 1


class FakeTransport:
    def __init__(self, pages):
        self.pages, self.paths = pages, []

    def get(self, path):
        self.paths.append(path)
        return 200, self.pages[len(self.paths) - 1]

    def post(self, path, body, headers=None):  # pragma: no cover - not reached
        raise AssertionError(path)


def test_pagination_follows_only_the_path_of_next_never_its_host():
    transport = FakeTransport(
        [
            {"next": "http://elsewhere.example/api/v1/agency/requests/?page=2&status=pending", "results": [{"id": 1}]},
            {"next": None, "results": [{"id": 2}]},
        ]
    )
    found = AgencySimulator(transport, agency="icbc").pending()
    assert [r["id"] for r in found] == [1, 2]
    assert transport.paths[1] == "/api/v1/agency/requests/?page=2&status=pending"


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5:8000",
        "http://example.com",
        "http://localhost.example.com",
        "https://8.8.8.8",
        "ftp://127.0.0.1",
        "127.0.0.1:8000",
        "http://user:pw@127.0.0.1:8000",
    ],
)
def test_a_base_url_off_this_machine_is_refused(url):
    with pytest.raises(SimulatorError, match="Refused base URL"):
        HttpTransport(url, "abc.def")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/", "http://localhost:8000", "http://[::1]:8000", "http://127.0.0.2"]
)
def test_a_loopback_base_url_is_accepted(url):
    assert check_loopback(url) == url.rstrip("/")


def test_the_command_refuses_a_base_url_off_this_machine():
    with pytest.raises(CommandError, match="only talks to this machine"):
        call_command(
            "run_agency_simulator", agency="icbc", key="abc.def", base_url="http://192.168.1.10:8000", once=True
        )


def test_the_command_needs_a_key(monkeypatch):
    monkeypatch.delenv("AGENCY_API_KEY", raising=False)
    with pytest.raises(CommandError, match="API key"):
        call_command("run_agency_simulator", agency="icbc", once=True)


def test_the_simulated_bank_confirms_a_freeze_order_once_even_when_it_answers_twice(officer, enforcement_case, bank):
    from decimal import Decimal

    from assets.choices import ControlStatus
    from assets.services import control_order
    from tests.assets.test_controls import START, make_asset

    measure = control_order(
        actor=officer, enforcement_case=enforcement_case, asset=make_asset(enforcement_case, bank[0]),
        kind="freeze", amount=Decimal("50000.00"), starts_on=START,
    )  # fmt: skip
    stats = simulator(bank, duplicate=True).poll_once()

    measure.refresh_from_db()
    assert stats.errors == []
    assert stats.requests_answered == 1
    assert measure.status == ControlStatus.ACTIVE
    assert measure.confirmation_reference == f"SIM-{bank[0].code}-{AgencyRequest.objects.get(measure=measure).pk}"
