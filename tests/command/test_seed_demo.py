import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from cases import demo as cases_demo
from cases.choices import ROLE_SIDES, PartyKind
from cases.models import Case, CaseParty, Party
from core.demo import ADMIN_GROUP
from core.identifiers import is_minor, normalize_credit_code, normalize_resident_id
from core.models import AuditLog, CaseNumberSequence, Court, User

DEMO_ACCOUNTS = {
    "demo-clerk": ("clerk", "京0105"),
    "demo-officer": ("officer", "京0105"),
    "demo-judge": ("judge", "京0105"),
    "demo-head": ("division_head", "京0105"),
    "demo-admin": ("court_admin", "京0105"),
    "demo-auditor": ("auditor", "京0105"),
    "demo-officer2": ("officer", "京0108"),
}
DEMO_COURTS = ("京0105", "京0108", "沪0115", "粤0703", "京03")
ENFORCEMENT_TYPES = ("执", "执恢", "执保", "执异", "破申")


@pytest.fixture(autouse=True)
def _development_instance(settings):
    settings.DEBUG = True
    # The demo's one password hash is the slow part; tests need it to work, not to be slow to crack.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_seed_demo_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="runs only with DEBUG on"):
        seed()
    assert not Court.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_running_seed_demo_twice_changes_nothing():
    seed()
    counts = row_counts()
    serials = list(CaseNumberSequence.objects.values_list("court_id", "type_code", "year", "last_serial"))
    passwords = dict(User.objects.values_list("username", "password"))
    output = seed()
    assert row_counts() == counts
    assert counts["core.AuditLog"] > 0
    assert list(CaseNumberSequence.objects.values_list("court_id", "type_code", "year", "last_serial")) == serials
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert "0 new" in output
    assert "京0105 already seeded" in output


@pytest.mark.django_db
def test_an_interrupted_seed_demo_is_completed_by_the_next_run(monkeypatch):
    file_court = cases_demo._file_court

    def fail_at_pudong(code, *args, **kwargs):
        if code == "沪0115":
            raise RuntimeError("interrupted")
        return file_court(code, *args, **kwargs)

    monkeypatch.setattr(cases_demo, "_file_court", fail_at_pudong)
    with pytest.raises(RuntimeError, match="interrupted"):
        seed()
    assert not Case.objects.filter(court__code="沪0115").exists()
    assert Case.objects.filter(court__code="京0108").count() == cases_demo.CASE_COUNTS["京0108"]
    monkeypatch.undo()
    output = seed()
    assert "京0108 already seeded" in output
    assert "沪0115 28 new" in output
    expected = sum(cases_demo.CASE_COUNTS.values()) + cases_demo.APPEAL_COUNT
    applied = AuditLog.objects.filter(action="enforcement.file").count()  # the enforcement demo's applications
    from bankruptcy import demo as bankruptcy_demo

    bankruptcy = len(AuditLog.objects.get(action=bankruptcy_demo.SEEDED).changes["cases"])  # the 执转破 demo's cases
    from credit import demo_remedies

    remedies = len(AuditLog.objects.get(action=demo_remedies.SEEDED).changes["cases"])  # the 执异 cases of issue 9
    from command import demo_graph

    graph = len(AuditLog.objects.get(action=demo_graph.SEEDED).changes["cases"])  # the relation graph demo's cases
    assert Case.objects.count() == expected + applied + bankruptcy + remedies + graph


def test_the_demo_plan_is_the_same_on_every_run():
    today = dt.date(2026, 3, 2)
    first = cases_demo.Planner(today=today).build()
    second = cases_demo.Planner(today=today).build()

    def summary(plan):
        return [
            (
                c.court,
                c.case_type,
                c.filing_date,
                c.amount,
                c.summary,
                [p.id_number for p in c.claimants + c.opponents + c.others],
            )
            for c in plan
        ]

    assert summary(first) == summary(second)


@pytest.fixture(scope="class")
def seeded_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """One seeded database for the tests that only read it; rolled back when the class is done. The notices
    it generates go to a temporary folder (class scope runs before the suite's per-test MEDIA_ROOT)."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(DEBUG=True, PASSWORD_HASHERS=hashers, MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        transaction.atomic(),
    ):
        yield seed()
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_demo")
class TestTheSeededDemo:
    def test_seed_demo_builds_the_courts_with_their_codes_and_superior_courts(self):
        parents = {court.code: court.parent.code if court.parent else None for court in Court.objects.all()}
        assert parents == {
            "最高法": None,
            "京": "最高法",
            "京01": "京",
            "京03": "京",
            "京0105": "京03",
            "京0108": "京01",
            "沪": "最高法",
            "沪01": "沪",
            "沪0115": "沪01",
            "粤": "最高法",
            "粤07": "粤",
            "粤0703": "粤07",
        }
        chaoyang = Court.objects.get(code="京0105")
        assert (chaoyang.name, chaoyang.level, chaoyang.region_code) == ("北京市朝阳区人民法院", "basic", "110105")
        assert Court.objects.get(code="最高法").level == "supreme"
        for court in Court.objects.all():
            court.full_clean()

    def test_seed_demo_creates_the_demo_accounts_with_their_roles_courts_and_password(self, client, settings):
        for username, (role, court_code) in DEMO_ACCOUNTS.items():
            user = User.objects.get(username=username)
            assert (user.role, user.court.code) == (role, court_code), username
            assert user.display_name
            assert not user.is_superuser
            assert client.login(username=username, password=settings.DEMO_PASSWORD), username
            client.logout()
        admin = User.objects.get(username="demo-admin")
        assert admin.is_staff
        assert admin.has_perm("cases.change_case")
        assert admin.has_perm("core.view_auditlog")
        assert list(admin.groups.values_list("name", flat=True)) == [ADMIN_GROUP]
        assert not User.objects.get(username="demo-officer").is_staff
        bank = User.objects.get(username="demo-bank")
        assert (bank.role, bank.court, bank.organisation) == ("agency", None, "中国工商银行北京分行 (演示)")
        assert not bank.has_usable_password()

    def test_the_demo_bank_key_authenticates_against_the_api(self, client):
        response = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Api-Key demobank.zhixing-demo-bank-key")
        assert response.status_code == 200
        assert (response.json()["username"], response.json()["role"]) == ("demo-bank", "agency")

    def test_seed_demo_files_hundreds_of_cases_mostly_at_the_demo_officers_court(self, seeded_demo):
        today = timezone.localdate()
        assert Case.objects.count() >= 300
        assert Case.objects.filter(court__code="京0105").count() >= 250
        assert set(Case.objects.values_list("court__code", flat=True)) == set(DEMO_COURTS)
        assert set(Case.objects.values_list("case_type", flat=True)) >= {
            "执",
            "民初",
            "民终",
            "财保",
            "执恢",
            "执保",
            "执异",
            "破申",
        }
        assert Case.objects.filter(case_type="执").count() > Case.objects.count() / 2
        assert not Case.objects.filter(filing_date__gt=today).exists()
        assert not Case.objects.filter(filing_date__lt=today - dt.timedelta(days=cases_demo.WINDOW_DAYS)).exists()
        assert AuditLog.objects.filter(action="case.file").count() == Case.objects.count()
        assert "京0105 272 new" in seeded_demo

    def test_every_demo_case_has_a_party_on_each_side_and_serials_follow_filing_dates(self):
        for case in Case.objects.prefetch_related("party_links"):
            claimants, opponents, _others = ROLE_SIDES[case.case_type]
            roles = {link.role for link in case.party_links.all()}
            assert roles & claimants and roles & opponents, case.number
        for court_code, case_type, year in Case.objects.values_list("court__code", "case_type", "year").distinct():
            cases = Case.objects.filter(court__code=court_code, case_type=case_type, year=year).order_by("serial")
            dates = [case.filing_date for case in cases]
            assert dates == sorted(dates)
            assert [case.serial for case in cases] == list(range(1, len(dates) + 1))

    def test_every_demo_party_has_a_valid_identifier_and_no_minor_is_a_debtor(self):
        for party in Party.objects.all():
            if party.kind == PartyKind.PERSON:
                assert normalize_resident_id(party.id_number) == party.id_number
                assert party.birth_date and party.sex
            else:
                assert normalize_credit_code(party.id_number) == party.id_number
                assert party.legal_representative
        for link in CaseParty.objects.filter(role="debtor", party__kind=PartyKind.PERSON).select_related(
            "party", "case"
        ):
            assert not is_minor(link.party.id_number, link.case.filing_date), link.case.number

    def test_some_debtors_are_on_several_enforcement_cases_some_at_two_courts(self):
        debtor_links = CaseParty.objects.filter(role="debtor", case__case_type__in=ENFORCEMENT_TYPES)
        cases_per_debtor: dict[int, set[int]] = {}
        courts_per_debtor: dict[int, set[str]] = {}
        for party_id, case_id, court_code in debtor_links.values_list("party_id", "case_id", "case__court__code"):
            cases_per_debtor.setdefault(party_id, set()).add(case_id)
            courts_per_debtor.setdefault(party_id, set()).add(court_code)
        repeat = [party_id for party_id, cases in cases_per_debtor.items() if len(cases) >= 2]
        assert len(repeat) >= 10
        assert max(len(cases) for cases in cases_per_debtor.values()) <= cases_demo.MAX_DEBTOR_CASES
        assert any(len(courts) >= 2 for courts in courts_per_debtor.values())
        petitioned = CaseParty.objects.filter(role="debtor", case__case_type="破申", case__court__code="粤0703")
        assert max(len(cases_per_debtor[link.party_id]) for link in petitioned) >= 4  # 执转破: several 执, then 破申
