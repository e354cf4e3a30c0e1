"""The Celery application. Settings come from Django settings under the CELERY_ prefix."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("zhixing")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic job, declared here in one place; django-celery-beat's DatabaseScheduler copies them into its
# tables at start (where an administrator can pause one). Each job selects only what is due from an indexed
# column, so its cost follows the work due, not the size of the table.
app.conf.beat_schedule = {
    # answers received for a worker (Prefer: respond-async) whose drain message was lost
    "asset-query-answers-drain": {"task": "assets.tasks.query_answers_drain_due", "schedule": 60.0},
    "asset-query-time-outs": {"task": "assets.tasks.query_time_out_due", "schedule": 60.0},
    # A batch whose fan-out task the broker lost is fanned out again (idempotent) after five minutes.
    "asset-query-requeue-stale": {"task": "assets.tasks.query_requeue_stale", "schedule": 60.0},
    "asset-control-lapses": {"task": "assets.tasks.control_lapse_due", "schedule": crontab(hour=0, minute=10)},
    "asset-control-expiry-reminders": {
        "task": "assets.tasks.control_expiry_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    # Post-termination tracking (终本规定 2016 art. 9): what is due, within each agency's daily quota.
    "asset-tracking-dispatch": {"task": "assets.tasks.tracking_dispatch_due", "schedule": 600.0},
    # 参考价规定 2018 arts. 11, 13: online price inquiries due (extension, late platforms, settlement).
    "asset-price-inquiries-due": {"task": "assets.tasks.query_price_inquiries_due", "schedule": 600.0},
    # 网拍规定 2016 art. 20: close online auctions whose bidding has ended (sold or failed).
    "asset-auctions-close-due": {"task": "assets.tasks.auction_close_due", "schedule": 60.0},
    # 失信规定 2017 art. 10: dishonest-list entries with a removal event or an ended period, within 3 working days.
    "credit-listings-remove-due": {"task": "credit.tasks.listings_remove_due", "schedule": crontab(minute=5)},
    # 执转破 (解释 2022 arts. 511–512): screening for insolvent corporate debtors; transfers past their 30 days.
    "bankruptcy-screen": {"task": "bankruptcy.tasks.screen", "schedule": crontab(hour=2, minute=30)},
    "bankruptcy-report-overdue": {"task": "bankruptcy.tasks.report_overdue", "schedule": crontab(hour=7, minute=0)},
    # 民诉法 2023 art. 118: detentions whose term ends today or has ended and whose release is not recorded.
    "enforcement-coercion-detention-ends": {
        "task": "enforcement.tasks.coercion_detention_ends",
        "schedule": crontab(hour=7, minute=30),
    },
    # 悬赏公告: reward notices past their last day leave the public pages.
    "enforcement-rewards-expire": {
        "task": "enforcement.tasks.rewards_expire_due",
        "schedule": crontab(hour=0, minute=20),
    },
}
