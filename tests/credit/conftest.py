"""Fixtures for the credit tests: the core ones (courts 京0105 and 京0108, users by role, clients, English
messages), a division head, a judge and a temporary MEDIA_ROOT for generated documents."""

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
from tests.enforcement.builders import division_head, judge, media_root  # noqa: F401 - fixtures
