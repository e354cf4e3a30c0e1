"""Courts and users: the court code fits the level (案号规定 art. 4); staff belong to a court."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.models import Court, CourtLevel, User
from core.roles import Role
from tests.factories import CourtFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("level", "code"),
    [
        (CourtLevel.SUPREME, "最高法"),
        (CourtLevel.HIGH, "京"),
        (CourtLevel.INTERMEDIATE, "京01"),
        (CourtLevel.BASIC, "京0105"),
        (CourtLevel.INTERMEDIATE, "粤07"),
    ],
)
def test_a_court_code_that_fits_its_level_is_accepted(level, code):
    Court(code=code, name=f"{code}法院", level=level).full_clean()


@pytest.mark.parametrize(
    ("level", "code"),
    [
        (CourtLevel.BASIC, "京01"),
        (CourtLevel.INTERMEDIATE, "京0105"),
        (CourtLevel.HIGH, "京01"),
        (CourtLevel.SUPREME, "京"),
        (CourtLevel.BASIC, "京105"),
    ],
)
def test_a_court_code_that_does_not_fit_its_level_is_refused(level, code):
    with pytest.raises(ValidationError) as caught:
        Court(code=code, name=f"{code}法院", level=level).full_clean()
    assert caught.value.message_dict["code"] == ["This code does not fit a court of this level (案号规定 art. 4)."]


def test_a_superior_court_must_be_one_level_up():
    high = CourtFactory(code="京", name="北京市高级人民法院", level=CourtLevel.HIGH)
    basic = Court(code="京0105", name="北京市朝阳区人民法院", level=CourtLevel.BASIC, parent=high)
    with pytest.raises(ValidationError) as caught:
        basic.full_clean()
    assert caught.value.message_dict["parent"] == ["The superior court must be one level up."]


def test_the_supreme_court_has_no_superior():
    high = CourtFactory(code="京", name="北京市高级人民法院", level=CourtLevel.HIGH)
    supreme = Court(code="最高法", name="最高人民法院", level=CourtLevel.SUPREME, parent=high)
    with pytest.raises(ValidationError) as caught:
        supreme.full_clean()
    assert caught.value.message_dict["parent"] == ["The Supreme People's Court has no superior court."]


def test_court_staff_without_a_court_are_refused():
    user = User(username="nobody", role=Role.OFFICER)
    user.set_unusable_password()
    with pytest.raises(ValidationError) as caught:
        user.full_clean()
    assert caught.value.message_dict["court"] == ["Court staff must belong to a court."]


def test_the_database_refuses_an_agency_client_attached_to_a_court(court):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="bank", role=Role.AGENCY, court=court)
