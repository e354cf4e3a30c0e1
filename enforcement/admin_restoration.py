"""Admin of restoration requests and public 终本 entries (issue 5)."""
