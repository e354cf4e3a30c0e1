"""The officer workspace: the landing page of case workers, and its counts block that htmx refreshes."""

from __future__ import annotations

from django.views.generic import TemplateView

from core.mixins import CapabilityRequiredMixin

from .workspace import workspace, workspace_counts


class WorkspaceView(CapabilityRequiredMixin, TemplateView):
    """What the signed-in user has to do: deadlines, expiring measures, new answers and finds, alerts, approvals,
    funds waiting and today's on-site tasks (a fixed number of queries whatever the number of cases)."""

    capability = "command.workspace"
    template_name = "command/workspace.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ws = workspace(user=self.request.user)
        context.update(ws=ws, counts=ws.counts)
        return context


class WorkspaceCountsView(CapabilityRequiredMixin, TemplateView):
    """The counts block alone (htmx re-fetches it every 60 s)."""

    capability = "command.workspace"
    template_name = "command/_workspace_counts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = workspace_counts(user=self.request.user)
        return context
