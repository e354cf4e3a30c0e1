"""Reads of command, each scoped to what the user may see."""
