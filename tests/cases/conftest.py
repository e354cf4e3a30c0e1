"""The core fixtures (courts 京0105 and 京0108, users by role, clients) and a row-count snapshot."""

import pytest

from cases.models import (
    Case,
    CaseParty,
    EffectiveDocument,
    FilingAlert,
    Instalment,
    Party,
    PreservationApplication,
    PreservationMeasure,
    PreservationNoticeDecision,
    TrialEvent,
)
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
from tests.factories import UserFactory

WATCHED = (
    Case,
    Party,
    CaseParty,
    AuditLog,
    CaseNumberSequence,
    TrialEvent,
    EffectiveDocument,
    Instalment,
    FilingAlert,
    PreservationApplication,
    PreservationMeasure,
    PreservationNoticeDecision,
)


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


@pytest.fixture
def judge(court):  # noqa: F811 - the fixture
    return UserFactory(judge=True, court=court, username="judge-0105")


@pytest.fixture
def head(court):  # noqa: F811 - the fixture
    return UserFactory(division_head=True, court=court, username="head-0105")


@pytest.fixture
def other_judge(other_court):  # noqa: F811 - the fixture
    return UserFactory(judge=True, court=other_court, username="judge-0108")
