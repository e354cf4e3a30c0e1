"""Demo data of credit (惩): dishonest listings at 京0105 proposed by the case officer and approved by demo-head,
one proposal waiting for demo-head, and one entry whose case was then closed as fully performed (the receiver
records the removal event, the removal job has something due). Idempotent: a second run writes nothing.

``list_and_restrict_termination_candidates`` lists and restricts the debtors of the demo cases planned to end as
终本 before enforcement's demo proposes them: the 终本 checklist reads credit's facts (终本规定 2016 art. 1(2))."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction

from cases.choices import PartyKind, PartyRole
from cases.models import Party
from core.audit import audit_record
from core.demo import DemoContext
from core.exceptions import ApplicationError
from core.identifiers import make_resident_id
from core.models import AuditLog, User
from enforcement.choices import ClosingKind, NoticeKind, Status
from enforcement.models import EnforcementCase, Notice

from .choices import BoundPersonRole, ListingGround, RestrictionKind, RestrictionStatus
from .models import DishonestListing, Restriction
from .services.listing import is_minor_on, listing_decide, listing_propose

COURT = "京0105"
HEAD = "demo-head"
SEEDED = "demo.credit_seeded"
OPEN_LISTINGS = 3
TERMINATION_FACTS = "被执行人未按执行通知书及报告财产令的要求报告财产，经网络查控未发现可供执行的财产。"
FACTS = {
    ListingGround.BREACHES_REPORTING: "被执行人收到报告财产令后，拒不报告其名下财产情况。",
    ListingGround.EVADES: "被执行人在诉讼期间将名下车辆无偿转让给其亲属，规避执行。",
    ListingGround.OBSTRUCTS: "执行人员查封财产时，被执行人以暴力威胁方法阻挠执行。",
}


def _served_on(ec: EnforcementCase, debtor: Party) -> dt.date | None:
    return (
        Notice.objects.filter(enforcement_case=ec, recipient=debtor, kind=NoticeKind.ENFORCEMENT_NOTICE)
        .order_by("served_on")
        .values_list("served_on", flat=True)
        .first()
    )


def _debtors(ec: EnforcementCase) -> list[Party]:
    return list(Party.objects.filter(case_links__case_id=ec.case_id, case_links__role=PartyRole.DEBTOR))


def bound_persons_for(debtor: Party) -> list[dict] | None:
    """An organisation's restriction binds its legal representative (限制消费规定 art. 3(2)); the demo makes up
    their resident ID from the organisation's id."""
    if debtor.kind != PartyKind.ORGANISATION:
        return None
    born = dt.date(1970, 1, 1) + dt.timedelta(days=(debtor.pk * 97) % 9000)
    return [
        {
            "role": BoundPersonRole.LEGAL_REPRESENTATIVE,
            "name": debtor.legal_representative,
            "id_number": make_resident_id("110105", born, debtor.pk % 1000),
        }
    ]


def _list(
    *, ec: EnforcementCase, debtor: Party, head: User, ground: str, facts: str, on: dt.date, approve: bool = True
) -> DishonestListing:
    listing = listing_propose(actor=ec.officer, enforcement_case=ec, debtor=debtor, ground=ground, facts=facts, on=on)
    if approve:
        listing = listing_decide(
            actor=head,
            listing=listing,
            approve=True,
            note="同意纳入失信被执行人名单。",
            on=on,
            bound_persons=bound_persons_for(debtor),
        )
    return listing


def list_and_restrict_termination_candidates(context: DemoContext) -> None:
    """List (ground 4, 违反财产报告制度) every eligible debtor of the demo's 终本 candidates and make sure each
    debtor is under a consumption restriction, on a day after the enforcement notice and before the planned
    终本 ruling. Call it from assets' demo before ``enforcement.demo.close_terminated_demo_cases``. A debtor
    already listed or restricted in the case is left as it is (idempotent)."""
    from enforcement.demo import planned_termination_day, terminated_demo_candidates

    from .services.restrictions import restriction_issue

    head = context.users.get(HEAD) or User.objects.filter(username=HEAD).first()
    if head is None:
        return
    today = context.today
    listed = restricted = 0
    failed: list[str] = []
    for ec in terminated_demo_candidates(context):
        if ec.officer is None:
            continue
        planned = planned_termination_day(ec, today)
        for debtor in _debtors(ec):
            served = _served_on(ec, debtor)
            if served is None:
                continue
            on = min(max(served + dt.timedelta(days=15), ec.case.filing_date), planned, today)
            on = max(on, served)
            try:
                with transaction.atomic():
                    if not DishonestListing.objects.filter(enforcement_case=ec, debtor=debtor).exists() and (
                        not is_minor_on(debtor, on)
                    ):
                        _list(
                            ec=ec,
                            debtor=debtor,
                            head=head,
                            ground=ListingGround.BREACHES_REPORTING,
                            facts=TERMINATION_FACTS,
                            on=on,
                        )
                        listed += 1
                    active = Restriction.objects.filter(
                        enforcement_case=ec,
                        debtor=debtor,
                        kind=RestrictionKind.CONSUMPTION,
                        status=RestrictionStatus.ACTIVE,
                    )
                    if not active.exists():
                        restriction_issue(
                            actor=ec.officer,
                            enforcement_case=ec,
                            debtor=debtor,
                            kind=RestrictionKind.CONSUMPTION,
                            reason="被执行人未按执行通知书履行义务。",
                            on=on,
                            bound_persons=bound_persons_for(debtor),
                        )
                        restricted += 1
            except ApplicationError as error:
                failed.append(f"{ec.case.number} {debtor.name}: {error.message}")
    context.log(
        f"credit: {listed} debtors of the 终本 candidates listed as dishonest, {restricted} more restricted"
        + (f"; not done: {'; '.join(failed)}" if failed else ".")
    )


def _open_cases_to_list(exclude: set[int]) -> list[EnforcementCase]:
    cases = (
        EnforcementCase.objects.filter(
            case__court__code=COURT,
            status__in=(Status.INVESTIGATING, Status.CONTROLLING, Status.DISPOSING, Status.DISTRIBUTING),
            officer__username="demo-officer",
        )
        .exclude(pk__in=exclude)
        .exclude(dishonest_listings__isnull=False)
        .select_related("case", "officer")
        .order_by("pk")
    )
    return [ec for ec in cases if all(_served_on(ec, d) for d in _debtors(ec))]


def seed(context: DemoContext) -> None:
    # 终本 (issue 5) needs credit's part of the checklist (终本规定 art. 1(2)): the demo's 终本 candidates are
    # restricted and listed, then enforcement's demo closes them, and their tracking and a restoration request
    # follow (each step idempotent).
    from assets.demo import seed_restoration_request, seed_tracking
    from enforcement.demo import close_terminated_demo_cases

    list_and_restrict_termination_candidates(context)
    close_terminated_demo_cases(context)
    seed_tracking(context)
    seed_restoration_request(context)
    _seed_listings(context)
    _seed_public_side(context)
    from .demo_remedies import seed_remedies  # issue 9: remedies and coercion (needs seized property)

    seed_remedies(context)


# The demo party's query code for the portal (the README prints it); a real code is random (portal_code_issue).
DEMO_QUERY_CODE = "ZXDEMK26"
# A few days of the working-day calendar, marked as demo data: the court administrator keeps the real one.
DEMO_CALENDAR = (
    *((dt.date(2026, 10, day), False, "国庆节（演示数据）") for day in range(1, 8)),
    (dt.date(2026, 10, 10), True, "调休上班（演示数据）"),
    (dt.date(2027, 1, 1), False, "元旦（演示数据）"),
)


def _seed_public_side(context: DemoContext) -> None:
    """The demo bank reads the whole credit feed; the calendar has a holiday week; the demo officer's oldest
    open case has the portal query code ``DEMO_QUERY_CODE``. Idempotent."""
    from assets.models import Agency
    from cases.models import Case
    from core.models import CalendarDay

    from .choices import FeedEventKind
    from .models import CaseQueryCode, FeedSubscription
    from .services.portal import code_digest

    with transaction.atomic():
        bank = Agency.objects.filter(client__username="demo-bank").first()
        if bank is not None and not FeedSubscription.objects.filter(agency=bank).exists():
            subscription = FeedSubscription(agency=bank, kinds=list(FeedEventKind.values), active=True)
            subscription.full_clean()
            subscription.save()
        for day, working, note in DEMO_CALENDAR:
            CalendarDay.objects.get_or_create(date=day, defaults={"working": working, "note": note})
        case = (
            Case.objects.filter(enforcement__officer__username="demo-officer", enforcement__status="controlling")
            .order_by("filing_date", "pk")
            .first()
        )
        if case is not None and not CaseQueryCode.objects.filter(case=case).exists():
            CaseQueryCode.objects.create(case=case, code_hash=code_digest(case_id=case.pk, code=DEMO_QUERY_CODE))
    if case is not None:
        context.log(f"credit: party portal — {case.number}, query code {DEMO_QUERY_CODE}; demo-bank reads the feed")


def _seed_listings(context: DemoContext) -> None:
    if AuditLog.objects.filter(action=SEEDED).exists():
        context.log("credit: demo listings already seeded.")
        return
    head = context.users.get(HEAD) or User.objects.filter(username=HEAD).first()
    if head is None or COURT not in context.courts and not EnforcementCase.objects.filter(case__court__code=COURT):
        return
    from enforcement.demo import terminated_demo_candidates
    from enforcement.services.lifecycle import case_close

    today = context.today
    candidates = {ec.pk for ec in terminated_demo_candidates(context)}
    cases = _open_cases_to_list(candidates)
    grounds = list(FACTS)
    listed, pending, due = [], [], []
    with transaction.atomic():
        for index, ec in enumerate(cases[: OPEN_LISTINGS + 1]):
            debtor = next(d for d in _debtors(ec) if not is_minor_on(d, today))
            ground = grounds[index % len(grounds)]
            approve = index < OPEN_LISTINGS
            on = max(_served_on(ec, debtor) + dt.timedelta(days=20), ec.case.filing_date)
            _list(
                ec=ec, debtor=debtor, head=head, ground=ground, facts=FACTS[ground], on=min(on, today), approve=approve
            )
            (listed if approve else pending).append(ec.case.number)
        # A listed debtor pays everything: the case closes as fully performed, the receiver records the removal
        # event (失信规定 art. 10(1)(1)) and the removal job deletes the entry within 3 working days.
        # The case comes from the open state the demo has most of, so every state stays represented.
        rest = cases[OPEN_LISTINGS + 1 :]
        per_status = Counter(EnforcementCase.objects.filter(case__court__code=COURT).values_list("status", flat=True))
        rest = [ec for ec in rest if per_status[ec.status] >= 2]
        closing = max(rest, key=lambda ec: (per_status[ec.status], -ec.pk), default=None)
        if closing is not None:
            debtor = next(d for d in _debtors(closing) if not is_minor_on(d, today))
            on = min(max(_served_on(closing, debtor) + dt.timedelta(days=20), closing.case.filing_date), today)
            _list(
                ec=closing,
                debtor=debtor,
                head=head,
                ground=ListingGround.EVADES,
                facts=FACTS[ListingGround.EVADES],
                on=on,
            )
            case_close(
                actor=closing.officer,
                enforcement_case=closing,
                kind=ClosingKind.COMPLETED,
                reason="被执行人已全部履行生效法律文书确定的义务。",
                on=today,
                performed_amount=closing.case.amount,
            )
            due.append(closing.case.number)
        audit_record(actor=None, action=SEEDED, changes={"listed": listed, "pending": pending, "due": due})
    context.log(
        f"credit: {len(listed)} debtors listed as dishonest ({'、'.join(listed) or '—'}), {len(pending)} waiting "
        f"for {HEAD} ({'、'.join(pending) or '—'}), {len(due)} due for removal after full performance "
        f"({'、'.join(due) or '—'})."
    )
