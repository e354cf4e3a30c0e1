"""Reads of bankruptcy, each scoped to what the user may see."""
