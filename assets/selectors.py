"""Reads of assets, each scoped to what the user may see."""
