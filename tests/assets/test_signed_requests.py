"""Requests to agencies carry the issuing court's electronic seal (电子签章): the agency API signs each request,
and the agency simulator checks it against the public key list before acting, refusing an unsigned or altered
request and one signed by an unknown, foreign, retired or revoked key; a rotated key still verifies within
its overlap."""

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from assets.choices import ControlStatus, RequestStatus
from assets.models import AgencyRequest, QueryResult
from assets.serializers import SIGNED_REQUEST_FIELDS
from assets.simulator import SIGNED_FIELDS, AgencySimulator, DjangoClientTransport
from core.models import CourtSigningKey
from core.signing import rotate_court_key, sign, signing_key_revoke, verify

pytestmark = pytest.mark.django_db

LIST = "/api/v1/agency/requests/"


@pytest.fixture
def batch(order, officer, enforcement_case, agencies):
    return order(actor=officer, enforcement_case=enforcement_case)


class Tampering(DjangoClientTransport):
    """The real API in process, with every listed request passed through ``change`` on its way."""

    def __init__(self, key, change):
        super().__init__(key)
        self.change = change

    def get(self, path):
        status, body = super().get(path)
        if path.startswith(LIST) and status == 200:
            for request in body["results"]:
                self.change(request)
        return status, body


def simulator(transport, agency, **options) -> AgencySimulator:
    return AgencySimulator(transport, agency=agency.code, seed=7, **options)


def pending_of(agency_and_key) -> dict:
    agency, key = agency_and_key
    [request] = AgencySimulator(DjangoClientTransport(key), agency=agency.code).pending()
    return request


def test_the_simulator_checks_the_same_fields_the_api_signs():
    assert SIGNED_FIELDS == SIGNED_REQUEST_FIELDS


def test_every_listed_request_carries_the_courts_signature_over_its_signed_fields(batch, agencies, agency_api, court):
    bank, key = agencies["bank"]
    [item] = agency_api(key).get(LIST, {"status": "pending"}).json()["results"]

    signature = item["signature"]
    assert signature["algorithm"] == "Ed25519"
    assert item["court"] == court.code == "京0105" and item["agency"] == bank.code
    assert CourtSigningKey.objects.get(key_id=signature["key_id"]).court == court
    assert verify({name: item[name] for name in SIGNED_REQUEST_FIELDS}, signature["key_id"], signature["value"])
    assert not verify({**{name: item[name] for name in SIGNED_REQUEST_FIELDS}, "id": 0}, signature["key_id"],
                      signature["value"])  # fmt: skip


def test_the_simulator_answers_a_request_whose_signature_holds(batch, agencies):
    bank, key = agencies["bank"]
    stats = simulator(DjangoClientTransport(key), bank).poll_once()
    assert stats.requests_refused == 0 and stats.refusals == [] and stats.requests_answered == 1


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda r: r["items"][0].update(name="李四"), "the signature does not match the request (altered or forged)"),
        (lambda r: r.update(case_number="（2026）京0105执9999号"), "the signature does not match the request"),
        (lambda r: r.update(court="京0108"), "is not a key of court 京0108"),
        (lambda r: r.pop("signature"), "unsigned request"),
        (lambda r: r["signature"].update(value=""), "unsigned request"),
        (lambda r: r["signature"].update(key_id="0123456789abcdef"), "unknown signing key 0123456789abcdef"),
        (lambda r: r["signature"].update(algorithm="RSA"), "unsupported signature algorithm 'RSA'"),
    ],
    ids=["altered item", "altered case number", "other court", "no signature", "empty", "unknown key", "algorithm"],
)
def test_an_unsigned_or_altered_request_is_refused_and_left_unanswered(batch, agencies, change, reason):
    bank, key = agencies["bank"]
    stats = simulator(Tampering(key, change), bank).poll_once()

    request = AgencyRequest.objects.get(batch=batch, agency=bank)
    assert stats.requests_refused == 1 and stats.requests_answered == 0 and stats.results_sent == 0
    assert stats.refusals == [f"request {request.pk}: " + stats.refusals[0].split(": ", 1)[1]]
    assert reason in stats.refusals[0]
    assert request.status == RequestStatus.PENDING
    assert not QueryResult.objects.filter(request=request).exists()


def test_a_request_signed_with_another_courts_key_is_refused(batch, agencies, other_court):
    bank, key = agencies["bank"]

    def forge(request):
        signed = {name: request[name] for name in SIGNED_FIELDS}
        request["signature"] = sign(other_court, signed).as_dict()  # a real key, of another court

    stats = simulator(Tampering(key, forge), bank).poll_once()
    assert stats.requests_refused == 1
    assert "is not a key of court 京0105" in stats.refusals[0]


def test_a_rotated_key_still_verifies_within_the_overlap(batch, agencies, court):
    bank, key = agencies["bank"]
    request = pending_of(agencies["bank"])  # signed with the key in force before the rotation
    rotate_court_key(actor=None, court=court, overlap_days=30)
    assert CourtSigningKey.objects.get(key_id=request["signature"]["key_id"]).retires_at is not None

    in_overlap = timezone.now() + dt.timedelta(days=29)
    stats = simulator(DjangoClientTransport(key), bank, now=lambda: in_overlap).answer(request)

    assert stats.requests_refused == 0 and stats.requests_answered == 1
    assert AgencyRequest.objects.get(pk=request["id"]).status == RequestStatus.ANSWERED


def test_a_retired_key_is_refused_after_its_retirement(batch, agencies, court):
    bank, key = agencies["bank"]
    request = pending_of(agencies["bank"])
    rotate_court_key(actor=None, court=court, overlap_days=30)

    after = timezone.now() + dt.timedelta(days=31)
    stats = simulator(DjangoClientTransport(key), bank, now=lambda: after).answer(request)

    assert stats.requests_refused == 1 and stats.requests_answered == 0
    assert f"retired signing key {request['signature']['key_id']}" in stats.refusals[0]
    assert AgencyRequest.objects.get(pk=request["id"]).status == RequestStatus.PENDING


def test_the_request_listed_again_after_rotation_carries_the_new_key(batch, agencies, court):
    bank, key = agencies["bank"]
    before = pending_of(agencies["bank"])
    new_key = rotate_court_key(actor=None, court=court, overlap_days=0)

    again = pending_of(agencies["bank"])
    assert again["signature"]["key_id"] == new_key.key_id != before["signature"]["key_id"]
    stats = simulator(DjangoClientTransport(key), bank).answer(again)
    assert stats.requests_answered == 1


def test_a_request_signed_by_a_revoked_key_is_refused(batch, agencies, court):
    bank, key = agencies["bank"]
    request = pending_of(agencies["bank"])
    signing_key_revoke(actor=None, key=CourtSigningKey.objects.get(key_id=request["signature"]["key_id"]), reason="t")

    stats = simulator(DjangoClientTransport(key), bank).answer(request)
    assert stats.requests_refused == 1 and "revoked signing key" in stats.refusals[0]


def test_an_altered_control_order_is_answered_refused_with_the_reason(officer, enforcement_case, bank):
    from assets.services import control_order
    from tests.assets.test_controls import START, make_asset

    measure = control_order(
        actor=officer, enforcement_case=enforcement_case, asset=make_asset(enforcement_case, bank[0]),
        kind="freeze", amount=Decimal("50000.00"), starts_on=START,
    )  # fmt: skip

    def raise_amount(request):
        request["order"]["amount"] = "5000000.00"

    stats = simulator(Tampering(bank[1], raise_amount), bank[0]).poll_once()

    request = AgencyRequest.objects.get(measure=measure)
    measure.refresh_from_db()
    assert stats.requests_refused == 1 and stats.errors == []
    assert request.status == RequestStatus.FAILED
    assert request.confirmation_reference.startswith("unverified: the signature does not match")
    assert measure.status != ControlStatus.ACTIVE


def test_verification_can_be_switched_off_for_a_simulator_that_plays_a_careless_agency(batch, agencies):
    bank, key = agencies["bank"]

    def strip(request):
        request.pop("signature")

    stats = simulator(Tampering(key, strip), bank, verify=False).poll_once()
    assert stats.requests_refused == 0 and stats.requests_answered == 1


def test_the_key_list_is_read_once_per_pass(batch, agencies):
    bank, key = agencies["bank"]
    transport = DjangoClientTransport(key)
    paths = []
    original = transport.get

    def counting(path):
        paths.append(path)
        return original(path)

    transport.get = counting
    simulator(transport, bank).poll_once()
    assert paths.count("/api/v1/signing-keys/") == 1
    unchanged = copy.deepcopy(paths)
    simulator(transport, bank).poll_once()  # nothing pending: no key list needed
    assert paths.count("/api/v1/signing-keys/") == unchanged.count("/api/v1/signing-keys/")


def test_a_listing_looks_up_and_decrypts_each_courts_key_once_however_many_requests_it_signs(
    order, officer, other_officer, court, other_court, agencies, agency_api, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import signing
    from enforcement.choices import Status
    from tests.enforcement.builders import case_in

    for actor in (officer, officer, officer, other_officer):
        order(actor=actor, enforcement_case=case_in(Status.INVESTIGATING, actor.court, officer=actor))
    signing.signing_key_for(court), signing.signing_key_for(other_court)  # the keys exist before the listing
    decryptions = []
    real_fernet = signing._fernet

    def counting_fernet():
        decryptions.append(1)
        return real_fernet()

    monkeypatch.setattr(signing, "_fernet", counting_fernet)
    bank, key = agencies["bank"]
    with CaptureQueriesContext(connection) as queries:
        listed = agency_api(key).get(LIST, {"status": "pending"}).json()["results"]

    assert sorted(item["court"] for item in listed) == ["京0105", "京0105", "京0105", "京0108"]
    for item in listed:
        signed = {name: item[name] for name in SIGNED_REQUEST_FIELDS}
        assert verify(signed, item["signature"]["key_id"], item["signature"]["value"])
    assert len(decryptions) == 2
    assert sum('"core_courtsigningkey"' in query["sql"] for query in queries.captured_queries) == 2
