from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = _("Enforcement (执)")

    def ready(self) -> None:
        from cases.checks import register_party_record_provider
        from core.roles import Role, grant

        from .checks import debtor_in_open_enforcement

        officers = (Role.OFFICER, Role.JUDGE, Role.DIVISION_HEAD)
        grant("enforcement.view", *officers, Role.CLERK, Role.COURT_ADMIN, Role.PRESIDENT)
        grant("enforcement.file", Role.CLERK, Role.DIVISION_HEAD)
        # 恢复执行 (a new 执恢 case): the clerk at the window, or the officer in one step when tracking finds property
        grant("enforcement.restore", *officers, Role.CLERK)
        grant("enforcement.act", *officers)  # lifecycle steps, notices
        grant("enforcement.assign", Role.DIVISION_HEAD)
        grant("enforcement.approve_extension", Role.DIVISION_HEAD)
        grant("enforcement.approve_termination", Role.DIVISION_HEAD)  # 终本 (解释 2022 art. 517)
        grant("enforcement.approve_distribution", Role.DIVISION_HEAD)  # 分配方案 (清偿顺序)
        # Remedies and coercion (民诉法 2023 arts. 114–120, 236, 238)
        grant("enforcement.objections", *officers)  # record objections and reconsiderations, their rulings
        grant("enforcement.coercion", *officers)  # propose fines, detention, searches; record execution
        grant("enforcement.approve_coercion", Role.PRESIDENT)  # art. 119: fines and detention need the president
        grant("enforcement.rewards", *officers)  # publish and withdraw reward notices; handle tip-offs
        grant("enforcement.request_extension", Role.OFFICER, Role.JUDGE)
        register_party_record_provider("enforcement", debtor_in_open_enforcement)
