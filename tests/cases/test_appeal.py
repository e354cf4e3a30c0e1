"""Appeals (appeal_file): a 民终 case at the superior court, linked to the first-instance case."""

import datetime as dt

import pytest

from cases.choices import CaseType, DocumentKind, PartyRole
from cases.exceptions import LitigationRuleViolation
from cases.services import appeal_file
from core.exceptions import InvalidInput, PermissionDenied
from core.models import AuditLog
from tests.cases.builders import TODAY, civil_case, judgment, party
from tests.factories import CaseFactory, CourtFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superior(court):
    superior = CourtFactory(code="京03", name="北京市第三中级人民法院", level="intermediate")
    court.parent = superior
    court.save()
    return superior


def appeal(case, actor, superior, **overrides):
    data = {"first_instance_case": case, "court": superior, "filing_date": TODAY}
    data.update(overrides)
    if "appellant_ids" not in data:
        data["appellant_ids"] = [party(case, PartyRole.DEFENDANT).pk]
    return appeal_file(actor=actor, **data)


def refused(nothing_written, *args, **kwargs) -> LitigationRuleViolation:
    with nothing_written(), pytest.raises(LitigationRuleViolation) as caught:
        appeal(*args, **kwargs)
    return caught.value


def test_an_appeal_is_filed_at_the_superior_court_with_the_other_side_as_appellees(clerk, court, superior):
    case = civil_case(court, third_party=True)
    appealed = appeal(case, clerk, superior)
    assert appealed.number == f"（{TODAY.year}）京03民终1号"
    assert (appealed.case_type, appealed.court, appealed.source_case) == (CaseType.CIVIL_APPEAL, superior, case)
    assert (appealed.amount, appealed.cause) == (case.amount, case.cause)
    assert [(link.role, link.party) for link in appealed.party_links.order_by("position")] == [
        (PartyRole.APPELLANT, party(case, PartyRole.DEFENDANT)),
        (PartyRole.APPELLEE, party(case, PartyRole.PLAINTIFF)),
    ]
    assert list(case.follow_on_cases.all()) == [appealed]
    assert AuditLog.objects.get(action="case.file", object_id=str(appealed.pk)).changes["source_case"] == case.pk


def test_the_superior_courts_clerk_may_file_the_appeal_too(court, superior):
    clerk = UserFactory(clerk=True, court=superior)
    assert appeal(civil_case(court), clerk, superior).court == superior


def test_an_appeal_goes_to_the_superior_court_only(clerk, court, superior, other_court, nothing_written):
    case = civil_case(court)
    error = refused(nothing_written, case, clerk, other_court)
    assert error.code == "appeal.wrong_court"
    assert (
        error.message == "An appeal from 北京市朝阳区人民法院 is heard by its superior court, 北京市第三中级人民法院."
    )


def test_only_a_first_instance_case_is_appealed(clerk, court, superior, nothing_written):
    case = CaseFactory(court=court, case_type=CaseType.ENFORCEMENT, filing_date=TODAY - dt.timedelta(days=3))
    error = refused(nothing_written, case, clerk, superior, appellant_ids=[case.party_links.first().party_id])
    assert error.code == "appeal.not_first_instance"


def test_a_case_is_appealed_once(clerk, court, superior, nothing_written):
    case = civil_case(court)
    first = appeal(case, clerk, superior)
    error = refused(nothing_written, case, clerk, superior, appellant_ids=[party(case, PartyRole.PLAINTIFF).pk])
    assert error.code == "appeal.already_filed"
    assert error.message == f"This case has already been appealed: {first.number}."


def test_an_effective_judgment_can_no_longer_be_appealed(clerk, judge, court, superior, nothing_written):
    case = civil_case(court)
    document = judgment(case, actor=judge)
    error = refused(nothing_written, case, clerk, superior)
    assert error.code == "appeal.judgment_effective"
    assert error.message == (
        f"The first-instance judgment took effect on {document.effective_on} and can no longer be appealed."
    )


def test_a_mediation_statement_cannot_be_appealed(clerk, judge, court, superior, nothing_written):
    case = civil_case(court)
    judgment(case, actor=judge, kind=DocumentKind.MEDIATION, effective_days_ago=None)
    assert refused(nothing_written, case, clerk, superior).code == "appeal.mediated"


def test_appellants_must_be_parties_to_the_first_instance_case(clerk, court, superior, nothing_written):
    case = civil_case(court)
    stranger = CaseFactory(court=court).party_links.first().party
    error = refused(nothing_written, case, clerk, superior, appellant_ids=[stranger.pk])
    assert error.code == "appeal.party_not_on_case"


def test_an_appeal_needs_an_appellant_and_a_date(clerk, court, superior, nothing_written):
    case = civil_case(court, filed_days_ago=5)
    with nothing_written(), pytest.raises(InvalidInput) as caught:
        appeal(case, clerk, superior, appellant_ids=[], filing_date=TODAY - dt.timedelta(days=9))
    assert caught.value.fields == {
        "filing_date": [f"An appeal cannot be filed before the first-instance case ({case.filing_date})."],
        "appellant_ids": ["Name at least one appellant."],
    }


def test_a_clerk_of_an_unrelated_court_may_not_file_the_appeal(court, superior, other_clerk, nothing_written):
    case = civil_case(court)
    with nothing_written(), pytest.raises(PermissionDenied) as caught:
        appeal(case, other_clerk, superior)
    assert caught.value.code == "appeal.court"
