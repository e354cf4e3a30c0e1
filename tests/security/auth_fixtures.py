"""Fixtures shared by the authentication tests (lockout, session timeouts, two-step login, API keys), imported
by each of their modules: the core ones (English messages, fast password hashing, court 京0105 and its officer,
a superuser) and a clock that moves without sleeping. ``tests/security/conftest.py`` is the access matrix's."""

import pytest

from tests.core.conftest import (  # noqa: F401 - fixtures
    _english,
    _fast_password_hashing,
    court,
    officer,
    superuser,
)
from tests.security.clock import Clock


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)
