"""Filing a case (cases.services.case_file): every check runs before anything is written."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.choices import CaseType, PartyKind, PartyRole
from cases.models import Case, CaseParty, Party
from core.exceptions import InvalidInput, PermissionDenied
from core.models import AuditLog, CaseNumberSequence
from tests.factories import CaseFactory, PartyFactory, UserFactory, file_case, filing_data, party_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year


def refused(nothing_written, **kwargs) -> InvalidInput:
    """File with ``kwargs``; expect the service to refuse with field errors and to write nothing."""
    with nothing_written(), pytest.raises(InvalidInput) as caught:
        file_case(**kwargs)
    assert caught.value.code == "case.invalid"
    return caught.value


def creditor(**overrides) -> dict:
    return {"role": PartyRole.CREDITOR, **party_data(**overrides)}


def debtor_company(**overrides) -> dict:
    return {"role": PartyRole.DEBTOR, **party_data(PartyFactory.build(organisation=True), **overrides)}


# ---- the happy paths ---------------------------------------------------------------------------------------


def test_filing_creates_the_case_with_the_first_number_of_the_year(clerk):
    case = file_case(actor=clerk, amount="123456.78", cause="  民间借贷纠纷 ")
    assert case.number == f"（{YEAR}）京0105执1号"
    assert (case.year, case.serial, case.case_type, case.court) == (YEAR, 1, "执", clerk.court)
    assert case.amount == Decimal("123456.78")
    assert case.cause == "民间借贷纠纷"
    assert case.created_by == clerk
    assert case.filing_date == TODAY


def test_the_next_filing_gets_the_next_serial(clerk):
    file_case(actor=clerk)
    assert file_case(actor=clerk).number == f"（{YEAR}）京0105执2号"
    assert (
        file_case(
            actor=clerk,
            case_type=CaseType.CIVIL_FIRST,
            parties=[
                {"role": PartyRole.PLAINTIFF, **party_data()},
                {"role": PartyRole.DEFENDANT, **party_data()},
            ],
        ).number
        == f"（{YEAR}）京0105民初1号"
    )


def test_a_case_filed_last_year_is_numbered_in_last_years_sequence(clerk):
    case = file_case(actor=clerk, filing_date=dt.date(YEAR - 1, 12, 31))
    assert case.number == f"（{YEAR - 1}）京0105执1号"


def test_filing_registers_new_parties_and_links_them_in_order(clerk):
    data = filing_data()
    person, company = data["parties"]
    case = file_case(actor=clerk, **data)
    links = list(case.party_links.select_related("party"))
    assert [(link.role, link.position, link.party.id_number) for link in links] == [
        ("creditor", 0, person["id_number"]),
        ("debtor", 1, company["id_number"]),
    ]
    registered_person = links[0].party
    assert registered_person.kind == PartyKind.PERSON
    assert registered_person.birth_date is not None and registered_person.sex in ("M", "F")
    assert registered_person.created_by == clerk
    assert links[1].party.legal_representative == company["legal_representative"]


def test_a_party_given_by_a_registered_identifier_is_linked_not_registered_again(clerk):
    known = PartyFactory(organisation=True, name="北京恒通商贸有限公司")
    case = file_case(
        actor=clerk, parties=[creditor(), debtor_company(name="北京恒通商贸有限公司", id_number=known.id_number)]
    )
    assert case.party_links.get(role="debtor").party == known
    assert Party.objects.filter(id_number=known.id_number).count() == 1
    assert AuditLog.objects.filter(action="party.register").count() == 1  # the new creditor only


def test_a_party_given_by_its_id_is_linked(clerk):
    known = PartyFactory()
    case = file_case(actor=clerk, parties=[{"role": PartyRole.CREDITOR, "party_id": known.pk}, debtor_company()])
    assert case.party_links.get(role="creditor").party == known


def test_identifiers_are_normalised_before_they_are_matched(clerk):
    known = PartyFactory(id_number="11010519491231002X", name="李华")
    case = file_case(actor=clerk, parties=[creditor(name="李华", id_number=" 11010519491231002x"), debtor_company()])
    assert case.party_links.get(role="creditor").party == known


def test_filing_writes_a_case_file_audit_row_with_actor_court_and_object(clerk):
    case = file_case(actor=clerk, amount="5000")
    entry = AuditLog.objects.get(action="case.file")
    assert entry.actor == clerk
    assert entry.actor_name == clerk.username
    assert entry.court == clerk.court
    assert (entry.object_type, entry.object_id, entry.object_repr) == ("cases.case", str(case.pk), case.number)
    links = list(case.party_links.all())
    assert entry.changes == {"amount": "5000.00", "parties": [[link.role, link.party_id] for link in links]}


def test_filing_writes_a_party_register_audit_row_for_each_new_party(clerk):
    case = file_case(actor=clerk)
    rows = AuditLog.objects.filter(action="party.register").order_by("id")
    assert [row.object_id for row in rows] == [str(link.party_id) for link in case.party_links.all()]
    assert all(row.actor == clerk and row.court == clerk.court for row in rows)


def test_an_imported_number_is_kept_and_its_serial_reserved(clerk):
    case = file_case(actor=clerk, number=f"({YEAR})京0105执57号")
    assert case.number == f"（{YEAR}）京0105执57号"
    assert case.serial == 57
    assert CaseNumberSequence.objects.get(court=clerk.court, type_code="执", year=YEAR).last_serial == 57
    assert file_case(actor=clerk).number == f"（{YEAR}）京0105执58号"


def test_importing_a_number_below_the_last_serial_does_not_lower_the_sequence(clerk):
    file_case(actor=clerk)
    file_case(actor=clerk, number=f"（{YEAR}）京0105执10号")
    imported = file_case(actor=clerk, number=f"（{YEAR}）京0105执7号")  # a free serial below the last one
    assert imported.serial == 7
    assert CaseNumberSequence.objects.get(court=clerk.court, type_code="执", year=YEAR).last_serial == 10
    assert file_case(actor=clerk).serial == 11


def test_a_case_written_by_the_factory_takes_its_serial_from_the_allocator(clerk):
    CaseFactory(court=clerk.court)
    assert file_case(actor=clerk).serial == 2


def test_a_division_head_may_file_and_a_superuser_may_file_at_any_court(court, other_court, superuser):
    head = UserFactory(division_head=True, court=court)
    assert file_case(actor=head).court == court
    assert file_case(actor=superuser, court=other_court).number == f"（{YEAR}）京0108执1号"


def test_a_third_party_may_join_either_side(clerk):
    case = file_case(
        actor=clerk, parties=[creditor(), debtor_company(), {"role": PartyRole.THIRD_PARTY, **party_data()}]
    )
    assert sorted(case.party_links.values_list("role", flat=True)) == ["creditor", "debtor", "third_party"]


# ---- refusals: each names the field and the rule, and nothing is written --------------------------------


def test_filing_refuses_an_invalid_resident_id(clerk, nothing_written):
    bad = "11010519491231002X"[:-1] + "0"
    error = refused(nothing_written, actor=clerk, parties=[creditor(id_number=bad), debtor_company()])
    assert error.fields == {
        "parties.0.id_number": ["The check digit of this resident ID number is wrong (GB 11643, ISO 7064 MOD 11-2)."]
    }


def test_filing_refuses_an_invalid_credit_code(clerk, nothing_written):
    error = refused(nothing_written, actor=clerk, parties=[creditor(), debtor_company(id_number="91350100M000100Y40")])
    assert error.fields == {
        "parties.1.id_number": ["The check character of this unified social credit code is wrong (GB 32100)."]
    }


def test_filing_refuses_a_credit_code_for_a_natural_person(clerk, nothing_written):
    error = refused(nothing_written, actor=clerk, parties=[creditor(id_number="91350100M000100Y43"), debtor_company()])
    assert error.fields == {"parties.0.id_number": ["A resident ID number is 17 digits followed by a digit or X."]}


def test_filing_refuses_the_same_party_twice_on_one_case(clerk, nothing_written):
    person = creditor()
    error = refused(
        nothing_written, actor=clerk, parties=[person, debtor_company(), {**person, "role": PartyRole.DEBTOR}]
    )
    assert error.fields == {"parties.2.id_number": ["This party is already on the case (row 1)."]}


def test_filing_refuses_a_registered_party_given_once_by_id_and_once_by_identifier(clerk, nothing_written):
    known = PartyFactory(organisation=True)
    error = refused(
        nothing_written,
        actor=clerk,
        parties=[
            creditor(),
            {"role": PartyRole.DEBTOR, "party_id": known.pk},
            {"role": PartyRole.THIRD_PARTY, **party_data(known)},
        ],
    )
    assert error.fields == {"parties.2.id_number": ["This party is already on the case (row 2)."]}


def test_filing_refuses_an_identifier_registered_to_a_different_name(clerk, nothing_written):
    PartyFactory(id_number="11010519491231002X", name="李华")
    error = refused(
        nothing_written, actor=clerk, parties=[creditor(name="王芳", id_number="11010519491231002X"), debtor_company()]
    )
    assert error.fields == {"parties.0.id_number": ["This identifier is registered to 李华, not to 王芳."]}


@pytest.mark.parametrize("amount", ["0", "0.00", Decimal("0")])
def test_filing_refuses_an_amount_of_zero(clerk, nothing_written, amount):
    error = refused(nothing_written, actor=clerk, amount=amount)
    assert error.fields == {"amount": ["The amount must be greater than zero."]}


def test_filing_refuses_a_negative_amount(clerk, nothing_written):
    error = refused(nothing_written, actor=clerk, amount="-100.00")
    assert error.fields == {"amount": ["The amount must be greater than zero."]}


@pytest.mark.parametrize("amount", ["100.123", Decimal("0.001"), "1.005"])
def test_filing_refuses_an_amount_with_three_decimals(clerk, nothing_written, amount):
    error = refused(nothing_written, actor=clerk, amount=amount)
    assert error.fields == {"amount": ["An amount has at most two decimal places (fen)."]}


@pytest.mark.parametrize("amount", ["abc", "", "NaN", "Infinity", None])
def test_filing_refuses_an_amount_that_is_not_a_number(clerk, nothing_written, amount):
    error = refused(nothing_written, actor=clerk, amount=amount)
    assert error.fields == {"amount": ["Enter an amount in yuan, such as 12345.67."]}


def test_filing_refuses_a_missing_court(clerk, nothing_written):
    with nothing_written(), pytest.raises(InvalidInput) as caught:
        from cases.services import PartyInput, case_file

        data = filing_data()
        case_file(actor=clerk, court=None, parties=[PartyInput(**p) for p in data.pop("parties")], **data)
    assert caught.value.fields == {"court": ["Choose a court of this system."]}


def test_filing_refuses_a_court_other_than_the_users_own(clerk, other_court, nothing_written):
    error = refused(nothing_written, actor=clerk, court=other_court)
    assert error.fields == {"court": ["You can file cases only at your own court."]}


def test_filing_refuses_a_case_number_of_another_court(clerk, other_court, nothing_written):
    error = refused(nothing_written, actor=clerk, number=f"（{YEAR}）京0108执5号")
    assert error.fields == {"number": ["This case number belongs to another court (京0108)."]}


def test_filing_refuses_a_case_number_of_another_type(clerk, nothing_written):
    error = refused(nothing_written, actor=clerk, number=f"（{YEAR}）京0105执恢5号")
    assert error.fields == {"number": ["This case number is of another case type (执恢)."]}


def test_filing_refuses_a_pre_2016_case_number_with_zi_di(clerk, nothing_written):
    error = refused(nothing_written, actor=clerk, number=f"（{YEAR}）京0105执字第5号")
    assert error.fields == {"number": ["This case number is of another case type (执字第)."]}


def test_filing_refuses_a_case_number_of_another_year(clerk, nothing_written):
    error = refused(nothing_written, actor=clerk, number=f"（{YEAR - 1}）京0105执5号")
    assert error.fields == {"number": ["The year in the case number must be the filing year."]}


def test_filing_refuses_a_case_number_already_taken(clerk, nothing_written):
    taken = file_case(actor=clerk)
    error = refused(nothing_written, actor=clerk, number=taken.number.replace("（", "(").replace("）", ")"))
    assert error.fields == {"number": ["This case number is already taken."]}


def test_filing_refuses_a_case_number_that_is_not_one(clerk, nothing_written):
    error = refused(nothing_written, actor=clerk, number="京0105执5")
    assert error.fields == {
        "number": ["A case number reads like （2026）京0105执123号: year, court code, type, serial, 号."]
    }


def test_filing_refuses_a_case_without_a_debtor(clerk, nothing_written):
    error = refused(nothing_written, actor=clerk, parties=[creditor()])
    assert error.fields == {"parties": ["A case needs at least one party on each side."]}


def test_filing_refuses_a_case_without_any_party(clerk, nothing_written):
    error = refused(nothing_written, actor=clerk, parties=[])
    assert error.fields == {"parties": ["A case needs at least one party on each side."]}


def test_filing_refuses_a_role_the_case_type_does_not_have(clerk, nothing_written):
    error = refused(
        nothing_written, actor=clerk, parties=[{"role": PartyRole.PLAINTIFF, **party_data()}, debtor_company()]
    )
    assert error.fields == {
        "parties.0.role": ["This role does not exist on a case of this type."],
        "parties": ["A case needs at least one party on each side."],
    }


def test_filing_refuses_a_filing_date_in_the_future(clerk, nothing_written):
    error = refused(nothing_written, actor=clerk, filing_date=TODAY + dt.timedelta(days=1))
    assert error.fields == {"filing_date": ["The filing date cannot be in the future."]}


def test_filing_refuses_an_unknown_case_type(clerk, nothing_written):
    error = refused(nothing_written, actor=clerk, case_type="刑初")
    assert error.fields == {"case_type": ["Unknown case type."]}


def test_filing_refuses_an_empty_cause(clerk, nothing_written):
    error = refused(nothing_written, actor=clerk, cause="   ")
    assert error.fields == {"cause": ["Enter the cause of action."]}


def test_filing_refuses_a_party_without_name_or_kind(clerk, nothing_written):
    error = refused(nothing_written, actor=clerk, parties=[creditor(name=" "), debtor_company(kind="")])
    assert error.fields == {
        "parties.0.name": ["Enter the party's name."],
        "parties.1.kind": ["Choose whether the party is a natural person or an organisation."],
    }


def test_filing_refuses_an_organisation_without_its_legal_representative(clerk, nothing_written):
    error = refused(nothing_written, actor=clerk, parties=[creditor(), debtor_company(legal_representative="")])
    assert error.fields == {
        "parties.1.legal_representative": ["An organisation is filed with its legal representative."]
    }


def test_filing_refuses_an_unknown_party_id(clerk, nothing_written):
    error = refused(nothing_written, actor=clerk, parties=[creditor(), {"role": PartyRole.DEBTOR, "party_id": 999999}])
    assert error.fields == {"parties.1.party_id": ["No such party."]}


def test_filing_reports_every_error_at_once(clerk, other_court, nothing_written):
    error = refused(
        nothing_written,
        actor=clerk,
        court=other_court,
        amount="0",
        cause="",
        filing_date=TODAY + dt.timedelta(days=3),
        parties=[creditor(id_number="123")],
    )
    assert set(error.fields) == {"court", "amount", "cause", "filing_date", "parties.0.id_number", "parties"}
    assert error.message == "You can file cases only at your own court."


@pytest.mark.parametrize("role", ["officer", "judge", "auditor", "court_admin"])
def test_a_role_without_case_file_cannot_file(court, nothing_written, role):
    user = UserFactory(court=court, **{role: True})
    with nothing_written(), pytest.raises(PermissionDenied) as caught:
        file_case(actor=user)
    assert caught.value.message == "Your role does not allow this action."
    assert caught.value.code == "capability.case.file"


def test_a_failure_after_the_checks_rolls_everything_back(clerk, nothing_written, monkeypatch):
    """Nothing half-written: if linking the parties fails, the case, the new parties and the serial go too."""

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(CaseParty.objects, "bulk_create", explode)
    with nothing_written(), pytest.raises(RuntimeError):
        file_case(actor=clerk)
    assert not Case.objects.exists()


def test_a_party_registered_by_a_concurrent_filing_after_the_checks_is_linked(clerk, monkeypatch):
    """Between the checks and the writes another filing may register the same debtor: link it, don't fail."""
    from cases import services

    data = filing_data()
    debtor = data["parties"][1]
    real_allocate = services.allocate_serial

    def allocate_after_a_concurrent_registration(**kwargs):
        PartyFactory(organisation=True, name=debtor["name"], id_number=debtor["id_number"])
        return real_allocate(**kwargs)

    monkeypatch.setattr(services, "allocate_serial", allocate_after_a_concurrent_registration)
    case = file_case(actor=clerk, **data)
    assert case.party_links.get(role="debtor").party == Party.objects.get(id_number=debtor["id_number"])
    assert Party.objects.filter(id_number=debtor["id_number"]).count() == 1
