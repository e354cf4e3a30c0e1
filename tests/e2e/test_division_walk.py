# ruff: noqa: F811 - the fixture imported from test_division is a parameter of the test
"""In headless Chromium: the division head opens the command view of his court (workload, unassigned and overdue
cases, control measures, on-site tasks with the debtor's risks in red), plans an on-site task and records its
outcome."""

import datetime as dt

import pytest
from django.utils import timezone

from assets.choices import AgencyKind, AssetCategory, ControlKind, ControlStatus
from assets.models import Asset, ControlMeasure
from command.models import OnSiteTask
from command.services import plan_onsite_task, record_risk_note
from tests.assets.builders import make_agency
from tests.command.test_division import division_world  # noqa: F401 - fixture
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_division_head_plans_an_onsite_task_and_records_its_outcome(
    live_server, browser_page, shot, division_world
):
    w = division_world
    ec = w.cases["overdue"]
    debtor = ec.case.party_links.get(role="debtor").party
    record_risk_note(actor=w.li, enforcement_case=ec, party=debtor, kind="dog", note="院内两条大型犬，未拴养")
    bank, _key = make_agency("walk-bank", kind=AgencyKind.BANK, categories=[AssetCategory.DEPOSIT])
    today = timezone.localdate()
    for n, expires_in in enumerate((4, 21, 150)):
        asset = Asset.objects.create(
            case=ec.case, debtor=debtor, category=AssetCategory.DEPOSIT, agency=bank, identifier=f"62220000{n}"
        )
        ControlMeasure.objects.create(
            enforcement_case=ec, asset=asset, kind=ControlKind.FREEZE, status=ControlStatus.ACTIVE,
            starts_on=today - dt.timedelta(days=300), expires_on=today + dt.timedelta(days=expires_in),
        )  # fmt: skip
    page = browser_page
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", w.head.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/command/division/")
    workload = page.locator("#workload-table").inner_text()
    assert "李执行" in workload and "王法官" in workload
    assert page.locator("#overdue-table tbody tr").count() == 2
    assert page.locator("#division-assign input[name=cases]").count() == 2

    when = timezone.localtime(timezone.now() + dt.timedelta(days=1)).replace(hour=9, minute=30)
    form = page.locator("#onsite-plan-form")
    form.locator("[name=plan-case_number]").fill(ec.case.number)
    form.locator("[name=plan-purpose]").select_option("seizure")
    form.locator("[name=plan-scheduled_at]").fill(when.strftime("%Y-%m-%dT%H:%M"))
    form.locator("[name=plan-address]").fill("北京市朝阳区某小区3号楼2单元501室")
    form.locator(f"[name=plan-officers][value='{w.li.pk}']").check()
    form.locator(f"[name=plan-officers][value='{w.wang.pk}']").check()
    form.locator("[name=plan-notes]").fill("提前联系社区民警协助控制犬只。")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    task = OnSiteTask.objects.get()
    card = page.locator(f"#task-{task.pk}")
    assert card.locator("[data-risk=dog]").count() == 1  # the debtor's risk, in red, on the task
    assert timezone.localtime(task.scheduled_at).strftime("%Y-%m-%d %H:%M") == when.strftime("%Y-%m-%d %H:%M")

    card.locator("details[data-details=outcome] summary").click()
    outcome = card.locator("form[data-form=outcome]")
    outcome.locator(f"[name=done{task.pk}-outcome]").select_option("completed")
    outcome.locator(f"[name=done{task.pk}-outcome_notes]").fill("查封被执行人名下车辆一辆，张贴封条。")
    outcome.locator("button[type=submit]").click()
    page.wait_for_load_state()
    task.refresh_from_db()
    assert (task.status, task.outcome) == ("done", "completed")
    assert "查封被执行人名下车辆一辆" in page.locator("#onsite").inner_text()
    assert page.console_errors == []
    plan_onsite_task(
        actor=w.li, enforcement_case=w.cases["due"], purpose="service", address="北京市朝阳区某路8号",
        scheduled_at=timezone.now() + dt.timedelta(days=2), officers=[w.li],
    )  # fmt: skip
    page.goto(f"{live_server.url}/command/division/")
    assert page.locator("#measures-table tbody[data-band='7'] tr").count() == 2  # the band's head and one measure
    shot(page, "command-division")
