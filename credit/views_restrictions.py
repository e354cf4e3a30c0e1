"""Pages of credit (issue 6): restrictions."""

from django.http import HttpResponse
from django.views import View

from core.mixins import CapabilityRequiredMixin


class CaseRestrictionsView(CapabilityRequiredMixin, View):
    """The partial on the enforcement case page (placeholder until built)."""

    capability = "credit.view"

    def get(self, request, enforcement_pk: int):
        return HttpResponse("")
