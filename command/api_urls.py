"""The API of command: statistics, the workspace counts, on-site tasks and risk notes, the relation graph and the
decision support of a case (each module its own routes)."""

from . import api, api_decision, api_graph, api_onsite, api_workspace

urlpatterns = (
    api.urlpatterns
    + api_workspace.urlpatterns
    + api_onsite.urlpatterns
    + api_graph.urlpatterns
    + api_decision.urlpatterns
)
