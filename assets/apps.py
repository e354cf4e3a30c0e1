from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "assets"
    verbose_name = _("Asset query, control and disposal (查控 and 处置)")

    def ready(self) -> None:
        from core.roles import Role, grant

        officers = (Role.OFFICER, Role.JUDGE, Role.DIVISION_HEAD)
        grant("assets.query", *officers)  # order a network query (网络查控)
        grant("assets.control", *officers)  # order, release, renew control measures and deduct (查控)
        grant("assets.view", *officers, Role.CLERK, Role.COURT_ADMIN)
        # approve or decline a deduction above the approval threshold ordered by someone else (扣划审批)
        grant("assets.approve_deduction", Role.DIVISION_HEAD)

        from enforcement.signals import case_closed, case_restored, case_transitioned, property_lead_received

        from .receivers import carry_over_when_restored, lead_received, query_when_notified, track_when_terminated

        case_transitioned.connect(query_when_notified, dispatch_uid="assets.query_when_notified")
        # Post-termination tracking (终本后跟踪): start on 终本, end on restoration, note the applicant's leads.
        case_closed.connect(track_when_terminated, dispatch_uid="assets.track_when_terminated")
        case_restored.connect(carry_over_when_restored, dispatch_uid="assets.carry_over_when_restored")
        property_lead_received.connect(lead_received, dispatch_uid="assets.tracking_lead_received")

        from enforcement.checks import (
            register_asset_facts_provider,
            register_distribution_claim_provider,
            register_termination_fact_provider,
        )

        from .checks import asset_facts, distribution_claims, network_query_fact

        register_asset_facts_provider(asset_facts)
        register_termination_fact_provider("assets", network_query_fact)
        register_distribution_claim_provider("assets", distribution_claims)

        from enforcement.signals import case_closed

        from .receivers_completion import release_when_completed

        case_closed.connect(release_when_completed, dispatch_uid="assets.release_when_completed")

        from enforcement.signals import objection_decided

        from .receivers_objections import release_when_objection_upheld

        objection_decided.connect(release_when_objection_upheld, dispatch_uid="assets.release_when_objection_upheld")

        # Query batches and tracking runs show their progress as jobs (core.jobs).
        from .progress import register as register_progress

        register_progress()
