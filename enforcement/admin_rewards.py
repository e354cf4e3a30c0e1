"""Admin of enforcement: reward notices and tip-offs. The tipster's name, contact and client key are never
shown in the admin (they are read on the case page by the officer and the auditor, audited)."""

from django.contrib import admin

from core.admin import AuditedModelAdmin

from .models import RewardNotice, TipOff


@admin.register(RewardNotice)
class RewardNoticeAdmin(AuditedModelAdmin):
    list_display = ["enforcement_case", "debtor", "status", "published_on", "expires_on"]
    list_filter = ["status"]
    raw_id_fields = ["enforcement_case", "debtor", "applicant", "published_by"]


@admin.register(TipOff)
class TipOffAdmin(AuditedModelAdmin):
    list_display = ["enforcement_case", "received_at", "status", "recovered", "reward_paid"]
    list_filter = ["status"]
    exclude = ["tipster_name", "tipster_contact", "client_key"]
    raw_id_fields = ["enforcement_case", "reward_notice", "handled_by"]
