from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import STAFF_ROLES, Role, role_can


class CourtLevel(models.TextChoices):
    SUPREME = "supreme", _("Supreme People's Court")
    HIGH = "high", _("High court")
    INTERMEDIATE = "intermediate", _("Intermediate court")
    BASIC = "basic", _("Basic court")


# 案号规定 arts. 4–5: 最高法; a high court is one province character; intermediate adds 2 digits, basic 4.
COURT_CODE_PATTERNS = {
    CourtLevel.SUPREME: r"^最高法$",
    CourtLevel.HIGH: r"^[\u4e00-\u9fff]$",
    CourtLevel.INTERMEDIATE: r"^[\u4e00-\u9fff]\d{2}$",
    CourtLevel.BASIC: r"^[\u4e00-\u9fff]\d{4}$",
}
PARENT_LEVEL = {
    CourtLevel.HIGH: CourtLevel.SUPREME,
    CourtLevel.INTERMEDIATE: CourtLevel.HIGH,
    CourtLevel.BASIC: CourtLevel.INTERMEDIATE,
}


class Court(models.Model):
    """A people's court. ``code`` is the 法院代字 used in case numbers (案号规定 art. 4), kept as data."""

    code = models.CharField(_("court code"), max_length=8, unique=True, help_text=_("For example 京0105."))
    name = models.CharField(_("name"), max_length=100, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=CourtLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("superior court"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region_code = models.CharField(
        _("administrative division code"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("A GB/T 2260 code has six digits."))],
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("court")
        verbose_name_plural = _("courts")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        import re

        pattern = COURT_CODE_PATTERNS.get(self.level)
        if pattern and self.code and not re.match(pattern, self.code):
            raise ValidationError({"code": _("This code does not fit a court of this level (案号规定 art. 4).")})
        expected_parent = PARENT_LEVEL.get(self.level)
        if expected_parent is None and self.parent_id:
            raise ValidationError({"parent": _("The Supreme People's Court has no superior court.")})
        if expected_parent and self.parent_id and self.parent.level != expected_parent:
            raise ValidationError({"parent": _("The superior court must be one level up.")})


class User(AbstractUser):
    """A staff member of one court, or an agency's API client. The role decides what the user may do."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    court = models.ForeignKey(
        Court, verbose_name=_("court"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    organisation = models.CharField(
        _("organisation"), max_length=100, blank=True, help_text=_("For agency clients: the bank or registry.")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="agency") | models.Q(court__isnull=True),
                name="agency_clients_belong_to_no_court",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_court_staff(self) -> bool:
        return self.role in STAFF_ROLES and self.court_id is not None

    def can(self, capability: str) -> bool:
        return self.is_active and role_can(self.role, capability)

    def clean(self) -> None:
        super().clean()
        if self.role in STAFF_ROLES and not self.court_id and not self.is_superuser:
            raise ValidationError({"court": _("Court staff must belong to a court.")})


class CaseNumberSequence(models.Model):
    """The last serial handed out per court, case-type code and year (案号规定 arts. 9–10)."""

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+")
    type_code = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case-number sequence")
        verbose_name_plural = _("case-number sequences")
        constraints = [
            models.UniqueConstraint(fields=["court", "type_code", "year"], name="one_sequence_per_court_type_year"),
        ]

    def __str__(self) -> str:
        return f"（{self.year}）{self.court.code}{self.type_code} → {self.last_serial}"


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("The audit log is append-only.")

    def delete(self):
        raise ValidationError("The audit log is append-only.")


class AuditLog(models.Model):
    """One row per write and per staff read of personal data. Append-only (a trigger on PostgreSQL)."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    court = models.ForeignKey(
        Court, verbose_name=_("court"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(_("details"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("The audit log is append-only.")


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiCredential(models.Model):
    """An agency client's API key: ``Authorization: Api-Key <prefix>.<secret>``. Only the hash is stored."""

    user = models.ForeignKey(User, verbose_name=_("client"), on_delete=models.CASCADE, related_name="credentials")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(_("secret hash"), max_length=64)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API credential")
        verbose_name_plural = _("API credentials")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @staticmethod
    def generate_secret() -> str:
        return secrets.token_urlsafe(32)

    def set_secret(self, secret: str) -> None:
        self.secret_hash = _hash_secret(secret)

    def check_secret(self, secret: str) -> bool:
        return secrets.compare_digest(self.secret_hash, _hash_secret(secret))

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class CalendarDay(models.Model):
    """An exception to the working week, kept by the court administrator: a public holiday on a weekday
    (``working=False``) or a make-up working day on a weekend (调休, ``working=True``). Every other Monday to
    Friday is a working day and every other Saturday and Sunday is not (``core.workdays``)."""

    date = models.DateField(_("date"), unique=True)
    working = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True, help_text=_("For example: 国庆节, 调休上班."))

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'working' if self.working else 'holiday'}"


class JobKind(models.TextChoices):
    QUERY_BATCH = "query_batch", _("Query batch")
    TRACKING_RUN = "tracking_run", _("Tracking run")
    EXPORT = "export", _("Export")
    BULK_ASSIGNMENT = "bulk_assignment", _("Bulk assignment")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A long piece of work the page shows progress of (``core.jobs``): ``done`` of ``total`` steps, then a
    completion summary or the error, and for an export the file. ``user`` is who started it (empty for the
    periodic tracking runs, which belong to the court); ``content_type``/``object_id`` point at what it worked
    on (the query batch, the tracking run) and ``url`` at the page that opens the result."""

    kind = models.CharField(_("kind"), max_length=20, choices=JobKind.choices)
    user = models.ForeignKey(
        User, verbose_name=_("started by"), null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    court = models.ForeignKey(
        Court, verbose_name=_("court"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    message = models.TextField(_("message"), blank=True)
    result = models.FileField(_("result file"), upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.CharField(_("result page"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="job_user_recent_idx"),
            models.Index(fields=["court", "-created_at"], name="job_court_recent_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id"],
                condition=models.Q(object_id__isnull=False),
                name="one_job_per_kind_and_object",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["succeeded", "failed"]) | models.Q(finished_at__isnull=False),
                name="finished_job_has_finish_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.total <= 0:
            return 100 if self.status == JobStatus.SUCCEEDED else 0
        return min(100, round(100 * self.done / self.total))


class CourtSigningKey(models.Model):
    """A court's Ed25519 key for its electronic seal (电子签章, ``core.signing``). The public key is published
    (``/api/v1/signing-keys/``); the private key is kept Fernet-encrypted with a key derived from
    ``ZHIXING_SIGNING_KEY_SECRET`` (or ``SECRET_KEY``). A key signs from ``activates_at`` until a newer key of
    the court activates; it still verifies until ``retires_at`` (rotation with overlap), and never once
    revoked. At most one key of a court is current (neither retiring nor revoked)."""

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="signing_keys")
    key_id = models.CharField(_("key id"), max_length=16, unique=True)
    algorithm = models.CharField(_("algorithm"), max_length=16, default="Ed25519")
    public_key = models.CharField(_("public key"), max_length=64, help_text=_("Raw 32 bytes, base64."))
    private_key_encrypted = models.TextField(_("private key (encrypted)"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    activates_at = models.DateTimeField(_("active from"), default=timezone.now)
    retires_at = models.DateTimeField(_("verifies until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("court signing key")
        verbose_name_plural = _("court signing keys")
        ordering = ["court", "-activates_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["court"],
                condition=models.Q(retires_at__isnull=True, revoked_at__isnull=True),
                name="one_current_signing_key_per_court",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.court} {self.key_id}"


class DocumentSignature(models.Model):
    """The electronic seal of one generated document (.docx): the court's signature over the SHA-256 of the
    file's bytes. ``number`` is the verification number printed in the document's footer and asked for on
    the public page ``/verify/``; ``reference`` is the document's own number (文号) or its case number."""

    number = models.CharField(_("verification number"), max_length=32, unique=True)
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("document"), max_length=100)
    reference = models.CharField(_("document or case number"), max_length=100, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    key_id = models.CharField(_("key id"), max_length=16)
    signature = models.CharField(_("signature"), max_length=128, help_text=_("Ed25519 over the SHA-256, base64."))
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)

    class Meta:
        verbose_name = _("document signature")
        verbose_name_plural = _("document signatures")
        ordering = ["-signed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
