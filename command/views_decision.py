"""The decision-support panel of an enforcement case (辅助决策): a partial the case page loads with htmx for users
with ``command.decision``. 404 alike for a case that is missing or at another court."""

from __future__ import annotations

from django.shortcuts import render
from django.views import View

from core.mixins import CapabilityRequiredMixin

from .decision import decision_for


class CaseDecisionView(CapabilityRequiredMixin, View):
    capability = "command.decision"
    template_name = "command/_decision_panel.html"

    def get(self, request, pk: int, *args, **kwargs):
        return render(request, self.template_name, {"decision": decision_for(user=request.user, pk=pk)})
