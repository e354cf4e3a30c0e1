"""Placeholder (contract): replaced by the workspace work."""

from django.http import HttpResponse
from django.views import View

from core.mixins import CapabilityRequiredMixin


class WorkspaceView(CapabilityRequiredMixin, View):
    capability = "command.workspace"

    def get(self, request, *args, **kwargs):
        return HttpResponse("")
