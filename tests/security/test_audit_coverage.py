# ruff: noqa: F811 - the fixtures imported from tests.core.conftest are parameters of the tests
"""Every write service leaves an audit row naming who did what to which object; staff reads of a party's
personal details are audited and the public pages are not; the audit table is append-only, in PostgreSQL too.

The write services are found, not listed: every public function taking the keyword ``actor`` in the
``services`` module or package of each app. Each needs a recipe below (inputs built with tests/factories.py
and the apps' test builders, then the call). A new service without a recipe fails
``test_every_write_service_has_a_recipe``, naming it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.db import DatabaseError, connection, models, transaction
from django.test import TestCase
from django.utils import timezone

from core.audit import audit_record
from core.models import AuditLog, User
from tests.core.conftest import (  # noqa: F401 - fixtures
    _english,
    _fast_password_hashing,
    client_as,
    court,
    other_court,
)
from tests.factories import CaseFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db

APPS = ("core", "cases", "enforcement", "assets", "credit", "bankruptcy", "command")
TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)

# Public functions taking ``actor`` that write nothing of their own, with the reason. Kept short on purpose.
NOT_WRITES = {
    "enforcement.services.lifecycle.lock_case": "locks and reads the case row for its caller; writes nothing",
    "assets.services.controls.check_deduction_approval": "checks who may decide a deduction; writes nothing",
    "enforcement.services.lifecycle.record_status_change": (
        "writes the status-change row of a transition; the calling service audits the transition itself"
    ),
}


def write_services() -> dict[str, Callable]:
    """``{"app.services.module.function": function}`` for every public function of the apps' services taking
    the keyword-only argument ``actor``, each under the module that defines it."""
    found: dict[str, Callable] = {}
    for app in APPS:
        try:
            package = importlib.import_module(f"{app}.services")
        except ModuleNotFoundError:
            continue
        modules = [package]
        for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
            modules.append(importlib.import_module(f"{package.__name__}.{info.name}"))
        for module in modules:
            for name, function in vars(module).items():
                if name.startswith("_") or not inspect.isfunction(function):
                    continue
                if function.__module__ != module.__name__:  # re-exported: counted where it is defined
                    continue
                if name != function.__name__:  # an alias (``rotate_api_credential = credential_rotate``)
                    continue
                actor = inspect.signature(function).parameters.get("actor")
                if actor is not None and actor.kind is inspect.Parameter.KEYWORD_ONLY:
                    found[f"{module.__name__}.{name}"] = function
    return found


SERVICES = write_services()


@dataclass
class Call:
    """What a recipe returns: who acts, the call to make, and the object the audit row must name (by default
    what the call returns)."""

    actor: User | None
    run: Callable[[], Any]
    obj: models.Model | None = None
    expected_actions: tuple[str, ...] = field(default=())


@dataclass
class World:
    court: Any
    other_court: Any
    clerk: User
    officer: User
    judge: User
    head: User
    admin: User
    president: User
    monkeypatch: Any


RECIPES: dict[str, Callable[[World], Call]] = {}


def recipe(name: str):
    def register(build: Callable[[World], Call]):
        assert name not in RECIPES, name
        RECIPES[name] = build
        return build

    return register


@pytest.fixture
def audit_world(court, other_court, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ZHIXING_SMS_BACKEND = "core.sms.LoggingSmsBackend"
    return World(
        court=court,
        other_court=other_court,
        clerk=UserFactory(clerk=True, court=court, username="clerk-0105"),
        officer=UserFactory(officer=True, court=court, username="officer-0105"),
        judge=UserFactory(judge=True, court=court, username="judge-0105"),
        head=UserFactory(division_head=True, court=court, username="head-0105"),
        admin=UserFactory(court_admin=True, court=court, username="admin-0105"),
        president=UserFactory(president=True, court=court, username="president-0105"),
        monkeypatch=monkeypatch,
    )


def _objects_of(result) -> list[models.Model]:
    if isinstance(result, models.Model):
        return [result]
    if isinstance(result, list | tuple):
        return [item for part in result for item in _objects_of(part)]
    return []


def _names(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def _with_owners(objects: list[models.Model], depth: int = 2) -> list[models.Model]:
    """The objects and what they belong to, ``depth`` foreign keys up (a measure's application's case): a
    service may file its row under the case the new record belongs to. Users are not owners."""
    found, layer = list(objects), list(objects)
    for _level in range(depth):
        above = []
        for obj in layer:
            for fk in obj._meta.concrete_fields:
                if fk.is_relation and (fk.many_to_one or fk.one_to_one):
                    if fk.related_model is User or getattr(obj, fk.attname, None) is None:
                        continue
                    above.append(getattr(obj, fk.name))
        found += above
        layer = above
    return found


# ==== core ====================================================================================================


@recipe("core.services.credential_issue")
def _credential_issue(w: World) -> Call:
    from core.services import credential_issue

    client = UserFactory(agency=True, username="client-icbc")
    return Call(w.admin, lambda: credential_issue(actor=w.admin, user=client, name="工行接口"))


@recipe("core.services.credential_revoke")
def _credential_revoke(w: World) -> Call:
    from core.services import credential_revoke

    credential, _key = _credential_issue(w).run()
    return Call(w.admin, lambda: credential_revoke(actor=w.admin, credential=credential, reason="密钥泄露"))


@recipe("core.services.credential_rotate")
def _credential_rotate(w: World) -> Call:
    from core.services import credential_rotate

    credential, _key = _credential_issue(w).run()
    return Call(w.admin, lambda: credential_rotate(actor=w.admin, credential=credential), obj=credential)


# ==== cases ===================================================================================================


def _civil_case(w: World):
    from tests.cases.builders import civil_case

    return civil_case(w.court)


def _judgment(w: World, **overrides):
    from tests.cases.builders import judgment

    return judgment(_civil_case(w), actor=w.judge, **overrides)


@recipe("cases.services.party_register")
def _party_register(w: World) -> Call:
    from cases.services import PartyInput, party_register
    from tests.factories import party_data

    return Call(w.clerk, lambda: party_register(actor=w.clerk, data=PartyInput(role="", **party_data())))


@recipe("cases.services.case_file")
def _case_file(w: World) -> Call:
    from tests.factories import file_case

    return Call(w.clerk, lambda: file_case(actor=w.clerk))


@recipe("cases.services.filing_alerts.filing_alerts_record")
def _filing_alerts_record(w: World) -> Call:
    from cases.choices import PartyRole
    from cases.services.filing_alerts import filing_alerts_record
    from enforcement.choices import Status
    from tests.enforcement.builders import case_in

    debtor = PartyFactory()
    case_in(Status.INVESTIGATING, w.court, debtors=[debtor])  # a debtor already: the new filing is alerted
    case = CaseFactory(court=w.court, parties=[(PartyRole.CREDITOR, PartyFactory()), (PartyRole.DEBTOR, debtor)])
    return Call(
        w.clerk,
        lambda: filing_alerts_record(actor=w.clerk, case=case, links=list(case.party_links.all())),
        obj=case,
    )


@recipe("cases.services.litigation.trial_event_record")
def _trial_event_record(w: World) -> Call:
    from cases.choices import TrialEventKind
    from cases.services import trial_event_record

    case = _civil_case(w)
    at = timezone.now() + dt.timedelta(days=10)
    return Call(
        w.judge,
        lambda: trial_event_record(
            actor=w.judge, case=case, kind=TrialEventKind.HEARING_SCHEDULED, at=at, place="一庭"
        ),
    )


@recipe("cases.services.litigation.document_record")
def _document_record(w: World) -> Call:
    from tests.cases.builders import judgment

    case = _civil_case(w)
    return Call(w.judge, lambda: judgment(case, actor=w.judge))


@recipe("cases.services.litigation.document_mark_effective")
def _document_mark_effective(w: World) -> Call:
    from cases.services import document_mark_effective

    document = _judgment(w, effective_days_ago=None)
    return Call(w.judge, lambda: document_mark_effective(actor=w.judge, document=document, effective_on=TODAY - DAY))


@recipe("cases.services.litigation.document_mark_performed")
def _document_mark_performed(w: World) -> Call:
    from cases.services import document_mark_performed

    document = _judgment(w)
    return Call(w.judge, lambda: document_mark_performed(actor=w.judge, document=document, on=TODAY))


@recipe("cases.services.litigation.appeal_file")
def _appeal_file(w: World) -> Call:
    from cases.choices import PartyRole
    from cases.services import appeal_file
    from tests.cases.builders import party
    from tests.factories import CourtFactory

    superior = CourtFactory(code="京03", name="北京市第三中级人民法院", level="intermediate")
    w.court.parent = superior
    w.court.save()
    case = _civil_case(w)
    appellant = party(case, PartyRole.DEFENDANT)
    return Call(
        w.clerk,
        lambda: appeal_file(
            actor=w.clerk, first_instance_case=case, court=superior, filing_date=TODAY, appellant_ids=[appellant.pk]
        ),
    )


@recipe("cases.services.notices.preservation_notice_decide")
def _preservation_notice_decide(w: World) -> Call:
    from cases.choices import PartyRole
    from cases.services import preservation_notice_decide
    from tests.cases.builders import party

    case = _civil_case(w)
    defendant = party(case, PartyRole.DEFENDANT)
    return Call(
        w.clerk,
        lambda: preservation_notice_decide(actor=w.clerk, case=case, party_id=defendant.pk, send=False),
        obj=case,
    )


@recipe("cases.services.notifications.notify_party")
def _notify_party(w: World) -> Call:
    from cases.services.notifications import notify_party

    party = PartyFactory(phone="13912345678")
    case = CaseFactory(court=w.court)
    return Call(
        w.officer,
        lambda: notify_party(party=party, case=case, kind="tracking.result", subject="查询结果", body="未发现财产",
                             actor=w.officer),
    )  # fmt: skip


@recipe("cases.services.notifications.notification_mark_read")
def _notification_mark_read(w: World) -> Call:
    from cases.services.notifications import notification_mark_read, notify_user

    note = notify_user(user=w.officer, case=None, kind="restoration.requested", subject="恢复执行申请", body="新线索",
                       link="")  # fmt: skip
    return Call(w.officer, lambda: notification_mark_read(actor=w.officer, notification_id=note.pk))


def _preservation_application(w: World, *, decided: bool):
    from cases.services import preservation_decide

    application = _preservation_apply(w, security_offered="保险公司保函").run()
    if decided:
        application = preservation_decide(actor=w.judge, application=application, grant=True, reason="符合法定条件")
    return application


def _preservation_measure(w: World, application):
    from cases.choices import MeasureKind, PropertyClass
    from cases.services import preservation_measure_add

    return preservation_measure_add(
        actor=w.officer,
        application=application,
        kind=MeasureKind.FREEZE,
        property_class=PropertyClass.DEPOSIT,
        asset_description="中国工商银行北京朝阳支行 账号0200…1234",
        amount="100000.00",
        starts_on=TODAY,
    )


@recipe("cases.services.preservation.preservation_apply")
def _preservation_apply(w: World, **extra) -> Call:
    from cases.choices import PreservationKind
    from cases.services import preservation_apply
    from tests.cases.builders import preservation_case

    case = preservation_case(w.court)
    claimant, opponent = (link.party_id for link in case.party_links.order_by("position")[:2])
    return Call(
        w.clerk,
        lambda: preservation_apply(
            actor=w.clerk,
            case=case,
            kind=PreservationKind.PRE_SUIT,
            applicant_id=claimant,
            respondent_id=opponent,
            amount="150000.00",
            applied_on=TODAY,
            **extra,
        ),
    )


@recipe("cases.services.preservation.preservation_decide")
def _preservation_decide(w: World) -> Call:
    from cases.services import preservation_decide

    application = _preservation_application(w, decided=False)
    return Call(
        w.judge, lambda: preservation_decide(actor=w.judge, application=application, grant=True, reason="符合条件")
    )


@recipe("cases.services.preservation.preservation_measure_add")
def _preservation_measure_add(w: World) -> Call:
    application = _preservation_application(w, decided=True)
    return Call(w.officer, lambda: _preservation_measure(w, application))


def _carry_over_setup(w: World):
    from cases.choices import CaseType, PartyRole

    application = _preservation_application(w, decided=True)
    measure = _preservation_measure(w, application)
    target = CaseFactory(
        court=w.court,
        case_type=CaseType.ENFORCEMENT,
        parties=[(PartyRole.CREDITOR, application.applicant), (PartyRole.DEBTOR, application.respondent)],
    )
    return measure, target


@recipe("cases.services.preservation.preservation_carry_over")
def _preservation_carry_over(w: World) -> Call:
    from cases.services import preservation_carry_over

    measure, target = _carry_over_setup(w)
    return Call(
        w.clerk, lambda: preservation_carry_over(actor=w.clerk, measures=[measure], enforcement_case_record=target)
    )


def _debtor_on_a_case(w: World, name: str = "张三"):
    from enforcement.choices import Status
    from tests.enforcement.builders import case_in

    debtor = PartyFactory(name=name)
    case_in(Status.INVESTIGATING, w.court, debtors=[debtor], officer=w.officer)
    return debtor


@recipe("cases.services.relations.party_relation_record")
def _party_relation_record(w: World) -> Call:
    from cases.services.relations import party_relation_record

    debtor, spouse = _debtor_on_a_case(w), PartyFactory(name="李四")
    return Call(
        w.officer,
        lambda: party_relation_record(
            actor=w.officer, party_a_id=debtor.pk, party_b_id=spouse.pk, kind="spouse", source="民政局"
        ),
    )


@recipe("cases.services.relations.property_transfer_record")
def _property_transfer_record(w: World) -> Call:
    from cases.services.relations import property_transfer_record

    debtor, other = _debtor_on_a_case(w), PartyFactory(name="李四")
    return Call(
        w.officer,
        lambda: property_transfer_record(
            actor=w.officer,
            from_party_id=debtor.pk,
            to_party_id=other.pk,
            description="朝阳区某小区1号楼101室",
            category="real_estate",
            value="800000.00",
            transferred_on=TODAY - dt.timedelta(days=10),
            source="不动产登记中心",
        ),
    )


# ==== enforcement =============================================================================================


def _ec(w: World, status: str = "investigating", **fields):
    from tests.enforcement.builders import case_in

    fields.setdefault("officer", w.officer)
    return case_in(status, w.court, **fields)


def _parties_of(ec):
    from cases.choices import PartyRole

    links = {link.role: link.party for link in ec.case.party_links.all()}
    return links[PartyRole.CREDITOR], links[PartyRole.DEBTOR]


@recipe("enforcement.services.assignment.case_triage")
def _case_triage(w: World) -> Call:
    from enforcement.services import case_triage

    ec = _ec(w)
    return Call(w.officer, lambda: case_triage(actor=w.officer, enforcement_case=ec))


@recipe("enforcement.services.assignment.case_set_track")
def _case_set_track(w: World) -> Call:
    from enforcement.choices import Track
    from enforcement.services import case_set_track

    ec = _ec(w)
    return Call(
        w.head, lambda: case_set_track(actor=w.head, enforcement_case=ec, track=Track.COMPLEX, reason="下落不明")
    )


@recipe("enforcement.services.assignment.case_assign")
def _case_assign(w: World) -> Call:
    from enforcement.services import case_assign

    ec = _ec(w, "filed", officer=None)
    return Call(w.head, lambda: case_assign(actor=w.head, enforcement_case=ec, officer=w.officer, reason="简案快执"))


@recipe("enforcement.services.assignment.cases_assign_bulk")
def _cases_assign_bulk(w: World) -> Call:
    from enforcement.services import cases_assign_bulk

    cases = [_ec(w, "filed", officer=None) for _ in range(2)]
    return Call(w.head, lambda: cases_assign_bulk(actor=w.head, enforcement_cases=cases, officer=w.officer))


def _coercion_case(w: World):
    person = PartyFactory(name="张三")
    return _ec(w, "controlling", debtors=[person, PartyFactory(organisation=True)]), person


def _coercion(w: World, *, kind: str = "fine", approve: bool = False, **terms):
    from enforcement.services.coercion import coercion_decide

    measure = _coercion_propose(w, kind=kind, **terms).run()
    if approve:
        measure = coercion_decide(actor=w.president, measure=measure, approve=True, on=TODAY)
    return measure


@recipe("enforcement.services.coercion.coercion_propose")
def _coercion_propose(w: World, *, kind: str = "fine", **terms) -> Call:
    """A fine of 1000 unless told another ``kind`` and its ``terms`` (``days=5``)."""
    from enforcement.services.coercion import coercion_propose

    ec, person = _coercion_case(w)
    terms = terms or {"amount": Decimal("1000")}
    return Call(
        w.officer,
        lambda: coercion_propose(
            actor=w.officer, enforcement_case=ec, kind=kind, subject=person, ground="refusing_report",
            facts="被执行人拒不报告财产。", **terms,
        ),
    )  # fmt: skip


@recipe("enforcement.services.coercion.coercion_decide")
def _coercion_decide(w: World) -> Call:
    from enforcement.services.coercion import coercion_decide

    measure = _coercion(w)
    return Call(w.president, lambda: coercion_decide(actor=w.president, measure=measure, approve=True, on=TODAY))


@recipe("enforcement.services.coercion.coercion_execute")
def _coercion_execute(w: World) -> Call:
    from enforcement.services.coercion import coercion_execute

    measure = _coercion(w, kind="detention", days=5, approve=True)
    return Call(w.officer, lambda: coercion_execute(actor=w.officer, measure=measure, executed_on=TODAY))


@recipe("enforcement.services.coercion.coercion_release")
def _coercion_release(w: World) -> Call:
    from enforcement.services.coercion import coercion_execute, coercion_release

    measure = coercion_execute(
        actor=w.officer, measure=_coercion(w, kind="detention", days=5, approve=True), executed_on=TODAY
    )
    return Call(
        w.officer,
        lambda: coercion_release(actor=w.officer, measure=measure, released_on=TODAY, reason="具结悔过，经院长批准"),
    )


def _debtor_search(w: World, *, attempt: bool = False):
    """A search started (and one attempt recorded if ``attempt``), through the recipes of those services."""
    search = _debtor_search_start(w).run()
    return _debtor_search_attempt(w, search).run() if attempt else search


@recipe("enforcement.services.coercion.debtor_search_start")
def _debtor_search_start(w: World) -> Call:
    from enforcement.services.coercion import debtor_search_start

    debtor = PartyFactory(name="张三")
    ec = _ec(w, debtors=[debtor])
    return Call(w.officer, lambda: debtor_search_start(actor=w.officer, enforcement_case=ec, debtor=debtor, on=TODAY))


@recipe("enforcement.services.coercion.debtor_search_attempt")
def _debtor_search_attempt(w: World, search=None) -> Call:
    from enforcement.services.coercion import debtor_search_attempt

    search = search or _debtor_search(w)
    return Call(
        w.officer,
        lambda: debtor_search_attempt(
            actor=w.officer, search=search, on=TODAY, kind="address", where="户籍地", result="人去楼空"
        ),
    )


@recipe("enforcement.services.coercion.debtor_search_close")
def _debtor_search_close(w: World) -> Call:
    from enforcement.services.coercion import debtor_search_close

    search = _debtor_search(w, attempt=True)
    return Call(
        w.officer,
        lambda: debtor_search_close(actor=w.officer, search=search, found=True, on=TODAY, result="在亲属家中找到"),
    )


def _fund_case(w: World, **kwargs):
    from tests.enforcement.distribution_builders import fund_case

    return fund_case(w.court, w.officer, **kwargs)


def _approved_plan(w: World, *, creditors: int = 1):
    from tests.enforcement.distribution_builders import approved, ordinary

    ec = _fund_case(w, extra_creditors=creditors - 1, received="2000.00")
    amounts = ["1000.00"] * creditors if creditors > 1 else ["2000.00"]
    return ec, approved(w.officer, w.head, ec, "2000.00", ordinary(ec, *amounts))


@recipe("enforcement.services.distribution.distribution_propose")
def _distribution_propose(w: World) -> Call:
    from tests.enforcement.distribution_builders import ordinary, proposed

    ec = _fund_case(w, extra_creditors=0, received="2000.00")
    return Call(w.officer, lambda: proposed(w.officer, ec, "2000.00", ordinary(ec, "2000.00")))


@recipe("enforcement.services.distribution.distribution_decide")
def _distribution_decide(w: World) -> Call:
    from enforcement.services.distribution import distribution_decide
    from tests.enforcement.distribution_builders import ordinary, proposed

    ec = _fund_case(w, extra_creditors=0, received="2000.00")
    plan = proposed(w.officer, ec, "2000.00", ordinary(ec, "2000.00"))
    return Call(w.head, lambda: distribution_decide(actor=w.head, plan=plan, approve=True, note=""))


def _plan_objector(ec):
    from tests.enforcement.distribution_builders import creditors

    return ec.case.parties.get(pk=creditors(ec)[1])


@recipe("enforcement.services.distribution.distribution_objection_record")
def _distribution_objection_record(w: World) -> Call:
    from enforcement.services.distribution import distribution_objection_record

    ec, plan = _approved_plan(w, creditors=2)
    objector = _plan_objector(ec)
    return Call(
        w.officer,
        lambda: distribution_objection_record(
            actor=w.officer, plan=plan, party=objector, text="我的债权应为1500元", received_on=TODAY
        ),
    )


@recipe("enforcement.services.distribution.distribution_objection_decide")
def _distribution_objection_decide(w: World) -> Call:
    from enforcement.services.distribution import distribution_objection_decide

    objection = _distribution_objection_record(w).run()
    return Call(
        w.officer,
        lambda: distribution_objection_decide(actor=w.officer, objection=objection, upheld=False, outcome="异议不成立"),
    )


@recipe("enforcement.services.distribution.distribution_pay")
def _distribution_pay(w: World) -> Call:
    from enforcement.services.distribution import distribution_pay

    _ec_, plan = _approved_plan(w)
    line = plan.lines.get()
    return Call(
        w.officer, lambda: distribution_pay(actor=w.officer, line=line, amount=Decimal("2000.00"), reference="PAY-1")
    )


def _due_in(w: World, days: int):
    from enforcement.models import EnforcementCase

    ec = _ec(w)
    EnforcementCase.objects.filter(pk=ec.pk).update(deadline_on=TODAY + dt.timedelta(days=days))
    ec.refresh_from_db()
    return ec


@recipe("enforcement.services.extensions.extension_request")
def _extension_request(w: World) -> Call:
    from enforcement.services import extension_request

    ec = _due_in(w, 3)
    return Call(w.officer, lambda: extension_request(actor=w.officer, enforcement_case=ec, reason="拍卖尚未完成"))


@recipe("enforcement.services.extensions.extension_decide")
def _extension_decide(w: World) -> Call:
    from enforcement.services import extension_decide

    extension = _extension_request(w).run()
    return Call(w.head, lambda: extension_decide(actor=w.head, extension=extension, approve=True))


@recipe("enforcement.services.filing.enforcement_file")
def _enforcement_file(w: World) -> Call:
    from tests.enforcement.builders import document, file_on

    doc = document(w.court)
    return Call(w.clerk, lambda: file_on(doc, actor=w.clerk))


@recipe("enforcement.services.ledger.fund_receive")
def _fund_receive(w: World) -> Call:
    from enforcement.services.ledger import fund_receive

    ec = _fund_case(w, extra_creditors=0)
    return Call(
        w.officer,
        lambda: fund_receive(
            actor=w.officer, enforcement_case=ec, amount=Decimal("500.00"), source="deduction", reference="R-1"
        ),
    )


@recipe("enforcement.services.ledger.fund_reverse")
def _fund_reverse(w: World) -> Call:
    from enforcement.services.ledger import fund_reverse
    from tests.enforcement.distribution_builders import receive

    sale = receive(_fund_case(w, extra_creditors=0), "500.00", "auction-1")
    return Call(w.officer, lambda: fund_reverse(actor=w.officer, receipt=sale, reason="买受人未付款"))


@recipe("enforcement.services.lifecycle.transition_apply")
def _transition_apply(w: World) -> Call:
    from enforcement.services import transition_apply

    ec = _ec(w, "notified")
    return Call(
        w.officer,
        lambda: transition_apply(
            actor=w.officer, enforcement_case=ec, transition="start_investigation", reason="开始调查"
        ),
    )


@recipe("enforcement.services.lifecycle.case_suspend")
def _case_suspend(w: World, on: dt.date = TODAY) -> Call:
    from enforcement.choices import SuspensionGround
    from enforcement.services import case_suspend

    ec = _ec(w, "controlling", filing_date=TODAY - dt.timedelta(days=60))
    return Call(
        w.officer,
        lambda: case_suspend(
            actor=w.officer, enforcement_case=ec, ground=SuspensionGround.RETRIAL, reason="原判决进入再审", on=on
        ),
    )


@recipe("enforcement.services.lifecycle.case_resume")
def _case_resume(w: World) -> Call:
    from enforcement.services import case_resume

    ec = _case_suspend(w, on=TODAY - dt.timedelta(days=20)).run()
    return Call(w.officer, lambda: case_resume(actor=w.officer, enforcement_case=ec, on=TODAY))


@recipe("enforcement.services.lifecycle.case_close")
def _case_close(w: World) -> Call:
    from enforcement.choices import ClosingKind, TerminationGround
    from enforcement.services import case_close

    ec = _ec(w)
    return Call(
        w.officer,
        lambda: case_close(
            actor=w.officer, enforcement_case=ec, kind=ClosingKind.TERMINATED, reason="申请执行人撤回申请", on=TODAY,
            ground=TerminationGround.APPLICATION_WITHDRAWN,
        ),
    )  # fmt: skip


@recipe("enforcement.services.lifecycle.close_terminated_this_round")
def _close_terminated_this_round(w: World) -> Call:
    from enforcement.services.lifecycle import close_terminated_this_round

    ec = _ec(w, filing_date=TODAY - dt.timedelta(days=120))
    return Call(
        w.officer,
        lambda: close_terminated_this_round(actor=w.officer, enforcement_case=ec, reason="无可供执行财产", on=TODAY),
    )


@recipe("enforcement.services.lifecycle.carry_over_measures")
def _carry_over_measures(w: World) -> Call:
    from enforcement.services.lifecycle import carry_over_measures

    measure, target = _carry_over_setup(w)
    return Call(w.clerk, lambda: carry_over_measures(actor=w.clerk, measures=[measure], case_record=target))


@recipe("enforcement.services.lifecycle.move_measures")
def _move_measures(w: World) -> Call:
    from cases.services import preservation_carry_over
    from enforcement.services.lifecycle import move_measures

    measure, source = _carry_over_setup(w)
    preservation_carry_over(actor=w.clerk, measures=[measure], enforcement_case_record=source)
    target = CaseFactory(court=w.court)
    return Call(w.clerk, lambda: move_measures(actor=w.clerk, from_record=source, to_record=target, on=TODAY))


def _terminated(w: World, **fields):
    from enforcement.choices import ClosingKind

    fields.setdefault("closed_on", TODAY - dt.timedelta(days=30))
    return _ec(
        w, "closed", filing_date=TODAY - dt.timedelta(days=200), closing_kind=ClosingKind.TERMINATED_THIS_ROUND,
        **fields,
    )  # fmt: skip


@recipe("enforcement.services.lifecycle.case_restore")
def _case_restore(w: World) -> Call:
    from enforcement.services import case_restore
    from tests.enforcement.builders import document

    old = _terminated(w, source_document=document(w.court), performed_amount=Decimal("30000.00"))
    return Call(w.clerk, lambda: case_restore(actor=w.clerk, enforcement_case=old, on=TODAY, reason="发现新登记车辆"))


@recipe("enforcement.services.notices.notice_issue")
def _notice_issue(w: World) -> Call:
    from enforcement.choices import NoticeKind, ServiceMethod
    from enforcement.models import EnforcementCase
    from enforcement.services import notice_issue
    from tests.enforcement.builders import document

    doc = document(w.court, principal="123456.78", costs="0.00")
    creditor, debtor = doc.obligees.get(), doc.obligors.get()
    record = CaseFactory(
        court=w.court, amount=Decimal("123456.78"), filing_date=TODAY - dt.timedelta(days=5),
        parties=[("creditor", creditor), ("debtor", debtor)],
    )  # fmt: skip
    ec = EnforcementCase.objects.create(case=record, status="assigned", officer=w.officer, source_document=doc)
    return Call(
        w.officer,
        lambda: notice_issue(
            actor=w.officer, enforcement_case=ec, kind=NoticeKind.ENFORCEMENT_NOTICE, recipient_id=debtor.pk,
            service_method=ServiceMethod.IN_PERSON, served_on=TODAY,
        ),
    )  # fmt: skip


def _objection_case(w: World):
    from enforcement.models import StatusChange

    ec = _ec(w, "controlling")
    act = StatusChange.objects.create(
        enforcement_case=ec, transition="control", from_status="investigating", to_status="controlling",
        at=timezone.now() - dt.timedelta(days=5), reason="冻结被执行人银行存款",
    )  # fmt: skip
    return ec, act


def _objection(w: World, *, decided: bool = False, served: bool = False):
    from enforcement.services import objections as svc

    objection = _objection_file(w).run()
    if decided:
        svc.objection_decide(actor=w.judge, objection=objection, upheld=False, on=TODAY, ruling="驳回异议")
    if served:
        objection = svc.objection_serve(actor=w.officer, objection=objection, served_on=TODAY)
    return objection.enforcement_case, objection


def _higher_court(w: World):
    from core.models import CourtLevel
    from tests.factories import CourtFactory

    higher = CourtFactory(code="京03", name="北京市第三中级人民法院", level=CourtLevel.INTERMEDIATE)
    w.court.parent = higher
    w.court.save(update_fields=["parent"])
    return higher


def _reconsideration(w: World):
    """The higher court (``_higher_court``, made by the recipe) and a reconsideration filed with it."""
    rec = _reconsideration_file(w).run()
    return w.court.parent, rec


@recipe("enforcement.services.objections.objection_file")
def _objection_file(w: World) -> Call:
    from enforcement.services import objections as svc

    ec, act = _objection_case(w)
    debtor = _parties_of(ec)[1]
    return Call(
        w.officer,
        lambda: svc.objection_file(
            actor=w.officer, enforcement_case=ec, kind="act", objector=debtor, grounds="冻结的账户为工资账户",
            filed_on=TODAY, act=act,
        ),
    )  # fmt: skip


@recipe("enforcement.services.objections.objection_decide")
def _objection_decide(w: World) -> Call:
    from enforcement.services import objections as svc

    _ec_, objection = _objection(w)
    return Call(
        w.judge,
        lambda: svc.objection_decide(actor=w.judge, objection=objection, upheld=False, on=TODAY, ruling="驳回异议"),
    )


@recipe("enforcement.services.objections.objection_withdraw")
def _objection_withdraw(w: World) -> Call:
    from enforcement.services import objections as svc

    _ec_, objection = _objection(w)
    return Call(
        w.officer, lambda: svc.objection_withdraw(actor=w.officer, objection=objection, on=TODAY, reason="已和解")
    )


@recipe("enforcement.services.objections.objection_serve")
def _objection_serve(w: World) -> Call:
    from enforcement.services import objections as svc

    _ec_, objection = _objection(w, decided=True)
    return Call(w.officer, lambda: svc.objection_serve(actor=w.officer, objection=objection, served_on=TODAY))


@recipe("enforcement.services.objections.reconsideration_file")
def _reconsideration_file(w: World) -> Call:
    from enforcement.services import objections as svc

    _higher_court(w)
    ec, objection = _objection(w, decided=True, served=True)
    debtor = _parties_of(ec)[1]
    return Call(
        w.officer,
        lambda: svc.reconsideration_file(
            actor=w.officer, objection=objection, applicant=debtor, grounds="不服", filed_on=TODAY
        ),
    )


@recipe("enforcement.services.objections.reconsideration_extend")
def _reconsideration_extend(w: World) -> Call:
    from enforcement.services import objections as svc

    higher, rec = _reconsideration(w)
    president = UserFactory(president=True, court=higher, username="president-03")
    return Call(president, lambda: svc.reconsideration_extend(actor=president, reconsideration=rec, reason="案情复杂"))


@recipe("enforcement.services.objections.reconsideration_decide")
def _reconsideration_decide(w: World) -> Call:
    from enforcement.services import objections as svc

    higher, rec = _reconsideration(w)
    judge = UserFactory(judge=True, court=higher, username="judge-03")
    return Call(
        judge,
        lambda: svc.reconsideration_decide(actor=judge, reconsideration=rec, upheld=False, on=TODAY, ruling="驳回"),
    )


@recipe("enforcement.services.publication.entry_publish")
def _entry_publish(w: World) -> Call:
    from enforcement.services.publication import entry_publish

    ec = _terminated(w, closed_on=TODAY - dt.timedelta(days=2))
    return Call(w.officer, lambda: entry_publish(enforcement_case=ec, actor=w.officer))


@recipe("enforcement.services.publication.entry_mask")
def _entry_mask(w: World) -> Call:
    from enforcement.services.publication import entry_mask, entry_publish

    entry = entry_publish(enforcement_case=_terminated(w, closed_on=TODAY - dt.timedelta(days=2)))
    return Call(w.admin, lambda: entry_mask(actor=w.admin, entry=entry, reason="当事人申请更正：已履行完毕"))


@recipe("enforcement.services.restoration_requests.restoration_request_record")
def _restoration_request_record(w: World) -> Call:
    from enforcement.services.restoration_requests import restoration_request_record

    ec = _terminated(w)
    creditor = _parties_of(ec)[0]
    return Call(
        w.officer,
        lambda: restoration_request_record(
            actor=w.officer, enforcement_case=ec, applicant_id=creditor.pk, lead="新登记车辆京A12345", received_on=TODAY
        ),
    )


@recipe("enforcement.services.restoration_requests.restoration_request_decide")
def _restoration_request_decide(w: World) -> Call:
    from enforcement.services.restoration_requests import restoration_request_decide

    request = _restoration_request_record(w).run()
    return Call(
        w.clerk,
        lambda: restoration_request_decide(actor=w.clerk, request=request, accept=False, note="车辆登记在案外人名下"),
    )


@recipe("enforcement.services.rewards.reward_publish")
def _reward_publish(w: World) -> Call:
    from enforcement.services.rewards import reward_publish

    ec = _ec(w, debtors=[PartyFactory(name="王大力")])
    creditor = _parties_of(ec)[0]
    return Call(
        w.officer,
        lambda: reward_publish(
            actor=w.officer, enforcement_case=ec, applicant=creditor, reward_rate=Decimal("0.10"),
            reward_cap=Decimal("5000.00"), expires_on=TODAY + dt.timedelta(days=90),
        ),
    )  # fmt: skip


@recipe("enforcement.services.rewards.reward_withdraw")
def _reward_withdraw(w: World) -> Call:
    from enforcement.services.rewards import reward_withdraw

    notice = _reward_publish(w).run()
    return Call(w.officer, lambda: reward_withdraw(actor=w.officer, notice=notice, reason="申请执行人撤回悬赏申请"))


@recipe("enforcement.services.rewards.tip_handle")
def _tip_handle(w: World) -> Call:
    from enforcement.choices import TipStatus
    from enforcement.services.rewards import tip_handle, tip_submit

    tip = tip_submit(
        reward_notice=_reward_publish(w).run(), what="被执行人在朝阳区某小区有一辆宝马车", where="北京市朝阳区",
        tipster_name="张小明", tipster_contact="13812345678", client_ip="203.0.113.5",
    )  # fmt: skip
    return Call(
        w.officer,
        lambda: tip_handle(
            actor=w.officer, tip=tip, status=TipStatus.VERIFIED, recovered=Decimal("20000"), reward_paid=Decimal("2000")
        ),
    )


@recipe("enforcement.services.settlements.settlement_record")
def _settlement_record(w: World) -> Call:
    from enforcement.services import settlement_record

    ec = _ec(w)
    return Call(
        w.officer,
        lambda: settlement_record(
            actor=w.officer, enforcement_case=ec, agreed_on=TODAY - dt.timedelta(days=3), terms="分两期支付五万元"
        ),
    )


@recipe("enforcement.services.settlements.settlement_mark_performed")
def _settlement_mark_performed(w: World) -> Call:
    from enforcement.services import settlement_mark_performed

    settlement = _settlement_record(w).run()
    return Call(w.officer, lambda: settlement_mark_performed(actor=w.officer, settlement=settlement, on=TODAY))


def _termination_ready(w: World):
    from tests.enforcement.termination_builders import install_facts, ready_case

    install_facts(w.monkeypatch)
    return ready_case(w.court, w.officer)


@recipe("enforcement.services.termination.termination_propose")
def _termination_propose(w: World) -> Call:
    from enforcement.services import termination_propose
    from tests.enforcement.termination_builders import proposal_fields

    ec = _termination_ready(w)
    return Call(w.officer, lambda: termination_propose(actor=w.officer, enforcement_case=ec, **proposal_fields()))


@recipe("enforcement.services.termination.termination_decide")
def _termination_decide(w: World) -> Call:
    from enforcement.services import termination_decide

    proposal = _termination_propose(w).run()
    return Call(w.head, lambda: termination_decide(actor=w.head, proposal=proposal, approve=True, note="同意"))


@recipe("enforcement.services.termination.termination_withdraw")
def _termination_withdraw(w: World) -> Call:
    from enforcement.services import termination_withdraw

    proposal = _termination_propose(w).run()
    return Call(w.officer, lambda: termination_withdraw(actor=w.officer, proposal=proposal))


# ==== assets ==================================================================================================


def _agency(code: str, kind: str, categories: list[str]):
    from tests.assets.builders import make_agency

    return make_agency(code, kind=kind, categories=categories)[0]


def _asset_case(w: World):
    return _ec(w, debtors=[PartyFactory(organisation=True, name="北京恒通商贸有限公司"), PartyFactory(name="王强")])


def _auction_world(w: World):
    from assets.choices import AgencyKind, AssetCategory
    from tests.assets.auction_builders import seized_asset

    ec = _asset_case(w)
    registry = _agency("mps-traffic", AgencyKind.VEHICLE_REGISTRY, [AssetCategory.VEHICLE])
    platform = _agency("jd-auction", AgencyKind.AUCTION_PLATFORM, [AssetCategory.VEHICLE, AssetCategory.REAL_ESTATE])
    return ec, seized_asset(ec, registry), platform


def _announced(w: World):
    from assets.services import auction_announce
    from tests.assets.auction_builders import terms

    ec, vehicle, platform = _auction_world(w)
    return ec, vehicle, auction_announce(actor=w.officer, asset=vehicle, platform=platform, **terms())


def _failed_round(w: World, rounds: int = 1):
    from assets.services import auction_close

    ec, vehicle, auction = _announced(w)
    auction = auction_close(auction=auction, now=auction.ends_at)
    if rounds == 2:
        auction = _auction_second_round(w, first=auction).run()
        auction = auction_close(auction=auction, now=auction.ends_at)
    return ec, vehicle, auction


@recipe("assets.services.auctions.auction_announce")
def _auction_announce(w: World) -> Call:
    from assets.services import auction_announce
    from tests.assets.auction_builders import terms

    _ec_, vehicle, platform = _auction_world(w)
    return Call(w.officer, lambda: auction_announce(actor=w.officer, asset=vehicle, platform=platform, **terms()))


@recipe("assets.services.auctions.auction_second_round")
def _auction_second_round(w: World, first=None) -> Call:
    """The second round after ``first`` (by default a first round that failed)."""
    from assets.services import auction_second_round
    from tests.assets.auction_builders import terms

    first = first or _failed_round(w)[2]
    second = terms(announced_on=first.closed_at.date() + DAY * 10, notice_days=7, price="56000.00")
    return Call(w.officer, lambda: auction_second_round(actor=w.officer, previous=first, **second))


@recipe("assets.services.auctions.sale_start")
def _sale_start(w: World, second=None) -> Call:
    """The sale after ``second`` (by default a second round that failed)."""
    from assets.services import sale_start
    from tests.assets.auction_builders import terms

    second = second or _failed_round(w, rounds=2)[2]
    values = terms(announced_on=second.closed_at.date() + DAY * 5, notice_days=7, price="56000.00")
    values["price"] = values.pop("starting_price")
    return Call(w.officer, lambda: sale_start(actor=w.officer, previous=second, **values))


@recipe("assets.services.auctions.auction_close")
def _auction_close(w: World) -> Call:
    from assets.services import auction_close

    _ec_, _vehicle, auction = _announced(w)
    return Call(w.officer, lambda: auction_close(auction=auction, now=auction.ends_at, actor=w.officer))


@recipe("assets.services.auctions.auction_default")
def _auction_default(w: World) -> Call:
    from assets.services import auction_bid, auction_close, auction_default

    _ec_, _vehicle, auction = _announced(w)
    auction_bid(auction=auction, bidder="A", amount="70000", at=auction.starts_at)
    auction_close(auction=auction, now=auction.ends_at)
    return Call(w.officer, lambda: auction_default(actor=w.officer, auction=auction, reason="未付余款"))


@recipe("assets.services.auctions.auction_withdraw")
def _auction_withdraw(w: World) -> Call:
    from assets.services import auction_withdraw

    _ec_, _vehicle, auction = _announced(w)
    return Call(w.officer, lambda: auction_withdraw(actor=w.officer, auction=auction, reason="债务已履行"))


@recipe("assets.services.auctions.auction_suspend")
def _auction_suspend(w: World) -> Call:
    from assets.services import auction_suspend

    _ec_, _vehicle, auction = _announced(w)
    return Call(w.officer, lambda: auction_suspend(actor=w.officer, auction=auction, reason="案外人异议"))


@recipe("assets.services.auctions.in_kind_settlement_record")
def _in_kind_settlement_record(w: World) -> Call:
    from assets.services import auction_close, in_kind_settlement_record
    from tests.assets.auction_builders import ANNOUNCED

    ec, vehicle, second = _failed_round(w, rounds=2)
    sale = _sale_start(w, second).run()
    auction_close(auction=sale, now=sale.ends_at)
    creditor = _parties_of(ec)[0]
    return Call(
        w.officer,
        lambda: in_kind_settlement_record(actor=w.officer, asset=vehicle, creditor=creditor, accepted_on=ANNOUNCED),
    )


CONTROL_NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _deposit(w: World):
    from assets.choices import AgencyKind, AssetCategory
    from assets.models import Asset

    ec = _asset_case(w)
    bank = _agency("icbc", AgencyKind.BANK, [AssetCategory.DEPOSIT])
    debtor = ec.case.party_links.filter(role="debtor").first().party
    asset = Asset.objects.create(
        case=ec.case, debtor=debtor, category="deposit", agency=bank, identifier="6222020200112233445",
        value=Decimal("50000.00"),
    )  # fmt: skip
    return ec, asset


def _frozen(w: World):
    from assets.models import AgencyRequest
    from assets.services import control_confirm

    measure = _control_order(w).run()
    request = AgencyRequest.objects.filter(measure=measure).latest("id")
    control_confirm(agency=request.agency, request_id=request.pk, outcome="done", reference="CONF-1", now=CONTROL_NOW)
    measure.refresh_from_db()
    return measure


@recipe("assets.services.controls.control_order")
def _control_order(w: World) -> Call:
    from assets.services import control_order

    ec, asset = _deposit(w)
    return Call(
        w.officer,
        lambda: control_order(
            actor=w.officer, enforcement_case=ec, asset=asset, kind="freeze", amount=Decimal("50000.00"),
            starts_on=CONTROL_NOW.date(), now=CONTROL_NOW,
        ),
    )  # fmt: skip


@recipe("assets.services.controls.control_release")
def _control_release(w: World) -> Call:
    from assets.services import control_release

    measure = _frozen(w)
    return Call(
        w.officer, lambda: control_release(actor=w.officer, measure=measure, reason="债务已履行", now=CONTROL_NOW)
    )


@recipe("assets.services.controls.control_renew")
def _control_renew(w: World) -> Call:
    from assets.services import control_renew

    measure = _frozen(w)
    before_expiry = dt.datetime(2027, 2, 20, 9, 0, tzinfo=dt.UTC)
    return Call(
        w.officer,
        lambda: control_renew(actor=w.officer, measure=measure, expires_on=dt.date(2028, 3, 2), now=before_expiry),
    )


@recipe("assets.services.controls.control_deduct")
def _control_deduct(w: World) -> Call:
    from assets.services import control_deduct

    measure = _frozen(w)
    return Call(
        w.officer,
        lambda: control_deduct(
            actor=w.officer, measure=measure, amount=Decimal("30000.00"), reference="D-1", now=CONTROL_NOW
        ),
    )


def _awaiting_deduction(w: World):
    w.monkeypatch.setattr("assets.services.controls.deduction_approval_threshold", lambda: Decimal("1000.00"))
    return _control_deduct(w).run()


@recipe("assets.services.controls.deduction_approve")
def _deduction_approve(w: World) -> Call:
    from assets.services import deduction_approve

    deduction = _awaiting_deduction(w)
    return Call(w.head, lambda: deduction_approve(actor=w.head, deduction=deduction, now=CONTROL_NOW))


@recipe("assets.services.controls.deduction_decline")
def _deduction_decline(w: World) -> Call:
    from assets.services import deduction_decline

    deduction = _awaiting_deduction(w)
    return Call(w.head, lambda: deduction_decline(actor=w.head, deduction=deduction, reason="金额有误"))


PRICE_DAY = dt.date(2026, 3, 12)
PRICE_SENT = timezone.make_aware(dt.datetime(2026, 3, 12, 12, 0))


def _house(w: World):
    from assets.choices import AgencyKind, AssetCategory
    from tests.assets.pricing_builders import controlled_asset

    registry = _agency("bj-real-estate", AgencyKind.REAL_ESTATE_REGISTRY, [AssetCategory.REAL_ESTATE])
    return controlled_asset(_asset_case(w), registry)


def _price(w: World, method: str, **kwargs):
    from assets.services import price_start

    return price_start(actor=w.officer, asset=_house(w), method=method, on=PRICE_DAY, **kwargs)


def _appraisal(w: World, *, reported: bool = False):
    from assets.choices import AgencyKind, AssetCategory
    from assets.services import price_appraisal_commission, price_appraisal_report

    for n in range(1, 5):
        _agency(f"valuer-{n}", AgencyKind.VALUER, [AssetCategory.REAL_ESTATE])
    price = _price(w, "appraisal", skip_reason="双方申请评估")
    price_appraisal_commission(actor=w.officer, price=price, now=PRICE_SENT)
    if reported:
        price = price_appraisal_report(actor=w.officer, price=price, amount="2750000", on=PRICE_DAY + DAY * 20)
    return price


def _online_quote(w: World, *, objected: bool = False):
    from assets.choices import AgencyKind, AssetCategory, PriceStatus
    from assets.models import PriceQuote, ReferencePrice
    from assets.services import (
        price_inquiry_close_round,
        price_inquiry_send,
        price_objection,
        price_quote_answer,
        price_start,
    )

    for n in range(1, 4):
        _agency(f"inquiry-{n}", AgencyKind.INQUIRY_PLATFORM, [AssetCategory.REAL_ESTATE])
    house = _house(w)
    for method in ("negotiation", "directed"):
        failed = price_start(actor=w.officer, asset=house, method=method, on=PRICE_DAY)
        ReferencePrice.objects.filter(pk=failed.pk).update(status=PriceStatus.FAILED)
    price = price_start(actor=w.officer, asset=house, method="online", on=PRICE_DAY)
    price_inquiry_send(price=price, now=PRICE_SENT)
    quotes = list(PriceQuote.objects.filter(reference_price=price).select_related("agency").order_by("pk"))
    for quote, amount in zip(quotes, ("900000", "1000000", "2000000"), strict=True):
        price_quote_answer(agency=quote.agency, quote_id=quote.pk, amount=amount, now=PRICE_SENT + DAY)
    due = PRICE_SENT + dt.timedelta(days=3, minutes=1)
    price_inquiry_close_round(price=price, now=due)
    quote = quotes[2]
    if objected:
        price_objection(actor=w.officer, quote=quote, text="明显高于市场价", on=due.date())
    return quote, due


@recipe("assets.services.pricing.price_start")
def _price_start(w: World) -> Call:
    from assets.services import price_start

    house = _house(w)
    return Call(w.officer, lambda: price_start(actor=w.officer, asset=house, method="negotiation", on=PRICE_DAY))


@recipe("assets.services.pricing.price_negotiated")
def _price_negotiated(w: World) -> Call:
    from assets.services import price_negotiated

    price = _price(w, "negotiation")
    return Call(
        w.officer,
        lambda: price_negotiated(
            actor=w.officer, price=price, creditor_figure="2800000", debtor_figure="2800000", on=PRICE_DAY
        ),
    )


@recipe("assets.services.pricing.price_directed")
def _price_directed(w: World) -> Call:
    from assets.services import price_directed

    price = _price(w, "directed", skip_reason="被执行人下落不明")
    return Call(
        w.officer,
        lambda: price_directed(actor=w.officer, price=price, value="1234567.89", source="朝阳区税务局", on=PRICE_DAY),
    )


@recipe("assets.services.pricing.price_objection")
def _price_objection(w: World) -> Call:
    from assets.services import price_objection

    quote, due = _online_quote(w)
    return Call(w.officer, lambda: price_objection(actor=w.officer, quote=quote, text="明显高于市场价", on=due.date()))


@recipe("assets.services.pricing.price_objection_reject")
def _price_objection_reject(w: World) -> Call:
    from assets.services import price_objection_reject

    quote, _due = _online_quote(w, objected=True)
    return Call(w.officer, lambda: price_objection_reject(actor=w.officer, quote=quote))


@recipe("assets.services.pricing.price_appraisal_commission")
def _price_appraisal_commission(w: World) -> Call:
    from assets.choices import AgencyKind, AssetCategory
    from assets.services import price_appraisal_commission

    for n in range(1, 5):
        _agency(f"valuer-{n}", AgencyKind.VALUER, [AssetCategory.REAL_ESTATE])
    price = _price(w, "appraisal", skip_reason="双方申请评估")
    return Call(w.officer, lambda: price_appraisal_commission(actor=w.officer, price=price, now=PRICE_SENT))


@recipe("assets.services.pricing.price_appraisal_extend")
def _price_appraisal_extend(w: World) -> Call:
    from assets.services import price_appraisal_extend

    price = _appraisal(w)
    return Call(w.officer, lambda: price_appraisal_extend(actor=w.officer, price=price, days=15))


@recipe("assets.services.pricing.price_appraisal_report")
def _price_appraisal_report(w: World) -> Call:
    from assets.services import price_appraisal_report

    price = _appraisal(w)
    return Call(
        w.officer,
        lambda: price_appraisal_report(actor=w.officer, price=price, amount="2750000", on=PRICE_DAY + DAY * 20),
    )


@recipe("assets.services.pricing.price_appraisal_objection")
def _price_appraisal_objection(w: World) -> Call:
    from assets.services import price_appraisal_objection

    price = _appraisal(w, reported=True)
    return Call(
        w.officer,
        lambda: price_appraisal_objection(actor=w.officer, price=price, text="未考虑装修", on=PRICE_DAY + DAY * 25),
    )


@recipe("assets.services.queries.query_order")
def _query_order(w: World) -> Call:
    from assets.choices import AgencyKind, AssetCategory
    from assets.services import query_order

    _agency("icbc", AgencyKind.BANK, [AssetCategory.DEPOSIT, AssetCategory.WEALTH_PRODUCT])
    ec = _asset_case(w)
    return Call(w.officer, lambda: query_order(actor=w.officer, enforcement_case=ec))


@recipe("assets.services.tracking.tracking_case_restored")
def _tracking_case_restored(w: World) -> Call:
    from assets.choices import AgencyKind, AssetCategory
    from assets.models import Asset
    from assets.services import tracking_case_restored

    old = _terminated(w)
    bank = _agency("icbc", AgencyKind.BANK, [AssetCategory.DEPOSIT])
    debtor = old.case.party_links.filter(role="debtor").first().party
    Asset.objects.create(case=old.case, debtor=debtor, category="deposit", agency=bank, identifier="6222-1")
    new = _ec(w, restored_from=old)  # the 执恢 case, its assets still to be copied over
    return Call(
        w.officer,
        lambda: tracking_case_restored(enforcement_case=new, restored_from=old, actor=w.officer),
        obj=new,
    )


# ==== credit ==================================================================================================


def _listing(w: World, **kwargs):
    from tests.credit.feed_builders import listing_of

    return listing_of(w.court, **kwargs)


def _listing_case(w: World):
    from tests.credit.listing_builders import listing_case

    return listing_case(w.court, w.officer)


def _listed(w: World, **kwargs):
    from tests.credit.listing_builders import listed

    return listed(w.officer, w.head, _listing_case(w), **kwargs)


CORRECTION_FILED = dt.date(2025, 9, 25)


def _correction(w: World, *, rejected: bool = False, served: bool = False, asked: bool = False):
    from credit.services.corrections import (
        correction_decide,
        correction_file,
        correction_reconsideration_asked,
        correction_rejection_served,
    )

    listing = _listing(w, listed_on=dt.date(2025, 6, 1))
    request = correction_file(
        listing=listing, applicant_name=listing.debtor.name, applicant_id_number=listing.debtor.id_number,
        contact="13800000000", ground="should_be_deleted", statement="已全部履行。", on=CORRECTION_FILED,
    )  # fmt: skip
    if rejected:
        request = correction_decide(
            actor=w.head, request=request, uphold=False, note="理由不成立。", on=CORRECTION_FILED + DAY * 5
        )
    if served:
        request = correction_rejection_served(actor=w.head, request=request, on=dt.date(2025, 10, 2))
    if asked:
        request = correction_reconsideration_asked(actor=w.head, request=request, on=dt.date(2025, 10, 5))
    return request


@recipe("credit.services.corrections.correction_file")
def _correction_file(w: World) -> Call:
    from credit.services.corrections import correction_file

    listing = _listing(w, listed_on=dt.date(2025, 6, 1))
    return Call(
        w.clerk,
        lambda: correction_file(
            listing=listing, applicant_name="代理人 李律师", applicant_id_number="110105198001010012",
            ground="should_be_deleted", statement="已全部履行。", on=CORRECTION_FILED, actor=w.clerk,
        ),
    )  # fmt: skip


@recipe("credit.services.corrections.correction_decide")
def _correction_decide(w: World) -> Call:
    from credit.services.corrections import correction_decide

    request = _correction(w)
    return Call(
        w.head, lambda: correction_decide(actor=w.head, request=request, uphold=True, on=CORRECTION_FILED + DAY * 3)
    )


@recipe("credit.services.corrections.correction_mark_corrected")
def _correction_mark_corrected(w: World) -> Call:
    from credit.services.corrections import correction_mark_corrected

    request = _correction_decide(w).run()
    return Call(w.head, lambda: correction_mark_corrected(actor=w.head, request=request, on=CORRECTION_FILED + DAY * 4))


@recipe("credit.services.corrections.correction_rejection_served")
def _correction_rejection_served(w: World) -> Call:
    from credit.services.corrections import correction_rejection_served

    request = _correction(w, rejected=True)
    return Call(w.head, lambda: correction_rejection_served(actor=w.head, request=request, on=dt.date(2025, 10, 2)))


@recipe("credit.services.corrections.correction_reconsideration_asked")
def _correction_reconsideration_asked(w: World) -> Call:
    from credit.services.corrections import correction_reconsideration_asked

    request = _correction(w, rejected=True, served=True)
    return Call(
        w.head, lambda: correction_reconsideration_asked(actor=w.head, request=request, on=dt.date(2025, 10, 5))
    )


@recipe("credit.services.corrections.correction_reconsideration_decided")
def _correction_reconsideration_decided(w: World) -> Call:
    from credit.services.corrections import correction_reconsideration_decided

    request = _correction(w, rejected=True, served=True, asked=True)
    return Call(
        w.head,
        lambda: correction_reconsideration_decided(
            actor=w.head, request=request, result="驳回复议申请。", on=dt.date(2025, 10, 15)
        ),
    )


@recipe("credit.services.listing.listing_propose")
def _listing_propose(w: World) -> Call:
    from tests.credit.listing_builders import propose

    ec = _listing_case(w)
    return Call(w.officer, lambda: propose(w.officer, ec))


@recipe("credit.services.listing.listing_decide")
def _listing_decide(w: World) -> Call:
    from credit.services.listing import listing_decide
    from tests.credit.listing_builders import propose

    listing = propose(w.officer, _listing_case(w))
    return Call(w.head, lambda: listing_decide(actor=w.head, listing=listing, approve=True))


@recipe("credit.services.listing.listing_extend")
def _listing_extend(w: World) -> Call:
    from credit.services.listing import listing_extend

    listing = _listed(w, on=dt.date(2026, 3, 2))
    return Call(w.head, lambda: listing_extend(actor=w.head, listing=listing, years=2, reason="仍拒不履行"))


@recipe("credit.services.portal.portal_code_issue")
def _portal_code_issue(w: World) -> Call:
    from credit.services.portal import portal_code_issue

    ec = _ec(w, debtors=[PartyFactory(name="张三丰")], performed_amount=Decimal("25000.00"))
    return Call(w.clerk, lambda: portal_code_issue(actor=w.clerk, case=ec.case), obj=ec.case)


@recipe("credit.services.removal.listing_removal_event")
def _listing_removal_event(w: World) -> Call:
    from credit.choices import RemovalEvent
    from credit.services.removal import listing_removal_event

    listing = _listed(w, on=dt.date(2026, 3, 2))
    return Call(
        w.officer,
        lambda: listing_removal_event(listing=listing, event=RemovalEvent.PERFORMED, on=TODAY, actor=w.officer),
    )


@recipe("credit.services.removal.listing_remove_early")
def _listing_remove_early(w: World) -> Call:
    from credit.services.removal import listing_remove_early

    listing = _listed(w, on=dt.date(2026, 3, 2))
    return Call(w.head, lambda: listing_remove_early(actor=w.head, listing=listing, reason="主动履行"))


@recipe("credit.services.removal.listing_remove_on_applicant_request")
def _listing_remove_on_applicant_request(w: World) -> Call:
    from credit.services.removal import listing_remove_on_applicant_request

    listing = _listed(w, on=dt.date(2026, 3, 2))
    return Call(
        w.head,
        lambda: listing_remove_on_applicant_request(
            actor=w.head, listing=listing, request_text="申请执行人书面申请删除"
        ),
    )


@recipe("credit.services.removal.listing_revoke")
def _listing_revoke(w: World) -> Call:
    from credit.services.removal import listing_revoke

    listing = _listed(w, on=dt.date(2026, 3, 2))
    return Call(w.judge, lambda: listing_revoke(actor=w.judge, listing=listing, reason="错误纳入"))


def _restriction_case(w: World):
    from tests.credit.restriction_builders import restriction_case

    return restriction_case(w.court, w.officer, debtor=PartyFactory(name="张三"))


def _restriction(w: World, ec=None):
    from credit.services.restrictions import restriction_issue
    from tests.credit.restriction_builders import debtor_of

    ec = ec or _restriction_case(w)
    return restriction_issue(
        actor=w.officer,
        enforcement_case=ec,
        debtor=debtor_of(ec),
        kind="consumption",
        reason="未按执行通知书履行义务。",
    )


@recipe("credit.services.restrictions.restriction_issue")
def _restriction_issue(w: World) -> Call:
    return Call(w.officer, lambda: _restriction(w))


@recipe("credit.services.restrictions.restriction_lift")
def _restriction_lift(w: World) -> Call:
    from credit.services.restrictions import restriction_lift
    from enforcement.models import EnforcementCase

    restriction = _restriction(w)
    EnforcementCase.objects.filter(pk=restriction.enforcement_case_id).update(performed_amount=Decimal("100000.00"))
    return Call(w.officer, lambda: restriction_lift(actor=w.officer, restriction=restriction, ground="performed"))


@recipe("credit.services.restrictions.restrictions_lift_for_performed_case")
def _restrictions_lift_for_performed_case(w: World) -> Call:
    from credit.services.restrictions import restrictions_lift_for_performed_case
    from enforcement.models import EnforcementCase

    ec = _restriction_case(w)
    _restriction(w, ec)
    EnforcementCase.objects.filter(pk=ec.pk).update(status="closed", closing_kind="completed", closed_on=TODAY)
    return Call(w.officer, lambda: restrictions_lift_for_performed_case(enforcement_case=ec, on=TODAY, actor=w.officer))


@recipe("credit.services.restrictions.permission_grant")
def _permission_grant(w: World) -> Call:
    from credit.services.restrictions import permission_grant

    restriction = _restriction(w)
    return Call(
        w.officer,
        lambda: permission_grant(
            actor=w.officer, restriction=restriction, purpose="赴外地就医。", allowed=["flights"], valid_from=TODAY,
            valid_until=TODAY + DAY * 7,
        ),
    )  # fmt: skip


# ==== bankruptcy ==============================================================================================


def _bankruptcy_world(w: World):
    from tests.bankruptcy.builders import company_in_three_courts

    return company_in_three_courts()


def _applicant_of(ec):
    return ec.case.party_links.get(role="creditor").party


def _transfer(w: World, *, consented: bool = False, ruled: bool = False):
    from bankruptcy.services import transfer_propose, transfer_rule

    world = _bankruptcy_world(w)
    transfer = transfer_propose(
        actor=world.officer, debtor=world.company, receiving_court=world.chaoyang, grounds="资不抵债",
        on=TODAY - DAY * 20,
    )  # fmt: skip
    if consented:
        _consent_record(w, given=(world, transfer)).run()
    if ruled:
        transfer = transfer_rule(actor=world.head, transfer=transfer, on=TODAY - DAY * 10)
    return world, transfer


def _bankruptcy_case(w: World, *, declared: bool = False):
    from bankruptcy.services import bankruptcy_accept, bankruptcy_declare

    world = _bankruptcy_world(w)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the acceptance's effects, applied after it commits
        bc = bankruptcy_accept(actor=world.judge, debtor=world.company, on=TODAY - DAY * 5)
    bc.refresh_from_db()
    if declared:
        bc = bankruptcy_declare(actor=world.judge, bankruptcy_case=bc, on=TODAY)
    return world, bc


@recipe("bankruptcy.services.suggestion_dismiss")
def _suggestion_dismiss(w: World) -> Call:
    from bankruptcy.models import Suggestion
    from bankruptcy.services import suggestion_dismiss

    world = _bankruptcy_world(w)
    suggestion = Suggestion.objects.create(debtor=world.company, score=70, reasons=["多个终本"])
    suggestion.courts.set([world.haidian])
    return Call(
        world.officer, lambda: suggestion_dismiss(actor=world.officer, suggestion=suggestion, note="债务人正在重组")
    )


@recipe("bankruptcy.services.transfer_propose")
def _transfer_propose(w: World) -> Call:
    from bankruptcy.services import transfer_propose

    world = _bankruptcy_world(w)
    return Call(
        world.officer,
        lambda: transfer_propose(
            actor=world.officer, debtor=world.company, receiving_court=world.chaoyang, grounds="资不抵债"
        ),
    )


@recipe("bankruptcy.services.consent_record")
def _consent_record(w: World, given=None) -> Call:
    """The consent of the Haidian case's applicant to the ``given`` (world, transfer), by default a new one."""
    from bankruptcy.services import consent_record

    world, transfer = given or _transfer(w)
    applicant = _applicant_of(world.cases["haidian"])
    return Call(
        world.officer,
        lambda: consent_record(
            actor=world.officer, transfer=transfer, party=applicant, consents=True, answered_on=TODAY - DAY * 15
        ),
    )


@recipe("bankruptcy.services.transfer_rule")
def _transfer_rule(w: World) -> Call:
    from bankruptcy.services import transfer_rule

    world, transfer = _transfer(w, consented=True)
    return Call(world.head, lambda: transfer_rule(actor=world.head, transfer=transfer, on=TODAY - DAY * 10))


@recipe("bankruptcy.services.transfer_withdraw")
def _transfer_withdraw(w: World) -> Call:
    from bankruptcy.services import transfer_withdraw

    world, transfer = _transfer(w)
    return Call(world.officer, lambda: transfer_withdraw(actor=world.officer, transfer=transfer, reason="债务人已履行"))


@recipe("bankruptcy.services.transfer_decide")
def _transfer_decide(w: World) -> Call:
    from bankruptcy.services import transfer_decide

    world, transfer = _transfer(w, consented=True, ruled=True)
    return Call(world.judge, lambda: transfer_decide(actor=world.judge, transfer=transfer, accept=True, on=TODAY))


@recipe("bankruptcy.services.bankruptcy_accept")
def _bankruptcy_accept(w: World) -> Call:
    from bankruptcy.services import bankruptcy_accept

    world = _bankruptcy_world(w)
    return Call(world.judge, lambda: bankruptcy_accept(actor=world.judge, debtor=world.company, on=TODAY - DAY * 5))


@recipe("bankruptcy.services.administrator_appoint")
def _administrator_appoint(w: World) -> Call:
    from bankruptcy.services import administrator_appoint

    world, bc = _bankruptcy_case(w)
    return Call(
        world.judge,
        lambda: administrator_appoint(
            actor=world.judge, bankruptcy_case=bc, administrator="北京某律师事务所", on=TODAY,
            claims_deadline_on=bc.accepted_on + DAY * 40,
        ),
    )  # fmt: skip


@recipe("bankruptcy.services.claim_file")
def _claim_file(w: World) -> Call:
    from bankruptcy.services import claim_file

    world, bc = _bankruptcy_case(w)
    return Call(
        world.judge,
        lambda: claim_file(
            actor=world.judge, bankruptcy_case=bc, creditor=PartyFactory(), kind="ordinary", amount="1000.00", on=TODAY
        ),
    )


@recipe("bankruptcy.services.claim_review")
def _claim_review(w: World) -> Call:
    from bankruptcy.services import claim_review

    filing = _claim_file(w)
    claim, judge = filing.run(), filing.actor
    return Call(judge, lambda: claim_review(actor=judge, claim=claim, admitted_amount="1000.00", on=TODAY))


@recipe("bankruptcy.services.distribution_record")
def _bankruptcy_distribution_record(w: World) -> Call:
    from bankruptcy.models import Claim
    from bankruptcy.services import distribution_record

    world, bc = _bankruptcy_case(w, declared=True)
    Claim.objects.create(
        bankruptcy_case=bc, creditor=PartyFactory(), kind="ordinary", amount=Decimal("300.00"), filed_on=TODAY,
        filed_by=bc.accepted_by, status="admitted", admitted_amount=Decimal("300.00"), reviewed_on=TODAY,
    )  # fmt: skip
    return Call(
        world.judge, lambda: distribution_record(actor=world.judge, bankruptcy_case=bc, total="250.00", on=TODAY)
    )


@recipe("bankruptcy.services.bankruptcy_declare")
def _bankruptcy_declare(w: World) -> Call:
    from bankruptcy.services import bankruptcy_declare

    world, bc = _bankruptcy_case(w)
    return Call(world.judge, lambda: bankruptcy_declare(actor=world.judge, bankruptcy_case=bc, on=TODAY))


@recipe("bankruptcy.services.bankruptcy_close")
def _bankruptcy_close(w: World) -> Call:
    from bankruptcy.services import bankruptcy_close

    world, bc = _bankruptcy_case(w, declared=True)
    return Call(
        world.judge, lambda: bankruptcy_close(actor=world.judge, bankruptcy_case=bc, on=TODAY, note="破产财产分配完毕")
    )


# ==== command =================================================================================================


def _onsite_world(w: World):
    debtor = PartyFactory(name="孙某某", address="北京市朝阳区某小区3号楼")
    return debtor, _ec(w, debtors=[debtor])


@recipe("command.services.plan_onsite_task")
def _plan_onsite_task(w: World) -> Call:
    from command.choices import OnSitePurpose
    from command.services import plan_onsite_task

    _debtor, ec = _onsite_world(w)
    return Call(
        w.officer,
        lambda: plan_onsite_task(
            actor=w.officer, enforcement_case=ec, purpose=OnSitePurpose.SEARCH, address="北京市朝阳区某小区3号楼",
            scheduled_at=timezone.now() + DAY, officers=[w.officer, w.judge],
        ),
    )  # fmt: skip


@recipe("command.services.complete_onsite_task")
def _complete_onsite_task(w: World) -> Call:
    from command.choices import OnSiteOutcome
    from command.services import complete_onsite_task

    task = _plan_onsite_task(w).run()
    return Call(
        w.judge,
        lambda: complete_onsite_task(
            actor=w.judge, task=task, outcome=OnSiteOutcome.OBSTRUCTED, outcome_notes="被执行人拒不开门。"
        ),
    )


@recipe("command.services.cancel_onsite_task")
def _cancel_onsite_task(w: World) -> Call:
    from command.services import cancel_onsite_task

    task = _plan_onsite_task(w).run()
    return Call(w.officer, lambda: cancel_onsite_task(actor=w.officer, task=task, reason="双方和解"))


@recipe("command.services.record_risk_note")
def _record_risk_note(w: World) -> Call:
    from command.choices import RiskKind
    from command.services import record_risk_note

    debtor, ec = _onsite_world(w)
    return Call(
        w.officer,
        lambda: record_risk_note(
            actor=w.officer, enforcement_case=ec, party=debtor, kind=RiskKind.DOG, note="两条大型犬"
        ),
        obj=ec,
    )


@recipe("command.services.withdraw_risk_note")
def _withdraw_risk_note(w: World) -> Call:
    from command.services import withdraw_risk_note

    note = _record_risk_note(w).run()
    return Call(w.judge, lambda: withdraw_risk_note(actor=w.judge, risk_note=note, reason="犬只已送走"))


# ==== the tests ===============================================================================================


def test_every_write_service_has_a_recipe():
    missing = sorted(set(SERVICES) - set(RECIPES) - set(NOT_WRITES))
    assert missing == [], "write services without an audit recipe in tests/security/test_audit_coverage.py"


def test_every_recipe_and_exemption_names_a_service_that_exists():
    assert sorted((set(RECIPES) | set(NOT_WRITES)) - set(SERVICES)) == []


@pytest.mark.parametrize("name", sorted(set(SERVICES) - set(NOT_WRITES)))
def test_the_write_service_leaves_an_audit_row_naming_the_actor_and_the_object(
    name, audit_world, django_capture_on_commit_callbacks
):
    if name not in RECIPES:
        pytest.fail(f"{name} has no recipe")
    call = RECIPES[name](audit_world)
    before = AuditLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=False):  # the service's own transaction, not the jobs it queues
        result = call.run()
    new = list(AuditLog.objects.filter(id__gt=before).order_by("id"))
    assert new, f"{name} wrote no audit row"
    latest = new[-1]
    assert latest.actor == call.actor, f"{name}: the latest row names {latest.actor_name}, not the actor"
    assert latest.actor_name == call.actor.username
    assert latest.action
    targets = [call.obj] if call.obj is not None else _objects_of(result)
    assert targets, f"{name}: say which object its audit row names (Call.obj)"
    named = {(row.object_type, row.object_id) for row in new if row.actor == call.actor}
    owners = _with_owners(targets)
    assert named & {_names(t) for t in owners}, f"{name}: no row names {owners} (rows name {sorted(named)})"


# ==== staff reads of personal data are audited; public pages are not ==========================================

ID_NUMBER, PHONE, ADDRESS = "11010519491231002X", "13912345678", "北京市朝阳区幸福路8号院3单元"


@pytest.fixture
def debtor(court):
    """A person who is the debtor of an open case at 京0105 with a dishonest listing and a published 终本 entry
    on another, and a reward notice: on every public page, and on the staff party page."""
    from credit.choices import ListingStatus
    from enforcement.choices import ClosingKind, Status
    from enforcement.services.publication import entry_publish
    from tests.credit.public_builders import listed, restricted
    from tests.enforcement.builders import case_in

    person = PartyFactory(id_number=ID_NUMBER, name="李华", phone=PHONE, address=ADDRESS)
    open_case = case_in(Status.INVESTIGATING, court, debtors=[person])
    listed(court, debtor=person, enforcement_case=open_case, status=ListingStatus.LISTED)
    restricted(court, debtor=person, enforcement_case=open_case)
    ended = case_in(
        Status.CLOSED, court, debtors=[person], filing_date=TODAY - dt.timedelta(days=200),
        closing_kind=ClosingKind.TERMINATED_THIS_ROUND, closed_on=TODAY - DAY * 2,
    )  # fmt: skip
    person.entry = entry_publish(enforcement_case=ended)
    return person


def _personal_reads():
    return AuditLog.objects.filter(action="party.read_personal")


@pytest.mark.parametrize("role", ["clerk", "officer", "judge", "division_head"])
def test_a_staff_member_opening_the_party_page_sees_the_details_and_leaves_a_read_row(client_as, court, debtor, role):
    reader = UserFactory(court=court, **{role: True})
    page = client_as(reader).get(f"/cases/parties/{debtor.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert ID_NUMBER in html and PHONE in html and ADDRESS in html
    entry = _personal_reads().get()
    assert (entry.actor, entry.object_type, entry.object_id, entry.court) == (
        reader,
        "cases.party",
        str(debtor.pk),
        court,
    )


def test_reading_the_details_through_the_api_leaves_a_read_row_naming_the_reader(court, debtor):
    from rest_framework.test import APIClient

    officer = UserFactory(officer=True, court=court)
    client = APIClient()
    client.force_login(officer)
    body = client.get(f"/api/v1/parties/{debtor.pk}/", {"purpose": "查控前核对"}).json()
    assert (body["id_number"], body["phone"], body["address"]) == (ID_NUMBER, PHONE, ADDRESS)
    entry = _personal_reads().get()
    assert (entry.actor, entry.object_id, entry.reason) == (officer, str(debtor.pk), "查控前核对")


def test_each_read_is_a_row_of_its_own(client_as, court, debtor):
    officer = UserFactory(officer=True, court=court)
    client = client_as(officer)
    for _ in range(3):
        client.get(f"/cases/parties/{debtor.pk}/")
    assert _personal_reads().filter(actor=officer).count() == 3


def test_the_public_pages_and_api_show_no_personal_details_and_write_no_audit_row(client, debtor):
    from django.core.cache import cache
    from rest_framework.test import APIClient

    from credit.models import DishonestListing
    from credit.selectors_public import listing_token

    listing = DishonestListing.objects.get(debtor=debtor)
    pages = [
        ("/public/dishonest/", {"q": "李华"}),
        ("/public/dishonest/", {"q": ID_NUMBER}),
        (f"/public/dishonest/{listing_token(listing.pk)}/", {}),
        ("/public/restricted/", {"q": "李华"}),
        ("/public/debtors/", {"q": "李华"}),
        ("/public/terminated-cases/", {}),
        (f"/public/terminated-cases/{debtor.entry.pk}/", {}),
        ("/public/reward-notices/", {}),
    ]
    before = AuditLog.objects.count()
    bodies = []
    cache.clear()  # the public rate limit, which earlier tests of this process may have used up this minute
    for url, params in pages:
        response = client.get(url, params, follow=True)
        assert response.status_code == 200, url
        bodies.append((url, response.content.decode()))
        cache.clear()  # the public rate limit
    api = APIClient()
    for url in ("/api/v1/public/dishonest/", "/api/v1/public/restricted/"):
        response = api.get(url, {"q": "李华"})
        assert response.status_code == 200, url
        bodies.append((url, response.content.decode()))
        cache.clear()
    assert any("李华" in body for _url, body in bodies)
    for url, body in bodies:
        assert ID_NUMBER not in body and PHONE not in body and ADDRESS not in body, url
    assert AuditLog.objects.count() == before
    assert not _personal_reads().exists()


# ==== append-only =============================================================================================


def _raw(sql: str, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def entry(court):
    officer = UserFactory(officer=True, court=court)
    return audit_record(actor=officer, action="case.touch", reason="original")


@pytest.mark.postgres
def test_postgresql_refuses_a_raw_update_of_the_audit_table(entry):
    with pytest.raises(DatabaseError) as refused:
        _raw("UPDATE core_auditlog SET reason = %s", ["rewritten"])
    assert "core_auditlog is append-only: UPDATE refused" in str(refused.value)
    assert AuditLog.objects.get(pk=entry.pk).reason == "original"


@pytest.mark.postgres
def test_postgresql_refuses_a_raw_delete_from_the_audit_table(entry):
    with pytest.raises(DatabaseError) as refused:
        _raw("DELETE FROM core_auditlog")
    assert "core_auditlog is append-only: DELETE refused" in str(refused.value)
    assert AuditLog.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres
def test_postgresql_refuses_a_truncate_of_the_audit_table(entry):
    """Outside Django's throwaway test databases the guard always holds; here the test switches the test
    databases' exception off for its own transaction (``zhixing.audit_guard``) to see the refusal."""
    with pytest.raises(DatabaseError) as refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the fixture's deferred foreign keys first
        cursor.execute("SET LOCAL zhixing.audit_guard = 'strict'")
        cursor.execute("TRUNCATE core_auditlog")
    assert "core_auditlog is append-only: TRUNCATE refused" in str(refused.value)
    assert AuditLog.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres
def test_a_truncate_cascading_from_the_users_table_is_refused_too(entry):
    with pytest.raises(DatabaseError) as refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the fixture's deferred foreign keys first
        cursor.execute("SET LOCAL zhixing.audit_guard = 'strict'")
        cursor.execute("TRUNCATE core_user CASCADE")
    assert "TRUNCATE refused" in str(refused.value)
    assert AuditLog.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres
def test_the_audit_table_carries_its_row_and_statement_triggers():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_auditlog'::regclass AND NOT tgisinternal "
            "ORDER BY tgname"
        )
        names = [row[0] for row in cursor.fetchall()]
    assert names == ["core_auditlog_no_truncate", "core_auditlog_no_update_delete"]
