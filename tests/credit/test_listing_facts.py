"""What credit tells the 终本 checklist (终本规定 2016 art. 1(2)): every debtor listed where eligible, every
debtor under a consumption restriction."""

from __future__ import annotations

import pytest

from credit.checks import termination_facts
from enforcement.checks import termination_facts as registered_facts
from tests.credit.listing_builders import (  # noqa: F401 - fixture
    _restriction_issue_available,
    listed,
    listing_case,
)
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db


def _facts(ec):
    return {fact.code: fact for fact in termination_facts(ec)}


def test_credit_is_registered_with_the_termination_checklist(court, officer):
    facts = registered_facts(listing_case(court, officer))
    assert {"dishonest_listing", "consumption_restriction"} <= set(facts)


def test_nothing_listed_or_restricted_is_unmet(court, officer):
    facts = _facts(listing_case(court, officer))
    assert not facts["dishonest_listing"].met
    assert facts["dishonest_listing"].details["eligible"] is True
    assert not facts["consumption_restriction"].met


def test_a_listed_debtor_meets_both(court, officer, division_head, media_root):
    ec = listing_case(court, officer)
    listed(officer, division_head, ec)
    facts = _facts(ec)
    assert facts["dishonest_listing"].met
    assert facts["consumption_restriction"].met


def test_every_debtor_must_be_listed(court, officer, division_head, media_root):
    first, second = PartyFactory(), PartyFactory(name="赵二")
    ec = listing_case(court, officer, debtors=[first, second])
    listed(officer, division_head, ec, debtor=first)
    facts = _facts(ec)
    assert not facts["dishonest_listing"].met
    assert facts["dishonest_listing"].details["unlisted"] == ["赵二"]


def test_a_minor_debtor_is_not_eligible(court, officer):
    ec = listing_case(court, officer, debtors=[PartyFactory(minor=True, birth_date=None)])
    facts = _facts(ec)
    assert facts["dishonest_listing"].details["eligible"] is False
