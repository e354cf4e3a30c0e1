from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.case_numbers import format_case_number
from core.identifiers import mask_identifier
from core.models import Court
from core.money import MoneyField

from .choices import CaseType, PartyKind, PartyRole, Stage, stage_of


class Party(models.Model):
    """A natural person (居民身份证号) or an organisation (统一社会信用代码), once in the whole system, so
    that every court sees the same debtor's history."""

    kind = models.CharField(_("kind"), max_length=16, choices=PartyKind.choices)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    id_number = models.CharField(_("identifier"), max_length=18, unique=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True, choices=[("M", _("Male")), ("F", _("Female"))])
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="person") | ~models.Q(legal_representative=""),
                name="organisation_has_legal_representative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_identifier(self.id_number) if self.kind == PartyKind.PERSON else self.id_number


class Case(models.Model):
    """A case record of any type: litigation (民初…), preservation (财保), enforcement (执…), bankruptcy (破…).

    Later apps hang their own state off it (the enforcement lifecycle, bankruptcy proceedings…).
    """

    case_type = models.CharField(_("case type"), max_length=8, choices=CaseType.choices)
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="cases")
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("case number"), max_length=40, unique=True)
    filing_date = models.DateField(_("filing date"))
    amount = MoneyField(_("amount in dispute"))
    cause = models.CharField(_("cause of action"), max_length=100)
    summary = models.TextField(_("summary"), blank=True)
    parties = models.ManyToManyField(Party, through="CaseParty", related_name="cases")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-filing_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["court", "case_type", "year", "serial"], name="one_serial_per_case"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="case_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["court", "-filing_date"], name="case_court_filed_idx"),
            models.Index(fields=["court", "case_type", "-filing_date"], name="case_court_type_filed_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def stage(self) -> str:
        return stage_of(self.case_type)

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label

    def compose_number(self) -> str:
        return format_case_number(
            year=self.year, court_code=self.court.code, type_code=self.case_type, serial=self.serial
        )


class CaseParty(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="party_links")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField(_("role"), max_length=16, choices=PartyRole.choices)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("party to a case")
        verbose_name_plural = _("parties to cases")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "party"], name="party_once_per_case")]
        indexes = [models.Index(fields=["party", "role"], name="caseparty_party_role_idx")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.party}"
