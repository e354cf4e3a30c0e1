from django.contrib import admin

from core.admin import AuditedModelAdmin
from core.audit import audit_record

from .models import Case, CaseParty, Party


class CasePartyInline(admin.TabularInline):
    model = CaseParty
    extra = 0
    autocomplete_fields = ["party"]


@admin.register(Case)
class CaseAdmin(AuditedModelAdmin):
    list_display = ["number", "case_type", "court", "filing_date", "amount", "cause"]
    list_filter = ["case_type", "court", "year"]
    search_fields = ["number", "cause", "party_links__party__name", "party_links__party__id_number"]
    date_hierarchy = "filing_date"
    readonly_fields = ["number", "year", "serial", "created_at", "created_by"]
    inlines = [CasePartyInline]
    list_select_related = ["court"]

    def has_add_permission(self, request):
        return False  # cases are filed through the filing service (number allocation, party checks)


@admin.register(Party)
class PartyAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "masked_id_number", "legal_representative", "created_at"]
    list_filter = ["kind", "sex"]
    search_fields = ["name", "=id_number", "legal_representative"]
    readonly_fields = ["id_number", "birth_date", "sex", "created_at", "created_by"]

    def has_add_permission(self, request):
        return False  # parties are registered through the service, which validates identifiers

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The change page shows full personal details: a staff read, so it is audited like the party page."""
        if request.method == "GET":
            party = self.get_object(request, object_id)
            if party is not None:
                audit_record(actor=request.user, action="party.read_personal", obj=party, reason="admin")
        return super().change_view(request, object_id, form_url, extra_context)
