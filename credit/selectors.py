"""Reads of credit, each scoped to what the user may see."""
