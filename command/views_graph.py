"""Placeholder (contract): replaced by the graph work."""

from django.http import HttpResponse
from django.views import View

from core.mixins import CapabilityRequiredMixin


class GraphView(CapabilityRequiredMixin, View):
    capability = "command.graph"

    def get(self, request, *args, **kwargs):
        return HttpResponse("")
