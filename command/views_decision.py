"""Placeholder (contract): replaced by the decision work."""

from django.http import HttpResponse
from django.views import View

from core.mixins import CapabilityRequiredMixin


class CaseDecisionView(CapabilityRequiredMixin, View):
    capability = "command.decision"

    def get(self, request, *args, **kwargs):
        return HttpResponse("")
