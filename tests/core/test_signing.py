"""The courts' electronic seal (core.signing): canonical JSON, keys made on first use and kept encrypted,
verification, rotation with overlap, revocation, the public key list, the command and the admin."""

import base64
import datetime as dt
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import signing
from core.exceptions import InvalidInput, RuleViolation
from core.models import AuditLog, CourtSigningKey
from core.signing import (
    Signature,
    canonical_json,
    check,
    rotate_court_key,
    sign,
    signing_key_for,
    signing_key_revoke,
    verify,
)

pytestmark = pytest.mark.django_db

PAYLOAD = {"case_number": "（2026）京0105执1号", "items": [{"debtor": 1, "category": "deposit"}], "id": 7}


def test_canonical_json_sorts_keys_drops_whitespace_and_keeps_chinese_as_utf8():
    assert (
        canonical_json({"b": 1, "a": ["执", {"d": None, "c": True}]})
        == '{"a":["执",{"c":true,"d":null}],"b":1}'.encode()
    )


def test_a_dict_payload_is_signed_as_its_canonical_json(court):
    signature = sign(court, PAYLOAD)
    assert verify(canonical_json(PAYLOAD), signature.key_id, signature.signature_b64)
    assert verify({"id": 7, **PAYLOAD}, signature.key_id, signature)  # same data, other key order


def test_the_first_signature_makes_the_courts_key_and_later_ones_reuse_it(court):
    assert not CourtSigningKey.objects.exists()
    first, second = sign(court, b"one"), sign(court, b"two")

    key = CourtSigningKey.objects.get()
    public_raw = base64.b64decode(key.public_key)
    assert len(public_raw) == 32
    assert key.court == court and key.algorithm == "Ed25519" == first.algorithm
    assert key.key_id == hashlib.sha256(public_raw).hexdigest()[:16] == first.key_id == second.key_id
    assert key.retires_at is None and key.revoked_at is None


def test_the_signature_is_plain_ed25519_that_anyone_can_check_with_the_public_key(court):
    signature = sign(court, PAYLOAD)
    key = CourtSigningKey.objects.get(key_id=signature.key_id)
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key.public_key))
    public.verify(base64.b64decode(signature.signature_b64), canonical_json(PAYLOAD))  # raises if wrong


def test_the_private_key_is_stored_encrypted_and_a_changed_secret_cannot_use_it(court, settings):
    sign(court, b"x")
    key = CourtSigningKey.objects.get()
    assert key.public_key not in key.private_key_encrypted
    assert key.private_key_encrypted.startswith("gAAAAA")  # a Fernet token

    settings.ZHIXING_SIGNING_KEY_SECRET = "another secret"
    with pytest.raises(RuleViolation) as refused:
        sign(court, b"x")
    assert refused.value.code == "signing.key_undecryptable"


def test_an_altered_payload_an_unknown_key_or_a_garbled_signature_does_not_verify(court):
    signature = sign(court, PAYLOAD)
    altered = {**PAYLOAD, "case_number": "（2026）京0105执2号"}

    assert check(altered, signature.key_id, signature) == "mismatch"
    assert check(PAYLOAD, "0000000000000000", signature) == "unknown_key"
    assert check(PAYLOAD, signature.key_id, "not base64!") == "mismatch"
    assert check(PAYLOAD, signature.key_id, Signature(signature.key_id, base64.b64encode(b"x" * 64).decode())) == (
        "mismatch"
    )
    assert check(PAYLOAD, signature.key_id, signature) == ""


def test_a_signature_of_one_court_is_not_taken_for_another_courts(court, other_court):
    mine = sign(court, PAYLOAD)
    theirs = sign(other_court, PAYLOAD)
    assert mine.key_id != theirs.key_id
    assert mine.signature_b64 != theirs.signature_b64


def test_rotation_signs_with_the_new_key_and_the_old_one_verifies_until_it_retires(court, superuser):
    old_signature = sign(court, PAYLOAD)
    now = timezone.now()

    new_key = rotate_court_key(actor=superuser, court=court, overlap_days=30, now=now)

    old_key = CourtSigningKey.objects.get(key_id=old_signature.key_id)
    assert old_key.retires_at == now + dt.timedelta(days=30)
    assert sign(court, PAYLOAD).key_id == new_key.key_id != old_key.key_id
    assert verify(PAYLOAD, old_key.key_id, old_signature, at=now + dt.timedelta(days=29))
    assert check(PAYLOAD, old_key.key_id, old_signature, at=now + dt.timedelta(days=30)) == "key_not_usable"
    entry = AuditLog.objects.get(action="signing_key.rotate")
    assert entry.actor == superuser and entry.court_id == court.pk
    assert entry.changes["retired"] == [old_key.key_id] and entry.changes["overlap_days"] == 30


def test_a_court_without_a_key_gets_one_by_rotation(court):
    key = rotate_court_key(actor=None, court=court)
    assert signing_key_for(court) == key


def test_rotation_refuses_an_overlap_outside_0_to_365_days_and_writes_nothing(court):
    sign(court, b"x")
    with pytest.raises(InvalidInput) as refused:
        rotate_court_key(actor=None, court=court, overlap_days=-1)
    assert refused.value.message == "The overlap is a whole number of days from 0 to 365."
    assert CourtSigningKey.objects.count() == 1
    assert not AuditLog.objects.filter(action="signing_key.rotate").exists()


def test_a_revoked_key_verifies_nothing_from_its_revocation_and_the_next_signature_makes_a_new_key(court):
    signature = sign(court, PAYLOAD)
    key = CourtSigningKey.objects.get()

    signing_key_revoke(actor=None, key=key, reason="compromised")

    assert check(PAYLOAD, key.key_id, signature) == "key_not_usable"
    assert sign(court, PAYLOAD).key_id != key.key_id
    assert AuditLog.objects.filter(action="signing_key.revoke", object_id=str(key.pk)).exists()
    with pytest.raises(RuleViolation, match="already revoked"):
        signing_key_revoke(actor=None, key=key, reason="again")


def test_a_court_has_at_most_one_current_key(court):
    key = signing_key_for(court)
    duplicate = signing._new_key(court, activates_at=key.activates_at, now=key.created_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_concurrent_first_use_finds_the_key_the_other_made(court, monkeypatch):
    other = signing._new_key(court, activates_at=timezone.now(), now=timezone.now())
    real_active_key = signing.active_key
    calls = []

    def racing_active_key(*args, **kwargs):  # the other transaction commits just after our first look
        calls.append(1)
        if len(calls) == 1:
            other.save()
            return None
        return real_active_key(*args, **kwargs)

    monkeypatch.setattr(signing, "active_key", racing_active_key)
    assert signing.signing_key_for(court) == other
    assert CourtSigningKey.objects.count() == 1


# ---- the public key list ------------------------------------------------------------------------------------


def test_the_public_key_list_needs_no_login_and_shows_no_private_key(client, court, other_court):
    sign(court, b"x")
    rotate_court_key(actor=None, court=court)
    sign(other_court, b"x")

    response = client.get("/api/v1/signing-keys/")

    assert response.status_code == 200
    body = response.json()
    assert [entry["court"] for entry in body] == ["京0105", "京0105", "京0108"]
    assert set(body[0]) == {
        "court", "court_name", "key_id", "algorithm", "public_key", "activates_at", "retires_at", "revoked_at",
    }  # fmt: skip
    assert body[0]["retires_at"] is None and body[1]["retires_at"] is not None  # newest first within a court
    assert "private" not in response.content.decode()


def test_the_public_key_list_is_in_the_schema_without_authentication():
    from drf_spectacular.generators import SchemaGenerator

    operation = SchemaGenerator().get_schema(request=None, public=True)["paths"]["/api/v1/signing-keys/"]["get"]
    assert operation.get("security") in (None, [], [{}])


# ---- the command and the admin ------------------------------------------------------------------------------


def test_the_command_rotates_the_key_of_each_court_named(court, other_court, capsys):
    sign(court, b"x")
    call_command("rotate_signing_keys", court=["京0105"], overlap_days=7)

    assert CourtSigningKey.objects.filter(court=court).count() == 2
    assert not CourtSigningKey.objects.filter(court=other_court).exists()
    assert "京0105" in capsys.readouterr().out


def test_the_command_without_a_court_rotates_every_active_court(court, other_court):
    call_command("rotate_signing_keys")
    assert CourtSigningKey.objects.filter(retires_at__isnull=True).count() == 2


def test_the_command_refuses_an_unknown_court_code(court):
    with pytest.raises(CommandError, match="Unknown court code"):
        call_command("rotate_signing_keys", court=["沪0101"])


def test_the_admin_shows_the_key_read_only_without_its_private_part_and_rotates(client, superuser, court):
    sign(court, b"x")
    key = CourtSigningKey.objects.get()
    client.force_login(superuser)

    page = client.get(f"/admin/core/courtsigningkey/{key.pk}/change/")
    assert page.status_code == 200
    assert key.public_key in page.content.decode()
    assert key.private_key_encrypted not in page.content.decode()

    response = client.post(
        "/admin/core/courtsigningkey/", {"action": "rotate", "_selected_action": [key.pk]}, follow=True
    )
    assert response.status_code == 200
    assert CourtSigningKey.objects.filter(court=court).count() == 2
    assert AuditLog.objects.filter(action="signing_key.rotate", actor=superuser).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_signatures_of_a_court_make_one_key():
    from tests.core.test_case_numbers import _in_threads
    from tests.factories import CourtFactory

    court = CourtFactory(chaoyang=True)

    def sign_once():
        with transaction.atomic():
            return [sign(court, PAYLOAD).key_id]

    key_ids, errors = _in_threads(6, sign_once)
    assert errors == []
    assert len(set(key_ids)) == 1
    assert CourtSigningKey.objects.filter(court=court).count() == 1
