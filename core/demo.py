"""Demo data owned by core: the courts, the demo accounts and the demo bank's API key.

``python manage.py seed_demo`` (in ``command``) calls each app's ``demo.seed(context)`` in app order and
passes one ``DemoContext`` that every app reads and extends. Seeding is idempotent: an object whose
natural key (court code, username, key prefix) already exists is left exactly as it is, so a second run
writes nothing, and a run interrupted halfway is completed by the next one.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .audit import audit_record
from .models import ApiCredential, Court, CourtLevel, User
from .roles import Role
from .services import credential_issue

DEMO_REASON = "seed_demo"

ADMIN_GROUP = "court administrators"
DEMO_BANK_USERNAME = "demo-bank"
DEMO_BANK_KEY_PREFIX = "demobank"
DEMO_BANK_KEY_SECRET = "zhixing-demo-bank-key"  # noqa: S105 - published in the README, refused without DEBUG


@dataclass
class DemoContext:
    """What one ``seed_demo`` run shares between the apps' ``demo.seed`` functions.

    ``courts`` (by code) and ``users`` (by username) hold the seeded objects whether this run created them
    or found them. ``rng`` is the run's shared random stream; an app whose output must not depend on what
    earlier steps drew (so that a resumed run produces the same data) takes its own with ``random_for``.
    ``data`` is free for apps to pass things to the apps after them.
    """

    today: dt.date
    stdout: TextIO
    seed: int = 2026
    app_labels: tuple[str, ...] = ()
    rng: random.Random = field(init=False)
    courts: dict[str, Court] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def random_for(self, *names: str) -> random.Random:
        """A random stream of its own for ``names``, the same on every run (str seeds hash with SHA-512)."""
        return random.Random(":".join([str(self.seed), *names]))

    def log(self, message: str) -> None:
        self.stdout.write(message)


@dataclass(frozen=True)
class CourtSpec:
    code: str
    name: str
    level: str
    parent: str | None
    region_code: str
    address: str


# 法院代字 per 案号规定 arts. 4–5. Parents are the real superior courts: 朝阳 appeals go to 北京三中院,
# 海淀 appeals to 北京一中院, 浦东 to 上海一中院, 蓬江 to 江门中院. Addresses are plausible, for show.
COURTS: tuple[CourtSpec, ...] = (
    CourtSpec("最高法", "最高人民法院", CourtLevel.SUPREME, None, "", "北京市东城区东交民巷27号"),
    CourtSpec("京", "北京市高级人民法院", CourtLevel.HIGH, "最高法", "110000", "北京市东城区建国门南大街10号"),
    CourtSpec("京01", "北京市第一中级人民法院", CourtLevel.INTERMEDIATE, "京", "110100", "北京市石景山区石景山路16号"),
    CourtSpec("京03", "北京市第三中级人民法院", CourtLevel.INTERMEDIATE, "京", "110100", "北京市朝阳区八里庄东里1号"),
    CourtSpec("京0105", "北京市朝阳区人民法院", CourtLevel.BASIC, "京03", "110105", "北京市朝阳区朝阳公园南路8号"),
    CourtSpec("京0108", "北京市海淀区人民法院", CourtLevel.BASIC, "京01", "110108", "北京市海淀区丹棱街12号"),
    CourtSpec("沪", "上海市高级人民法院", CourtLevel.HIGH, "最高法", "310000", "上海市徐汇区肇嘉浜路308号"),
    CourtSpec("沪01", "上海市第一中级人民法院", CourtLevel.INTERMEDIATE, "沪", "310100", "上海市长宁区虹桥路1200号"),
    CourtSpec("沪0115", "上海市浦东新区人民法院", CourtLevel.BASIC, "沪01", "310115", "上海市浦东新区丁香路611号"),
    CourtSpec("粤", "广东省高级人民法院", CourtLevel.HIGH, "最高法", "440000", "广州市越秀区仓边路118号"),
    CourtSpec("粤07", "江门市中级人民法院", CourtLevel.INTERMEDIATE, "粤", "440700", "江门市蓬江区迎宾大道中116号"),
    CourtSpec("粤0703", "江门市蓬江区人民法院", CourtLevel.BASIC, "粤07", "440703", "江门市蓬江区建设三路36号"),
)
COURT_PHONE = "12368"  # the courts' national litigation-service hotline


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: str
    court: str | None
    display_name: str
    is_staff: bool = False
    organisation: str = ""


DEMO_USERS: tuple[UserSpec, ...] = (
    UserSpec("demo-clerk", Role.CLERK, "京0105", "王立案"),
    UserSpec("demo-officer", Role.OFFICER, "京0105", "李执行"),
    UserSpec("demo-judge", Role.JUDGE, "京0105", "张法官"),
    UserSpec("demo-head", Role.DIVISION_HEAD, "京0105", "赵局长"),
    UserSpec("demo-admin", Role.COURT_ADMIN, "京0105", "陈管理", is_staff=True),
    UserSpec("demo-auditor", Role.AUDITOR, "京0105", "孙审计"),
    UserSpec("demo-president", Role.PRESIDENT, "京0105", "钱院长"),  # approves fines, detention and searches
    UserSpec("demo-officer2", Role.OFFICER, "京0108", "周执行"),
    UserSpec("demo-head2", Role.DIVISION_HEAD, "京0108", "吴局长"),  # rules 京0108's 执转破 transfer
    # Filing clerks of the other demo courts: cases are filed only by a clerk of their own court.
    UserSpec("demo-clerk-haidian", Role.CLERK, "京0108", "吴立案"),
    UserSpec("demo-clerk-pudong", Role.CLERK, "沪0115", "郑立案"),
    UserSpec("demo-clerk-pengjiang", Role.CLERK, "粤0703", "梁立案"),
    UserSpec("demo-clerk-sanzhong", Role.CLERK, "京03", "冯立案"),
    UserSpec(DEMO_BANK_USERNAME, Role.AGENCY, None, "工行北京分行 (演示)", organisation="中国工商银行北京分行 (演示)"),
)


def _seed_courts(context: DemoContext) -> int:
    existing = {court.code: court for court in Court.objects.filter(code__in=[c.code for c in COURTS])}
    created = 0
    for spec in COURTS:
        court = existing.get(spec.code)
        if court is None:
            court = Court(
                code=spec.code,
                name=spec.name,
                level=spec.level,
                parent=existing[spec.parent] if spec.parent else None,
                region_code=spec.region_code,
                address=spec.address,
                phone=COURT_PHONE,
            )
            court.full_clean()
            court.save()
            audit_record(actor=None, action="court.create", obj=court, reason=DEMO_REASON)
            existing[spec.code] = court
            created += 1
        context.courts[spec.code] = court
    return created


def _admin_group() -> tuple[Group, int]:
    """The group that gives court administrators every permission on the project's own models.

    Permissions missing from the group (a newer app's models) are added on every run; none missing means
    no write at all.
    """
    group, group_created = Group.objects.get_or_create(name=ADMIN_GROUP)
    if group_created:
        audit_record(actor=None, action="group.create", obj=group, reason=DEMO_REASON)
    return group, int(group_created)


def _sync_admin_permissions(group: Group, app_labels: tuple[str, ...]) -> int:
    wanted = set(Permission.objects.filter(content_type__app_label__in=app_labels).values_list("pk", flat=True))
    missing = wanted - set(group.permissions.values_list("pk", flat=True))
    if missing:
        group.permissions.add(*missing)
        audit_record(
            actor=None,
            action="group.permissions_add",
            obj=group,
            reason=DEMO_REASON,
            changes={"added": len(missing)},
        )
    return len(missing)


def _seed_users(context: DemoContext, group: Group) -> int:
    existing = {u.username: u for u in User.objects.filter(username__in=[s.username for s in DEMO_USERS])}
    created = 0
    password_hash = None
    for spec in DEMO_USERS:
        user = existing.get(spec.username)
        if user is None:
            user = User(
                username=spec.username,
                role=spec.role,
                display_name=spec.display_name,
                court=context.courts[spec.court] if spec.court else None,
                organisation=spec.organisation,
                is_staff=spec.is_staff,
            )
            if spec.role == Role.AGENCY:
                user.set_unusable_password()  # agency clients use their API key, never a password
            else:
                # One hash for all: hashing is the slow part, and the demo password is public anyway.
                password_hash = password_hash or make_password(settings.DEMO_PASSWORD)
                user.password = password_hash
            user.full_clean()
            user.save()
            if spec.role == Role.COURT_ADMIN:
                user.groups.add(group)
            audit_record(actor=None, action="user.create", obj=user, reason=DEMO_REASON, changes={"role": user.role})
            created += 1
        context.users[spec.username] = user
    return created


def _seed_bank_key(context: DemoContext) -> str:
    credential = ApiCredential.objects.filter(prefix=DEMO_BANK_KEY_PREFIX).select_related("user").first()
    if credential is not None:
        if credential.user.username != DEMO_BANK_USERNAME:
            return f"the key prefix {DEMO_BANK_KEY_PREFIX!r} belongs to {credential.user.username}; demo key not issued"
        return "demo bank key already issued"
    credential_issue(
        actor=None,
        user=context.users[DEMO_BANK_USERNAME],
        name="演示密钥",
        prefix=DEMO_BANK_KEY_PREFIX,
        secret=DEMO_BANK_KEY_SECRET,
    )
    return "demo bank key issued"


def seed(context: DemoContext) -> None:
    """Courts, demo accounts, the administrators' group and the demo bank's key, in one transaction."""
    with transaction.atomic():
        courts_created = _seed_courts(context)
        group, _group_created = _admin_group()
        permissions_added = _sync_admin_permissions(group, context.app_labels)
        users_created = _seed_users(context, group)
        key_note = _seed_bank_key(context)
    context.log(
        f"core: {len(context.courts)} courts ({courts_created} new), {len(context.users)} demo users "
        f"({users_created} new), {permissions_added} permissions given to '{ADMIN_GROUP}', {key_note}."
    )
    context.log(
        f"  log in as demo-officer, demo-clerk, demo-judge, demo-head, demo-president, demo-admin, demo-auditor, "
        f"demo-officer2 or demo-head2 "
        f"with password {settings.DEMO_PASSWORD!r}; agency API: "
        f"Authorization: Api-Key {DEMO_BANK_KEY_PREFIX}.{DEMO_BANK_KEY_SECRET}"
    )
