"""The relation graph page (知识图谱) of a debtor: the ECharts graph, the same nodes and links as tables, the
related cases across courts, the hidden-asset clues with their reasons and a depth selector."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from cases.models import Party
from core.access import get_or_404
from core.mixins import CapabilityRequiredMixin

from .graph import DEFAULT_DEPTH, debtor_graph


class GraphDepthForm(forms.Form):
    depth = forms.TypedChoiceField(
        label=gettext_lazy("Depth"),
        choices=[(1, gettext_lazy("1 hop")), (2, gettext_lazy("2 hops")), (3, gettext_lazy("3 hops"))],
        coerce=int,
        required=False,
        empty_value=DEFAULT_DEPTH,
    )


def graph_tables(graph) -> dict:
    """The graph as rows for the page's tables: each link with its two nodes, each case with its parties."""
    by_id = {n.id: n for n in graph.nodes}
    links = [(by_id[link.source], link, by_id[link.target]) for link in graph.links]
    parties_of: dict[str, list] = {}
    for source, link, target in links:
        if link.kind == "role":
            parties_of.setdefault(target.id, []).append((source, link.label))
    cases = [(node, parties_of.get(node.id, [])) for node in graph.case_nodes]
    cases.sort(key=lambda row: (not row[0].detail.get("own_court"), row[0].detail.get("court", ""), row[0].name))
    return {
        "relation_rows": [row for row in links if row[1].kind in ("relation", "transfer")],
        "case_rows": cases,
        "asset_rows": [(by_id[link.source], by_id[link.target]) for link in graph.links if link.kind == "owner"],
        "elsewhere": sum(1 for node, _parties in cases if not node.detail.get("own_court")),
    }


class GraphView(CapabilityRequiredMixin, TemplateView):
    """``?depth=1|2|3`` (2 by default; anything else is a form error and the default is drawn)."""

    capability = "command.graph"
    template_name = "command/graph.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = GraphDepthForm(self.request.GET or None)
        depth = form.cleaned_data["depth"] if form.is_valid() else DEFAULT_DEPTH
        if not form.is_bound:
            form = GraphDepthForm(initial={"depth": DEFAULT_DEPTH})
        party = get_or_404(Party.objects.all(), pk=kwargs["party_pk"])
        graph = debtor_graph(user=self.request.user, party=party, depth=depth)
        context.update(form=form, party=party, graph=graph, graph_data=graph.as_data(), **graph_tables(graph))
        return context
