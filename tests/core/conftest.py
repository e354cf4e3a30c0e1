"""Fixtures for the core and cases tests (tests/cases/conftest.py re-exports them).

Messages are asserted in English, the msgids: the active language is pinned to ``en`` whatever the
translations in locale/ say, for service calls and for requests through the test clients alike.
"""

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from tests.factories import CourtFactory, UserFactory


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Users are made by the dozen; the production hasher's deliberate slowness buys nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def court(db):
    """北京市朝阳区人民法院, 京0105."""
    return CourtFactory(chaoyang=True)


@pytest.fixture
def other_court(db):
    """北京市海淀区人民法院, 京0108."""
    return CourtFactory(haidian=True)


@pytest.fixture
def clerk(court):
    return UserFactory(clerk=True, court=court, username="clerk-0105")


@pytest.fixture
def officer(court):
    return UserFactory(officer=True, court=court, username="officer-0105")


@pytest.fixture
def other_officer(other_court):
    return UserFactory(officer=True, court=other_court, username="officer-0108")


@pytest.fixture
def other_clerk(other_court):
    return UserFactory(clerk=True, court=other_court, username="clerk-0108")


@pytest.fixture
def superuser(db):
    return UserFactory(superuser=True, username="root")


@pytest.fixture
def agency_user(db):
    return UserFactory(agency=True, username="icbc")


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as(api_client):
    """``api_as(user)``: the API client logged in as ``user`` (a session, as officers use)."""

    def login(user):
        api_client.force_login(user)
        return api_client

    return login


@pytest.fixture
def client_as(client):
    """``client_as(user)``: the page client logged in as ``user``."""

    def login(user):
        client.force_login(user)
        return client

    return login
