"""Domain events of enforcement, for the apps to its right (credit, bankruptcy) to receive.

Sent after the transaction commits, so a receiver never sees a change that was rolled back.
"""

from django.dispatch import Signal

# sender=EnforcementCase, enforcement_case=<EnforcementCase>, kind=<ClosingKind value>, actor=<User>
case_closed = Signal()
# sender=EnforcementCase, enforcement_case=<the new 执恢 EnforcementCase>, restored_from=<the 终本 case>, actor
case_restored = Signal()
# sender=EnforcementCase, enforcement_case, transition=<name>, from_status, to_status, actor — every step
case_transitioned = Signal()
# sender=EnforcementCase, enforcement_case=<the 终本 case>, on=<date> — the applicant supplied a property lead
# (a restoration request): tracking no longer counts the case as "no lead" (失信规定 art. 10(4)).
property_lead_received = Signal()
# sender=Objection, objection=<Objection>, upheld=<bool>, actor=<User> — an objection (执异) was ruled on; sent after
# the commit. A third-party objection upheld (案外人异议成立) lifts the control measures on its asset (assets).
objection_decided = Signal()
