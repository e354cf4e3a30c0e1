"""Fixtures for the 查控 tests: the core ones, three agencies (a national bank, a national vehicle registry
and a local real-estate registry serving 京0105 only) each with an API client holding an "agency" key, an
enforcement case under investigation at 京0105 with two debtors, and a snapshot of the tables these
services write."""

from tests.assets.builders import (  # noqa: F401 - fixtures
    agencies,
    agency_api,
    bank,
    debtors,
    enforcement_case,
    local_registry,
    order,
    vehicles,
)
from tests.core.conftest import (  # noqa: F401 - fixtures
    _english,
    _fast_password_hashing,
    api_as,
    api_client,
    client_as,
    court,
    officer,
    other_court,
    other_officer,
    superuser,
)
