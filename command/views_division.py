"""Placeholder (contract): replaced by the division work."""

from django.http import HttpResponse
from django.views import View

from core.mixins import CapabilityRequiredMixin


class DivisionView(CapabilityRequiredMixin, View):
    capability = "command.division"

    def get(self, request, *args, **kwargs):
        return HttpResponse("")
