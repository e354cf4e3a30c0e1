"""Admin of credit: each part registers its own models."""

from . import admin_corrections, admin_feed, admin_listing, admin_restrictions  # noqa: F401
