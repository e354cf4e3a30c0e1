"""Fixtures for the bankruptcy tests: the core ones (courts, users by role, clients, English messages) and a
temporary MEDIA_ROOT for the generated notices."""

import pytest

from tests.core.conftest import (  # noqa: F401 - fixtures
    _english,
    _fast_password_hashing,
    agency_user,
    api_as,
    api_client,
    clerk,
    client_as,
    court,
    officer,
    other_clerk,
    other_court,
    other_officer,
    superuser,
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Generated notices go to a temporary directory, for every test here."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
