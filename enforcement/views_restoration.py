"""Pages of the applicant's restoration requests (issue 5)."""


def restoration_context(request, ec, bound: dict) -> dict:
    """Context for templates/enforcement/restoration/_panel.html on the case page."""
    return {}
