"""Fixtures for the command tests: the core ones."""

from tests.core.conftest import (  # noqa: F401 - fixtures
    _english,
    _fast_password_hashing,
    api_as,
    api_client,
    client_as,
)
