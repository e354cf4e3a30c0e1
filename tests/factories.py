"""factory_boy factories for core and cases.

Every identifier a factory makes is valid (built by ``core.identifiers.make_resident_id`` /
``make_credit_code``), so a test that wants an invalid one says so itself.

- ``CourtFactory(chaoyang=True)`` is 北京市朝阳区人民法院 (京0105), ``CourtFactory(haidian=True)`` 海淀 (京0108);
  both are get-or-create on the code, so asking twice gives the same court.
- ``UserFactory`` makes an officer of 京0105; traits ``clerk``, ``officer``, ``judge``, ``division_head``,
  ``court_admin``, ``auditor``, ``agency`` (no court) and ``superuser`` (no role, no court).
- ``PartyFactory`` makes a natural person; ``PartyFactory(organisation=True)`` a company with its legal
  representative; ``PartyFactory(minor=True)`` a person under 18 today.
- ``CaseFactory`` writes a case directly (number from the real allocator) with a claimant person and an
  opposing company on the sides its type needs; ``CaseFactory(parties=[(role, party), ...])`` chooses them.
  ``file_case(actor=..., **overrides)`` goes through ``cases.services.case_file`` instead.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cases.choices import ROLE_SIDES, CaseType, PartyKind, PartyRole
from cases.models import Case, CaseParty, Party
from core.case_numbers import allocate_serial, format_case_number
from core.identifiers import birth_date, make_credit_code, make_resident_id, sex
from core.models import Court, CourtLevel, User
from core.roles import Role

PASSWORD = "correct-horse-battery-staple"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN_NAMES = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英"]

_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_check_character(body: str) -> str:
    """The check character of an 8-character 组织机构代码 body (GB 11714, legal-rules §11.2)."""
    check = 11 - sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def organisation_code(n: int) -> str:
    """A 9-character 组织机构代码 whose own check character is right: ``MA`` + 6 digits + check."""
    body = f"MA{n % 1_000_000:06d}"
    return body + organisation_check_character(body)


def person_name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN_NAMES[(n // len(SURNAMES)) % len(GIVEN_NAMES)] + f"{n}"


class CourtFactory(DjangoModelFactory):
    class Meta:
        model = Court
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"沪{1000 + n % 9000:04d}")
    name = factory.LazyAttribute(lambda o: f"{o.code}人民法院")
    level = CourtLevel.BASIC
    region_code = ""

    class Params:
        chaoyang = factory.Trait(code="京0105", name="北京市朝阳区人民法院", region_code="110105")
        haidian = factory.Trait(code="京0108", name="北京市海淀区人民法院", region_code="110108")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)
    display_name = factory.Sequence(lambda n: f"工作人员{n}")
    role = Role.OFFICER
    court = factory.SubFactory(CourtFactory, chaoyang=True)

    class Params:
        clerk = factory.Trait(role=Role.CLERK)
        officer = factory.Trait(role=Role.OFFICER)
        judge = factory.Trait(role=Role.JUDGE)
        division_head = factory.Trait(role=Role.DIVISION_HEAD)
        president = factory.Trait(role=Role.PRESIDENT)
        court_admin = factory.Trait(role=Role.COURT_ADMIN)
        auditor = factory.Trait(role=Role.AUDITOR)
        agency = factory.Trait(role=Role.AGENCY, court=None, organisation="中国工商银行")
        superuser = factory.Trait(role="", court=None, is_superuser=True, is_staff=True)


def _person_id(n: int) -> str:
    born = dt.date(1960, 1, 1) + dt.timedelta(days=n % 15000)
    return make_resident_id("110105", born, n % 1000)


class PartyFactory(DjangoModelFactory):
    class Meta:
        model = Party

    kind = PartyKind.PERSON
    name = factory.Sequence(person_name)
    id_number = factory.Sequence(_person_id)
    legal_representative = ""
    birth_date = factory.LazyAttribute(lambda o: birth_date(o.id_number) if o.kind == PartyKind.PERSON else None)
    sex = factory.LazyAttribute(lambda o: sex(o.id_number) if o.kind == PartyKind.PERSON else "")
    phone = "13800000000"
    address = "北京市朝阳区"

    class Params:
        organisation = factory.Trait(
            kind=PartyKind.ORGANISATION,
            name=factory.Sequence(lambda n: f"北京某某科技有限公司{n}"),
            id_number=factory.Sequence(lambda n: make_credit_code("91", "110105", organisation_code(n))),
            legal_representative=factory.Sequence(person_name),
        )
        minor = factory.Trait(
            id_number=factory.Sequence(
                lambda n: make_resident_id("110105", timezone.localdate() - dt.timedelta(days=3650 + n % 300), n % 1000)
            )
        )


class CaseFactory(DjangoModelFactory):
    """A case written directly; its serial comes from the allocator so later filings continue after it."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    case_type = CaseType.ENFORCEMENT
    court = factory.SubFactory(CourtFactory, chaoyang=True)
    filing_date = factory.LazyFunction(timezone.localdate)
    year = factory.LazyAttribute(lambda o: o.filing_date.year)
    serial = None
    number = ""
    amount = Decimal("100000.00")
    cause = "民间借贷纠纷"
    summary = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("serial") is None:
            kwargs["serial"] = allocate_serial(
                court=kwargs["court"], type_code=kwargs["case_type"], year=kwargs["year"]
            )
        if not kwargs.get("number"):
            kwargs["number"] = format_case_number(
                year=kwargs["year"],
                court_code=kwargs["court"].code,
                type_code=kwargs["case_type"],
                serial=kwargs["serial"],
            )
        return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        """``parties=[(role, party), ...]``; by default a claimant person and an opposing company."""
        if not create:
            return
        if extracted is None:
            claimants, opponents, _others = ROLE_SIDES[self.case_type]
            extracted = [
                (sorted(claimants)[0], PartyFactory()),
                (sorted(opponents)[0], PartyFactory(organisation=True)),
            ]
        for position, (role, party) in enumerate(extracted):
            CaseParty.objects.create(case=self, party=party, role=role, position=position)


def party_data(party: Party | None = None, **overrides) -> dict:
    """The filing/registration input for a party (a fresh valid person unless ``party`` or overrides say)."""
    if party is None:
        party = PartyFactory.build()
    data = {
        "kind": party.kind,
        "name": party.name,
        "id_number": party.id_number,
        "legal_representative": party.legal_representative,
        "phone": party.phone,
        "address": party.address,
    }
    data.update(overrides)
    return data


def filing_data(**overrides) -> dict:
    """Valid input for ``case_file`` (service keyword arguments minus ``actor``/``court``): a 执 case with a
    person as 申请执行人 and a company as 被执行人, neither registered yet."""
    data = {
        "case_type": CaseType.ENFORCEMENT,
        "filing_date": timezone.localdate(),
        "amount": Decimal("123456.78"),
        "cause": "民间借贷纠纷",
        "summary": "",
        "number": "",
        "parties": [
            {"role": PartyRole.CREDITOR, **party_data()},
            {"role": PartyRole.DEBTOR, **party_data(PartyFactory.build(organisation=True))},
        ],
    }
    data.update(overrides)
    return data


def file_case(*, actor: User, court: Court | None = None, **overrides) -> Case:
    """File a case through the real service (number allocation, party registration, audit row)."""
    from cases.services import PartyInput, case_file

    data = filing_data(**overrides)
    parties = [PartyInput(**p) for p in data.pop("parties")]
    return case_file(actor=actor, court=court or actor.court, parties=parties, **data)
