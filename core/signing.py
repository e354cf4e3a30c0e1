"""The courts' electronic seal (电子签章): Ed25519 signatures with the ``cryptography`` library.

What is signed, byte for byte:

- a ``dict`` or ``list`` payload as canonical JSON: keys sorted, no whitespace, UTF-8 (non-ASCII characters
  as themselves, not ``\\u`` escapes) — ``canonical_json``; ``bytes`` as they are; ``str`` as UTF-8;
- a request to an agency: the canonical JSON of the fields named in
  ``assets.serializers.SIGNED_REQUEST_FIELDS``, as the agency API returns them;
- a generated document (.docx): the canonical JSON ``{"court": <court code>, "number": <verification number>,
  "sha256": <hex SHA-256 of the file's bytes>}`` (``document_message``), so a signature binds the file to
  its court and verification number.

Keys (``CourtSigningKey``): one court has one current key, made on first use. ``rotate_court_key`` makes a new
key that signs from now on; the old one keeps verifying for ``overlap_days`` (until its ``retires_at``). A
revoked key verifies nothing signed from its revocation on. The private key is stored Fernet-encrypted with a
key derived by HKDF-SHA256 from ``settings.ZHIXING_SIGNING_KEY_SECRET`` (or, when that is empty,
``settings.SECRET_KEY``): changing that secret makes the stored keys unusable, so set
``ZHIXING_SIGNING_KEY_SECRET`` in production and keep it apart from the session secret.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import io
import json
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record
from .exceptions import InvalidInput, RuleViolation
from .models import Court, CourtSigningKey, DocumentSignature, User

ALGORITHM = "Ed25519"
KEY_ID_LENGTH = 16
DEFAULT_OVERLAP_DAYS = 30
VERIFY_PATH = "/verify/{number}/"
NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U to misread


@dataclass(frozen=True)
class Signature:
    key_id: str
    signature_b64: str
    algorithm: str = ALGORITHM

    def as_dict(self) -> dict[str, str]:
        """The shape the agency API carries: ``{"key_id", "algorithm", "value"}``."""
        return {"key_id": self.key_id, "algorithm": self.algorithm, "value": self.signature_b64}


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the same bytes for the same data on both ends."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def message_bytes(payload: Any) -> bytes:
    if isinstance(payload, (bytes, bytearray, memoryview)):
        return bytes(payload)
    if isinstance(payload, str):
        return payload.encode("utf-8")
    return canonical_json(payload)


def key_id_for(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:KEY_ID_LENGTH]


def _fernet() -> Fernet:
    secret = getattr(settings, "ZHIXING_SIGNING_KEY_SECRET", "") or settings.SECRET_KEY
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"zhixing.signing", info=b"court-signing-key-encryption"
    ).derive(secret.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def _new_key(court: Court, *, activates_at: dt.datetime, now: dt.datetime) -> CourtSigningKey:
    private = Ed25519PrivateKey.generate()
    private_raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public_raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key = CourtSigningKey(
        court=court,
        key_id=key_id_for(public_raw),
        algorithm=ALGORITHM,
        public_key=base64.b64encode(public_raw).decode("ascii"),
        private_key_encrypted=_fernet().encrypt(private_raw).decode("ascii"),
        created_at=now,
        activates_at=activates_at,
    )
    # The one-current-key constraint is left to the database: a concurrent first use must end in the
    # IntegrityError that ``signing_key_for`` expects, not in a validation error read before the other commit.
    key.full_clean(validate_constraints=False)
    return key


def _private_key(key: CourtSigningKey) -> Ed25519PrivateKey:
    """The decrypted private key, kept on ``key`` (not in the process): one decryption per key object, so a
    listing that holds its court's key signs every row with one decryption, and no decrypted key outlives the
    objects that use it."""
    private = getattr(key, "_decrypted", None)
    if private is not None:
        return private
    try:
        raw = _fernet().decrypt(key.private_key_encrypted.encode("ascii"))
    except InvalidToken as exc:
        raise RuleViolation(
            _("The court's signing key cannot be decrypted: the signing secret has changed."),
            code="signing.key_undecryptable",
        ) from exc
    key._decrypted = private = Ed25519PrivateKey.from_private_bytes(raw)
    return private


def usable_at(key: CourtSigningKey, at: dt.datetime) -> bool:
    """Whether ``key`` verifies a signature that has to be good at ``at``: active by then, not retired, not
    revoked."""
    return (
        key.activates_at <= at
        and (key.retires_at is None or at < key.retires_at)
        and (key.revoked_at is None or at < key.revoked_at)
    )


def active_key(court: Court | int, *, at: dt.datetime | None = None) -> CourtSigningKey | None:
    """The key that signs for ``court`` at ``at`` (now): the most recently activated usable one."""
    at = at or timezone.now()
    court_id = court if isinstance(court, int) else court.pk
    return (
        CourtSigningKey.objects.filter(court_id=court_id, activates_at__lte=at)
        .filter(models.Q(retires_at__isnull=True) | models.Q(retires_at__gt=at))
        .filter(models.Q(revoked_at__isnull=True) | models.Q(revoked_at__gt=at))
        .order_by("-activates_at", "-id")
        .first()
    )


def signing_key_for(court: Court | int) -> CourtSigningKey:
    """The court's signing key, made on first use (a concurrent first use finds the other's key)."""
    key = active_key(court)
    if key is not None:
        return key
    court = court if isinstance(court, Court) else Court.objects.get(pk=court)
    now = timezone.now()
    try:
        with transaction.atomic():
            key = _new_key(court, activates_at=now, now=now)
            key.save()
            return key
    except IntegrityError:
        pass  # another transaction made the court's first key; read it
    key = active_key(court)
    if key is None:
        raise RuleViolation(_("The court has no signing key in force."), code="signing.no_key")
    return key


def sign_with(key: CourtSigningKey, payload: Any) -> Signature:
    value = _private_key(key).sign(message_bytes(payload))
    return Signature(key_id=key.key_id, signature_b64=base64.b64encode(value).decode("ascii"))


def sign(court: Court | int, payload: Any) -> Signature:
    """Sign ``payload`` with the court's key in force (made on first use)."""
    return sign_with(signing_key_for(court), payload)


def public_key_of(key: CourtSigningKey) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(key.public_key))


def signature_matches(key: CourtSigningKey, payload: Any, signature: str) -> bool:
    """Only the mathematics: ``signature`` (base64) is ``key``'s over ``payload``."""
    try:
        public_key_of(key).verify(base64.b64decode(signature, validate=True), message_bytes(payload))
    except (InvalidSignature, ValueError, binascii.Error, TypeError):
        return False
    return True


def check(payload: Any, key_id: str, signature: str | Signature, *, at: dt.datetime | None = None) -> str:
    """Why the signature does not hold at ``at`` (now): ``"unknown_key"``, ``"key_not_usable"`` (not yet
    active, retired or revoked by then) or ``"mismatch"``; ``""`` when it holds."""
    if isinstance(signature, Signature):
        signature = signature.signature_b64
    key = CourtSigningKey.objects.filter(key_id=key_id).first() if key_id else None
    if key is None:
        return "unknown_key"
    if not usable_at(key, at or timezone.now()):
        return "key_not_usable"
    if not signature_matches(key, payload, signature or ""):
        return "mismatch"
    return ""


def verify(payload: Any, key_id: str, signature: str | Signature, *, at: dt.datetime | None = None) -> bool:
    """Whether ``signature`` is the signature of ``payload`` by key ``key_id``, good at ``at`` (now)."""
    return check(payload, key_id, signature, at=at) == ""


@transaction.atomic
def rotate_court_key(
    *, actor: User | None, court: Court, overlap_days: int = DEFAULT_OVERLAP_DAYS, now: dt.datetime | None = None
) -> CourtSigningKey:
    """Give ``court`` a new key that signs from ``now``; its current key keeps verifying for ``overlap_days``.
    Locks the court's current keys."""
    if not isinstance(overlap_days, int) or isinstance(overlap_days, bool) or not 0 <= overlap_days <= 365:
        raise InvalidInput(
            {"overlap_days": _("The overlap is a whole number of days from 0 to 365.")}, code="signing.overlap"
        )
    now = now or timezone.now()
    retires_at = now + dt.timedelta(days=overlap_days)
    current = list(
        CourtSigningKey.objects.select_for_update().filter(
            court=court, retires_at__isnull=True, revoked_at__isnull=True
        )
    )
    for old in current:
        old.retires_at = retires_at
        old.save(update_fields=["retires_at"])
    key = _new_key(court, activates_at=now, now=now)
    key.save()
    audit_record(
        actor=actor,
        action="signing_key.rotate",
        obj=key,
        changes={
            "key_id": key.key_id,
            "retired": [old.key_id for old in current],
            "retires_at": retires_at.isoformat(),
            "overlap_days": overlap_days,
        },
    )
    return key


@transaction.atomic
def signing_key_revoke(*, actor: User | None, key: CourtSigningKey, reason: str) -> CourtSigningKey:
    """Revoke a key (compromise): it verifies nothing signed from now on; the court's next signature makes a
    new key."""
    key = CourtSigningKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is not None:
        raise RuleViolation(_("This signing key is already revoked."), code="signing.revoked")
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="signing_key.revoke", obj=key, reason=reason, changes={"key_id": key.key_id})
    return key


# Documents.


def document_message(*, court_code: str, number: str, sha256: str) -> dict[str, str]:
    return {"court": court_code, "number": number, "sha256": sha256}


def new_document_number(now: dt.datetime | None = None) -> str:
    """A verification number such as ``20261128-7KD2M9PA``: the day and 8 random Crockford base32 characters."""
    day = timezone.localdate(now or timezone.now())
    while True:
        number = f"{day:%Y%m%d}-{''.join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))}"
        if not DocumentSignature.objects.filter(number=number).exists():
            return number


def footer_line(*, key_id: str, number: str) -> str:
    return f"电子签章: {key_id} · 验证码 {number} · 验证: {VERIFY_PATH.format(number=number)}"


def _with_footer(content: bytes, line: str) -> bytes:
    """The .docx with ``line`` as the footer of each section (python-docx; the body is untouched)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document(io.BytesIO(content))
    for section in document.sections:
        footer = section.footer
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(line)
        run.font.size = Pt(8)
        run.font.name = "SimSun"
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "SimSun")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def document_sign(*, court: Court, content: bytes, title: str, reference: str = "") -> bytes:
    """Seal a generated .docx: print the verification line in its footer, sign the SHA-256 of the final bytes
    with the court's key and record it (``DocumentSignature``). Returns the bytes to store and serve. Call
    inside the issuing service's transaction, so that the record commits with the document."""
    key = signing_key_for(court)
    now = timezone.now()
    number = new_document_number(now)
    signed = _with_footer(content, footer_line(key_id=key.key_id, number=number))
    digest = hashlib.sha256(signed).hexdigest()
    signature = sign_with(key, document_message(court_code=court.code, number=number, sha256=digest))
    record = DocumentSignature(
        number=number,
        court=court,
        title=str(title)[:100],
        reference=str(reference)[:100],
        sha256=digest,
        key_id=key.key_id,
        signature=signature.signature_b64,
        signed_at=now,
    )
    record.full_clean()
    record.save()
    return signed


@dataclass(frozen=True)
class DocumentCheck:
    """What the verification page shows: the record (``None`` for an unknown number), whether its signature
    holds, and, when a file was given for a known number, whether the file is the one signed (``None``: no file
    to compare)."""

    record: DocumentSignature | None
    signature_valid: bool
    file_matches: bool | None = None

    @property
    def file_given(self) -> bool:
        return self.file_matches is not None

    @property
    def valid(self) -> bool:
        return self.record is not None and self.signature_valid and self.file_matches is not False


def normalise_number(number: str) -> str:
    return "".join(str(number or "").split()).upper()


def document_verify(*, number: str, content: bytes | None = None) -> DocumentCheck:
    """Check document ``number``'s seal: the recorded signature holds for the recorded SHA-256 with a key that
    was usable when it signed, and ``content`` (an uploaded file), if given, hashes to that SHA-256."""
    number = normalise_number(number)
    record = DocumentSignature.objects.select_related("court").filter(number=number).first() if number else None
    if record is None:
        return DocumentCheck(record=None, signature_valid=False)
    message = document_message(court_code=record.court.code, number=record.number, sha256=record.sha256)
    file_matches = None
    if content is not None:
        file_matches = secrets.compare_digest(hashlib.sha256(content).hexdigest(), record.sha256)
    return DocumentCheck(
        record=record,
        signature_valid=verify(message, record.key_id, record.signature, at=record.signed_at),
        file_matches=file_matches,
    )
