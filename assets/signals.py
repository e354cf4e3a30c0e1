"""Domain events of 查控, for the apps to its right (credit, bankruptcy) to receive.

Sent after the transaction commits, so a receiver never sees a change that was rolled back.
"""

from django.dispatch import Signal

# sender=TrackingPlan, plan=<TrackingPlan>, enforcement_case=<the 终本 EnforcementCase>.
# Post-termination tracking has run two or more network queries that found no property and the applicant has
# supplied no property lead: the debtor's dishonest-list entry for this case is to be deleted (失信规定 art.
# 10(4)). Sent once per plan (``plan.delisting_flagged_at`` records it); credit/ deletes the entry.
delisting_due = Signal()
