"""The core fixtures (courts 京0105 and 京0108, users by role, clients) and a row-count snapshot."""

import pytest

from cases.models import Case, CaseParty, Party
from core.models import AuditLog, CaseNumberSequence
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

WATCHED = (Case, Party, CaseParty, AuditLog, CaseNumberSequence)


def row_counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in WATCHED}
    counts["last_serials"] = sum(CaseNumberSequence.objects.values_list("last_serial", flat=True))
    return counts


@pytest.fixture
def nothing_written(db):
    """Use as ``with nothing_written(): ...``: fails unless the block leaves every watched table as it was
    (rows of Case, Party, CaseParty, AuditLog and CaseNumberSequence, and the serials handed out)."""
    from contextlib import contextmanager

    @contextmanager
    def check():
        before = row_counts()
        yield
        assert row_counts() == before

    return check
