"""Demo agencies of 查控: the national (总对总) counterparts of legal-rules.md §10 plus a local (点对点)
Beijing real-estate registry serving 京0105 and 京0108. ``demo-bank`` (core's demo agency client, key
``demobank.zhixing-demo-bank-key``) answers for the national bank agency ``icbc``; the others get client
accounts without keys (issue one with ``issue_api_key``, scope "agency").

Idempotent: an agency or client whose code/username exists is left as it is; a second run writes nothing.

``seed_tracking(context)`` gives the demo's 终本 cases their post-termination tracking plans and replays the
tracking queries due by today (see its docstring); ``seed`` calls it, and the demo calls it again at the very
end, once every case the demo closes as 终本 is closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from core.audit import audit_record
from core.demo import DEMO_BANK_KEY_PREFIX, DEMO_BANK_USERNAME, DEMO_REASON, DemoContext
from core.models import ApiCredential, Court, User
from core.roles import Role

from .choices import AgencyKind as K
from .choices import AgencyScope
from .choices import AssetCategory as C
from .models import Agency
from .services.answers import AGENCY_SCOPE


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    kind: str
    categories: tuple[str, ...]
    courts: tuple[str, ...] = ()  # local agencies only

    @property
    def scope(self) -> str:
        return AgencyScope.LOCAL if self.courts else AgencyScope.NATIONAL


AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec("icbc", "中国工商银行 (演示)", K.BANK, (C.DEPOSIT, C.WEALTH_PRODUCT)),
    AgencySpec("ccb", "中国建设银行 (演示)", K.BANK, (C.DEPOSIT, C.WEALTH_PRODUCT)),
    AgencySpec("chinawealth", "银行业理财登记托管中心", K.WEALTH_PRODUCT_REGISTRY, (C.WEALTH_PRODUCT,)),
    AgencySpec("alipay", "支付宝 (蚂蚁集团)", K.PAYMENT_PLATFORM, (C.ONLINE_FUNDS,)),
    AgencySpec("tenpay", "财付通", K.PAYMENT_PLATFORM, (C.ONLINE_FUNDS,)),
    AgencySpec("csdc", "中国证券登记结算有限责任公司", K.SECURITIES_DEPOSITORY, (C.SECURITIES,)),
    AgencySpec("mps-traffic", "公安部交通管理局", K.VEHICLE_REGISTRY, (C.VEHICLE,)),
    AgencySpec("mps-exit-entry", "国家移民管理局", K.EXIT_ENTRY, (C.EXIT_ENTRY_DOCUMENT,)),
    AgencySpec("mnr", "自然资源部不动产登记中心", K.REAL_ESTATE_REGISTRY, (C.REAL_ESTATE,)),
    AgencySpec(
        "bj-real-estate", "北京市不动产登记事务中心", K.REAL_ESTATE_REGISTRY, (C.REAL_ESTATE,), ("京0105", "京0108")
    ),
    AgencySpec("msa-ships", "交通运输部海事局", K.SHIP_REGISTRY, (C.SHIP,)),
    AgencySpec("moa-fishing", "农业农村部渔业渔政管理局", K.FISHING_VESSEL_REGISTRY, (C.FISHING_VESSEL,)),
    AgencySpec("samr", "国家市场监督管理总局", K.MARKET_REGULATION, (C.EQUITY, C.BUSINESS_REGISTRATION)),
    AgencySpec("mohurd-hpf", "住房和城乡建设部 (住房公积金)", K.PROVIDENT_FUND, (C.PROVIDENT_FUND,)),
    AgencySpec("insurance-info", "中国银行保险信息技术管理有限公司", K.INSURER, (C.INSURANCE,)),
    AgencySpec("mohrss", "人力资源和社会保障部", K.SOCIAL_SECURITY, (C.SOCIAL_SECURITY,)),
    AgencySpec("sta", "国家税务总局", K.TAX, (C.TAX,)),
    AgencySpec("mca", "民政部 (婚姻登记)", K.MARRIAGE_REGISTRY, (C.MARRIAGE,)),
    # Disposal (处置): online price-inquiry platforms, valuers and an auction platform (all demo names).
    AgencySpec("inquiry-a", "司法网络询价平台甲 (演示)", K.INQUIRY_PLATFORM, (C.REAL_ESTATE, C.VEHICLE)),
    AgencySpec("inquiry-b", "司法网络询价平台乙 (演示)", K.INQUIRY_PLATFORM, (C.REAL_ESTATE, C.VEHICLE)),
    AgencySpec("inquiry-c", "司法网络询价平台丙 (演示)", K.INQUIRY_PLATFORM, (C.REAL_ESTATE, C.VEHICLE)),
    AgencySpec("valuer-a", "北京某资产评估有限公司 (演示)", K.VALUER, (C.REAL_ESTATE, C.VEHICLE, C.EQUITY)),
    AgencySpec("valuer-b", "北京某房地产估价有限公司 (演示)", K.VALUER, (C.REAL_ESTATE,)),
    AgencySpec("valuer-c", "北京某机动车鉴定评估有限公司 (演示)", K.VALUER, (C.VEHICLE, C.SHIP)),
    AgencySpec("auction-platform", "网络司法拍卖平台 (演示)", K.AUCTION_PLATFORM, (C.REAL_ESTATE, C.VEHICLE, C.EQUITY)),
)
# The agencies the network asset query asks (the platforms and valuers above price and sell instead).
QUERY_AGENCIES: tuple[AgencySpec, ...] = tuple(
    spec for spec in AGENCIES if spec.kind not in (K.INQUIRY_PLATFORM, K.VALUER, K.AUCTION_PLATFORM)
)
BANK_AGENCY = "icbc"


def client_username(code: str) -> str:
    return DEMO_BANK_USERNAME if code == BANK_AGENCY else f"agency-{code}"


def _client(context: DemoContext, spec: AgencySpec) -> tuple[User, bool]:
    username = client_username(spec.code)
    user = context.users.get(username) or User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = User(username=username, role=Role.AGENCY, display_name=spec.name, organisation=spec.name)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    audit_record(actor=None, action="user.create", obj=user, reason=DEMO_REASON, changes={"role": user.role})
    return user, True


def _bank_key_scope() -> bool:
    """core issues the demo bank's key without scopes; the agency API needs "agency"."""
    credential = ApiCredential.objects.filter(prefix=DEMO_BANK_KEY_PREFIX, user__username=DEMO_BANK_USERNAME).first()
    if credential is None or AGENCY_SCOPE in credential.scopes:
        return False
    credential.scopes = [*credential.scopes, AGENCY_SCOPE]
    credential.save(update_fields=["scopes"])
    audit_record(
        actor=None, action="credential.scope_add", obj=credential, reason=DEMO_REASON, changes={"scope": "agency"}
    )
    return True


def seed(context: DemoContext) -> None:
    with transaction.atomic():
        existing = {a.code: a for a in Agency.objects.filter(code__in=[s.code for s in AGENCIES])}
        created = clients = 0
        for spec in AGENCIES:
            if spec.code in existing:
                continue
            client, new_client = _client(context, spec)
            clients += new_client
            agency = Agency(
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                scope=spec.scope,
                categories=list(spec.categories),
                client=client,
            )
            agency.full_clean()
            agency.save()
            if spec.courts:
                agency.courts.set(context.courts.get(c) or Court.objects.get(code=c) for c in spec.courts)
            audit_record(actor=None, action="agency.create", obj=agency, reason=DEMO_REASON)
            created += 1
        scoped = _bank_key_scope()
    _seed_answered_queries(context)
    # The demo cases planned to end as 终本 need a completed network query over every category before the
    # officer may propose it (终本规定 2016 art. 1(3)). Their debtors must also be restricted and listed
    # (art. 1(2)), which is credit's: credit's demo then closes them through the proposal and its approval and
    # calls ``seed_tracking`` and ``seed_restoration_request`` here (assets cannot import credit).
    _seed_termination_queries(context)
    categories = {c for s in AGENCIES for c in s.categories}
    context.log(
        f"assets: {len(AGENCIES)} agencies ({created} new, {clients} new clients) answering {len(categories)} "
        f"asset categories{'; demo bank key given scope agency' if scoped else ''}."
    )
    from .demo_disposal import seed_disposal  # 处置 (issue 7): auctions and a distribution on demo cases

    seed_disposal(context)


DEMO_QUERY_CASES = 8


def _seed_answered_queries(context: DemoContext) -> None:
    """Network queries of the demo officer's cases under investigation or later, answered the way the agencies
    would: the simulator's data, through the same validation and ingestion as the agency API. Skipped once
    any query exists (idempotent)."""
    from enforcement.choices import Status
    from enforcement.models import EnforcementCase

    from .models import QueryBatch
    from .services import query_order

    if QueryBatch.objects.exists():
        context.log("assets: demo queries already seeded.")
        return
    officer = User.objects.filter(username="demo-officer").first()
    if officer is None:
        return
    from enforcement.demo import terminated_demo_candidates

    planned = {ec.pk for ec in terminated_demo_candidates(context)}  # queried by _seed_termination_queries
    cases = list(
        EnforcementCase.objects.filter(
            officer=officer, status__in=[Status.INVESTIGATING, Status.CONTROLLING, Status.DISPOSING]
        )
        .exclude(pk__in=planned)
        .order_by("pk")[:DEMO_QUERY_CASES]
    )
    with transaction.atomic():
        for enforcement_case in cases:
            batch = query_order(actor=officer, enforcement_case=enforcement_case)
            _answer_as_simulated(context, batch, now=None)
        frozen = _seed_freezes(context, officer, cases)
    context.log(f"assets: network queries ordered and answered for {len(cases)} demo cases; {frozen} deposits frozen.")


def _answer_as_simulated(context: DemoContext, batch, *, now, found=None) -> None:
    """Fan ``batch`` out and answer every request with the simulator's data, through the same validation and
    ingestion as the agency API. ``found``, when given, is the set of categories in which anything is found
    (always, ``gained``); every other item is answered "none found"."""
    from .models import AgencyRequest
    from .serializers import AnswerSerializer
    from .services import batch_fan_out, request_answer
    from .simulator import simulated_result

    def result(request, item) -> dict:
        if found is not None and item["category"] not in found:
            return {"debtor": item["debtor"], "category": item["category"], "outcome": "none_found"}
        return simulated_result(
            seed=context.seed, agency=request.agency.code, request_id=request.pk, item=item, gained=found is not None
        )

    batch_fan_out(batch_id=batch.pk, now=now)  # idempotent: the on-commit task finds nothing left to do
    for request in AgencyRequest.objects.filter(batch=batch).select_related("agency"):
        results = [result(request, item) for item in request.payload["items"]]
        answer = AnswerSerializer(data={"results": results})
        answer.is_valid(raise_exception=True)
        request_answer(agency=request.agency, request_id=request.pk, results=answer.validated_data["results"], now=now)


def _seed_termination_queries(context: DemoContext) -> None:
    """A network query over every category for each demo case planned to end as 终本, ordered by its officer
    and answered three weeks before the planned ruling (the investigation comes first). Idempotent: a case
    closed already is no longer a candidate, and a candidate queried already is skipped."""
    from django.utils import timezone

    from enforcement.demo import planned_termination_day, terminated_demo_candidates

    from .choices import AssetCategory, BatchPurpose
    from .models import QueryBatch
    from .services import query_order

    queried = 0
    with transaction.atomic():
        for enforcement_case in terminated_demo_candidates(context):
            if enforcement_case.officer is None:
                continue
            if QueryBatch.objects.filter(enforcement_case=enforcement_case, purpose=BatchPurpose.CASE).exists():
                continue
            day = max(
                enforcement_case.case.filing_date + dt.timedelta(days=20),
                planned_termination_day(enforcement_case, context.today) - dt.timedelta(days=21),
            )
            asked_at = timezone.make_aware(dt.datetime.combine(min(day, context.today), dt.time(9, 30)))
            batch = query_order(actor=enforcement_case.officer, enforcement_case=enforcement_case)
            QueryBatch.objects.filter(pk=batch.pk).update(created_at=asked_at)
            # The debtors of 终本 cases have nothing to take: the agencies find nothing, except that every third
            # debtor has a vehicle registered in its name that could not be found to impound (终本规定 art. 4).
            found = {AssetCategory.VEHICLE} if queried % 3 == 0 else set()
            _answer_as_simulated(context, batch, now=asked_at + dt.timedelta(hours=3), found=found)
            queried += 1
    context.log(f"assets: network queries over every category answered for {queried} cases planned for 终本.")


def seed_restoration_request(context: DemoContext) -> None:
    """The applicant of the earliest 终本 case still tracked brings a property lead to the filing window
    (终本规定 2016 art. 9): demo-clerk records it, the officer is told, and the request waits on the case page.
    Idempotent: once any restoration request exists nothing is added."""
    from enforcement.choices import ClosingKind, Status
    from enforcement.models import EnforcementCase, RestorationRequest
    from enforcement.services.restoration_requests import restoration_request_record

    from .choices import TrackingStatus

    clerk = User.objects.filter(username="demo-clerk").first()
    if clerk is None or RestorationRequest.objects.exists():
        return
    enforcement_case = (
        EnforcementCase.objects.filter(
            status=Status.CLOSED,
            closing_kind=ClosingKind.TERMINATED_THIS_ROUND,
            tracking_plan__status=TrackingStatus.ACTIVE,
            tracking_plan__runs__outcome="empty",
            case__court=clerk.court,
        )
        .order_by("closed_on", "pk")
        .first()
    )
    if enforcement_case is None:
        return
    applicant = enforcement_case.case.party_links.filter(role="creditor").order_by("position", "pk").first()
    restoration_request_record(
        actor=clerk,
        enforcement_case=enforcement_case,
        applicant_id=applicant.party_id,
        lead="申请执行人发现被执行人名下车辆（京N·8K2J7）近期停放于朝阳区某小区，并提供了照片及停放地址。",
        received_on=context.today,
    )
    context.log(f"assets: a restoration request with a property lead waits on {enforcement_case.case.number}.")


def _seed_freezes(context: DemoContext, officer: User, cases) -> int:
    """Freeze the first deposit found on the first demo cases, confirmed by the bank as the agency API would;
    the first freeze started almost a year ago, so it shows on the officer's desk as expiring within 30
    days (the daily reminder job is run once here)."""
    from .choices import AssetCategory, ConfirmOutcome, ControlKind
    from .models import AgencyRequest, Asset
    from .services import control_confirm, control_order, reminders_record_due

    frozen = 0
    for enforcement_case in cases[:3]:
        deposit = (
            Asset.objects.filter(case=enforcement_case.case, category=AssetCategory.DEPOSIT).order_by("pk").first()
        )
        if deposit is None or not deposit.value:
            continue
        starts_on = context.today - dt.timedelta(days=345 if frozen == 0 else 30)
        measure = control_order(
            actor=officer, enforcement_case=enforcement_case, asset=deposit, kind=ControlKind.FREEZE,
            amount=deposit.value, starts_on=starts_on,
        )  # fmt: skip
        order = AgencyRequest.objects.filter(measure=measure).latest("pk")
        control_confirm(
            agency=order.agency, request_id=order.pk, outcome=ConfirmOutcome.DONE, reference=f"DEMO-{order.pk}"
        )
        frozen += 1
    reminders_record_due(today=context.today)
    return frozen


DEMO_FOUND_AGENCY = BANK_AGENCY  # the bank where the demo debtor's new deposit turns up
DEMO_NEW_ACCOUNT_SEED = 9001  # the new deposit's data comes from its own seed, unlike the accounts found before
DEMO_CATCH_UP_ROUNDS = 100  # bound on the dispatcher runs replayed (each sends at most the batch limit)


def seed_tracking(context: DemoContext) -> None:
    """Post-termination tracking of the demo's 终本 cases: each gets its plan, then the tracking queries that
    would have run by today are replayed through the services on their due days (the dispatcher with a
    ``now`` in the past, the fan-out, the agencies' answers, the evaluation). The debtors had nothing left
    (终本), so the agencies answer "none found" — except that the debtor of the most recently terminated
    tracked case with an officer has since opened a deposit at the bank: that run finds it and alerts the
    officer. A plan with two empty runs is flagged for dishonest-list deletion (失信规定 art. 10(4)).

    Call it at the very end of the demo, after every case that the demo closes as 终本 is closed. Idempotent:
    plans are started once, and the runs are replayed only while no tracking run exists."""
    from core.exceptions import ApplicationError
    from enforcement.choices import ClosingKind, Status
    from enforcement.models import EnforcementCase

    from .choices import TrackingStatus
    from .models import TrackingPlan, TrackingRun
    from .services import tracking_start

    started = 0
    terminated = EnforcementCase.objects.filter(
        status=Status.CLOSED, closing_kind=ClosingKind.TERMINATED_THIS_ROUND, tracking_plan__isnull=True
    ).order_by("pk")
    for enforcement_case in terminated:
        try:
            tracking_start(enforcement_case=enforcement_case)
            started += 1
        except ApplicationError as error:  # pragma: no cover - the filter above selects 终本 cases only
            context.log(f"assets: tracking of {enforcement_case} not started: {error.message}")
    if TrackingRun.objects.exists():
        context.log(f"assets: {started} tracking plans started; tracking runs already seeded.")
        return
    due = TrackingPlan.objects.filter(status=TrackingStatus.ACTIVE, next_due_on__lte=context.today)
    found_plan = (  # the demo officer's, so that logging in as demo-officer shows the alert
        due.filter(enforcement_case__officer__username="demo-officer").order_by("-starts_on", "-pk").first()
        or due.filter(enforcement_case__officer__isnull=False).order_by("-starts_on", "-pk").first()
        or due.first()
    )
    runs = _replay_tracking(context, found_plan)
    flagged = TrackingPlan.objects.filter(delisting_flagged_at__isnull=False).count()
    found = TrackingRun.objects.filter(outcome="found").select_related("plan__enforcement_case__case").first()
    context.log(
        f"assets: {started} tracking plans started; {runs} past tracking queries replayed; "
        f"{flagged} plans flagged for dishonest-list deletion; new deposit found on "
        f"{found.plan.enforcement_case.case.number if found else '—'}."
    )


def _replay_tracking(context: DemoContext, found_plan) -> int:
    """Run the dispatcher on each past due day (oldest first) and answer what it sent on that day."""
    from django.db.models import Min
    from django.utils import timezone

    from .choices import AssetCategory, BatchPurpose, BatchStatus, RequestStatus, TrackingStatus
    from .models import AgencyRequest, QueryBatch, TrackingPlan
    from .serializers import AnswerSerializer
    from .services import batch_fan_out, request_answer, tracking_dispatch_due, tracking_evaluate
    from .simulator import simulated_result

    runs = 0
    for _round in range(DEMO_CATCH_UP_ROUNDS):
        day = TrackingPlan.objects.filter(status=TrackingStatus.ACTIVE, next_due_on__lte=context.today).aggregate(
            day=Min("next_due_on")
        )["day"]
        if day is None:
            break
        sent_at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
        answered_at = sent_at + dt.timedelta(hours=2)
        with transaction.atomic():
            counts = tracking_dispatch_due(now=sent_at)
            if not counts["dispatched"]:
                break  # nothing could be sent (no agency serves the court, or quotas): stop replaying
            runs += counts["dispatched"]
            batches = list(
                QueryBatch.objects.filter(purpose=BatchPurpose.TRACKING, status=BatchStatus.ORDERED).select_related(
                    "tracking_run__plan"
                )
            )
            for batch in batches:
                batch_fan_out(batch_id=batch.pk, now=sent_at)
                plan = batch.tracking_run.plan
                gains = plan.pk == getattr(found_plan, "pk", None) and plan.next_due_on > context.today
                requests = AgencyRequest.objects.filter(batch=batch, status=RequestStatus.PENDING).select_related(
                    "agency"
                )
                for request in requests:
                    results = []
                    for item in request.payload["items"]:
                        gained = (
                            gains
                            and request.agency.code == DEMO_FOUND_AGENCY
                            and item["category"] == AssetCategory.DEPOSIT
                        )
                        if gained:
                            results.append(
                                simulated_result(  # another seed: an account the first query did not see
                                    seed=context.seed + DEMO_NEW_ACCOUNT_SEED,
                                    agency=request.agency.code,
                                    request_id=request.pk,
                                    item=item,
                                    gained=True,
                                )
                            )
                        else:
                            results.append(
                                {"debtor": item["debtor"], "category": item["category"], "outcome": "none_found"}
                            )
                    answer = AnswerSerializer(data={"results": results})
                    answer.is_valid(raise_exception=True)
                    request_answer(
                        agency=request.agency,
                        request_id=request.pk,
                        results=answer.validated_data["results"],
                        now=answered_at,
                    )
                tracking_evaluate(batch_id=batch.pk, now=answered_at)
    return runs
