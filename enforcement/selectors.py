"""Reads of enforcement, each scoped to what the user may see."""
