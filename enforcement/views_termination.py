"""Pages of 终本 (issue 5)."""


def termination_context(request, ec, bound: dict) -> dict:
    """Context for templates/enforcement/termination/_panel.html on the case page."""
    return {}
