"""Generated documents carry the court's electronic seal (电子签章): the verification line in the footer, a
signature over the SHA-256 of the file recorded by verification number, and the public page /verify/ that
says whether the seal holds and whether an uploaded file is the one signed."""

import datetime as dt
import hashlib
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from core import signing
from core.models import CourtSigningKey, DocumentSignature
from core.signing import document_sign, document_verify, rotate_court_key, signing_key_revoke
from tests.enforcement.test_notices import debtor_of, ec, issue  # noqa: F401 - ec is a fixture

pytestmark = pytest.mark.django_db

VALID = "Signature valid"
INVALID = "Signature invalid or the file has been modified"


def blank_docx(text: str = "执行通知书") -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def footer_of(content: bytes) -> str:
    return "\n".join(p.text for s in Document(io.BytesIO(content)).sections for p in s.footer.paragraphs)


@pytest.fixture
def sealed(court):
    content = document_sign(court=court, content=blank_docx(), title="执行通知书", reference="（2026）京0105执1号")
    return content, DocumentSignature.objects.get()


def test_the_sealed_document_prints_its_key_and_verification_number_in_the_footer(sealed, court):
    content, record = sealed
    key = CourtSigningKey.objects.get(court=court)
    assert record.key_id == key.key_id
    assert re.fullmatch(r"\d{8}-[0-9A-HJKMNP-TV-Z]{8}", record.number)
    assert footer_of(content) == f"电子签章: {key.key_id} · 验证码 {record.number} · 验证: /verify/{record.number}/"
    assert "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs) == "执行通知书"  # body untouched


def test_the_record_holds_the_sha256_of_the_final_file_and_a_signature_that_verifies(sealed, court):
    content, record = sealed
    assert record.sha256 == hashlib.sha256(content).hexdigest()
    assert record.court == court and record.title == "执行通知书" and record.reference == "（2026）京0105执1号"
    message = signing.document_message(court_code=court.code, number=record.number, sha256=record.sha256)
    assert signing.verify(message, record.key_id, record.signature, at=record.signed_at)


def test_the_check_holds_for_the_number_alone_and_for_the_very_file(sealed):
    content, record = sealed
    assert document_verify(number=record.number).valid
    assert document_verify(number=f" {record.number.lower()} ", content=content).valid
    tampered = document_verify(number=record.number, content=content + b"\0")
    assert tampered.signature_valid and tampered.file_matches is False and not tampered.valid


def test_a_tampered_record_or_an_unknown_number_does_not_verify(sealed):
    _content, record = sealed
    DocumentSignature.objects.filter(pk=record.pk).update(sha256="0" * 64)
    assert not document_verify(number=record.number).valid
    assert document_verify(number="20260101-AAAAAAAA").record is None


def test_a_document_still_verifies_after_its_key_retires_or_is_revoked_later(sealed, court):
    content, record = sealed
    rotate_court_key(actor=None, court=court, overlap_days=0, now=timezone.now() + dt.timedelta(seconds=1))
    assert document_verify(number=record.number, content=content).valid
    signing_key_revoke(actor=None, key=CourtSigningKey.objects.get(key_id=record.key_id), reason="rotated out")
    assert document_verify(number=record.number, content=content).valid  # signed before the revocation


# ---- the public page ----------------------------------------------------------------------------------------


def test_the_verification_form_is_open_to_anyone(client):
    response = client.get("/verify/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="number"' in page and 'name="file"' in page
    assert "<script>" not in page and " onclick=" not in page and " onsubmit=" not in page


def test_the_page_for_a_number_names_the_court_date_and_key_and_says_the_signature_is_valid(client, sealed, court):
    _content, record = sealed
    response = client.get(f"/verify/{record.number}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert VALID in page and INVALID not in page
    assert (
        court.name in page
        and record.key_id in page
        and timezone.localtime(record.signed_at).strftime("%Y-%m-%d") in page
    )


def test_uploading_the_signed_file_says_valid_and_a_modified_one_says_invalid(client, sealed):
    content, record = sealed
    same = client.post("/verify/", {"number": record.number, "file": SimpleUploadedFile("n.docx", content)})
    assert VALID in same.content.decode() and "exactly the one the court signed" in same.content.decode()

    other = blank_docx("执行通知书（篡改）")
    changed = client.post("/verify/", {"number": record.number, "file": SimpleUploadedFile("n.docx", other)})
    assert changed.status_code == 200
    assert INVALID in changed.content.decode() and VALID + "<" not in changed.content.decode()


def test_an_unknown_number_is_said_to_be_unknown(client, court):
    response = client.post("/verify/", {"number": "20260101-AAAAAAAA"})
    assert "No document with this verification number was sealed by a court." in response.content.decode()


def test_a_form_without_a_number_is_refused_naming_the_field(client):
    response = client.post("/verify/", {"number": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_look_ups_are_limited_per_client(client, sealed, settings):
    from django.core.cache import cache

    cache.clear()
    settings.ZHIXING_VERIFY_RATE = 2
    _content, record = sealed
    assert [client.get(f"/verify/{record.number}/").status_code for _ in range(3)] == [200, 200, 429]
    cache.clear()


# ---- the generated documents are sealed where they are issued -----------------------------------------------


def test_an_issued_enforcement_notice_is_stored_sealed_and_verifies(client, court, officer, ec):  # noqa: F811
    from enforcement.choices import NoticeKind

    notice = issue(officer, ec, NoticeKind.ENFORCEMENT_NOTICE, debtor_of(ec))

    with notice.file.open("rb") as handle:
        stored = handle.read()
    seal = DocumentSignature.objects.get(reference=ec.case.number)
    assert seal.title == "执行通知书" and seal.court == court
    assert seal.number in footer_of(stored)
    assert document_verify(number=seal.number, content=stored).valid
    response = client.post("/verify/", {"number": seal.number, "file": SimpleUploadedFile("n.docx", stored)})
    assert VALID in response.content.decode()


def test_behind_a_proxy_each_client_has_its_own_look_up_limit(client, sealed, settings):
    from django.core.cache import cache

    cache.clear()
    settings.ZHIXING_VERIFY_RATE = 1
    settings.ZHIXING_PROXY_COUNT = 1
    _content, record = sealed
    path = f"/verify/{record.number}/"

    def look_up(address):
        return client.get(path, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=address).status_code

    assert [look_up("203.0.113.7"), look_up("203.0.113.7"), look_up("198.51.100.9")] == [200, 429, 200]
    cache.clear()
