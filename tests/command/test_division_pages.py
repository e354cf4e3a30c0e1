# ruff: noqa: F811 - the fixture imported from test_division is a parameter of the tests
"""The division command page (command:division): the sections with their links, who may open it, the court filter,
the overdue export, the bulk-assignment form that posts exactly what enforcement:assign expects, and planning and
completing an on-site task from the page."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from command.models import OnSiteTask, RiskNote
from command.services import plan_onsite_task, record_risk_note
from enforcement.models import EnforcementCase
from tests.command.test_division import division_world  # noqa: F401 - fixture
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/command/division/"


def local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_the_division_head_sees_every_section_with_its_links(client_as, division_world):
    w = division_world
    response = client_as(w.head).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for section in ("workload", "unassigned", "overdue", "measures", "onsite"):
        assert f'id="{section}"' in html
    assert f"/enforcement/?scope=court&amp;officer={w.li.pk}" in html
    assert f"/command/statistics/?officer={w.li.pk}" in html
    assert [o.username for o in response.context["officers"]] == ["head", "li", "wang"]
    assert [ec.pk for ec in response.context["overdue_cases"]] == [w.cases["overdue"].pk, w.cases["wang_overdue"].pk]
    assert w.cases["elsewhere"].case.number not in html  # another court's case never shows
    assert 'id="onsite-plan-form"' in html


def test_the_officer_filter_narrows_the_overdue_report(client_as, division_world):
    w = division_world
    response = client_as(w.head).get(URL, {"officer": w.wang.pk, "ordering": "days"})
    assert [ec.pk for ec in response.context["overdue_cases"]] == [w.cases["wang_overdue"].pk]


def test_the_overdue_report_exports_as_csv_and_excel(client_as, division_world):
    w = division_world
    response = client_as(w.head).get(URL, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Case number", "Court", "Officer"]
    assert [(r[0], r[6]) for r in rows[1:]] == [
        (w.cases["overdue"].case.number, "10"),
        (w.cases["wang_overdue"].case.number, "1"),
    ]
    xlsx = client_as(w.head).get(URL, {"export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_only_those_who_oversee_the_division_may_open_it(client_as, division_world):
    w = division_world
    assert client_as(w.li).get(URL).status_code == 403
    president = UserFactory(president=True, court=w.court, username="president")
    response = client_as(president).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="onsite-plan-form"' not in html  # no command.onsite
    assert 'name="cases"' not in html  # no enforcement.assign: the list without the form


def test_a_court_of_someone_else_is_not_found_but_a_superuser_picks_any(client_as, division_world):
    w = division_world
    assert client_as(w.head).get(URL, {"court": "京0108"}).status_code == 404
    root = UserFactory(superuser=True, username="root")
    response = client_as(root).get(URL, {"court": "京0108"})
    assert response.status_code == 200 and response.context["court"] == w.other
    assert [ec.pk for ec in response.context["overdue_cases"]] == [w.cases["elsewhere"].pk]


def test_the_bulk_form_posts_what_enforcement_assign_expects(client_as, division_world):
    w = division_world
    client = client_as(w.head)
    html = client.get(URL).content.decode()
    form = html.split('id="division-assign"')[1].split("</form>")[0]
    assert 'action="/enforcement/assign/"' in html.split('id="division-assign"')[0][-200:]
    assert set(re.findall(r'name="([a-z_]+)"', form)) == {"csrfmiddlewaretoken", "officer", "cases"}
    assert re.findall(r'name="cases"\s+value="(\d+)"', form) == [str(w.cases["hard"].pk), str(w.cases["easy"].pk)]
    response = client.post(reverse("enforcement:assign"), {"cases": [w.cases["hard"].pk], "officer": w.li.pk})
    assert response.status_code == 302
    assert EnforcementCase.objects.get(pk=w.cases["hard"].pk).officer == w.li


def test_the_head_plans_a_task_on_the_page_and_records_its_outcome(client_as, division_world):
    w = division_world
    client = client_as(w.head)
    when = timezone.now() + dt.timedelta(days=2)
    response = client.post(
        URL,
        {
            "action": "plan",
            "prefix": "plan",
            "plan-case_number": w.cases["overdue"].case.number,
            "plan-purpose": "seizure",
            "plan-address": "北京市朝阳区某路1号",
            "plan-scheduled_at": local(when),
            "plan-officers": [w.li.pk, w.wang.pk],
            "plan-notes": "",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#onsite")
    task = OnSiteTask.objects.get()
    assert (task.case, set(task.officers.all())) == (w.cases["overdue"], {w.li, w.wang})
    page = client.get(URL).content.decode()
    assert f'id="task-{task.pk}"' in page
    response = client.post(
        URL,
        {
            "action": "complete",
            "task": task.pk,
            "prefix": f"done{task.pk}",
            f"done{task.pk}-outcome": "completed",
            f"done{task.pk}-outcome_notes": "查封车辆一辆。",
            f"done{task.pk}-completed_at": local(timezone.now()),
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.outcome, task.outcome_notes) == ("done", "completed", "查封车辆一辆。")


def test_a_refused_plan_shows_the_rule_and_writes_nothing(client_as, division_world):
    w = division_world
    response = client_as(w.head).post(
        URL,
        {
            "action": "plan",
            "prefix": "plan",
            "plan-case_number": w.cases["overdue"].case.number,
            "plan-purpose": "search",
            "plan-address": "北京市朝阳区某路1号",
            "plan-scheduled_at": local(timezone.now() - dt.timedelta(days=1)),
            "plan-officers": [w.li.pk, w.stranger.pk],
        },
    )
    assert response.status_code == 400
    assert "planned for a time to come" in response.content.decode()
    assert not OnSiteTask.objects.exists()
    unknown = client_as(w.head).post(
        URL,
        {
            "action": "plan",
            "prefix": "plan",
            "plan-case_number": w.cases["elsewhere"].case.number,  # a case of another court: not found here
            "plan-purpose": "search",
            "plan-address": "某地",
            "plan-scheduled_at": local(timezone.now() + dt.timedelta(days=1)),
            "plan-officers": [w.li.pk],
        },
    )
    assert unknown.status_code == 400
    assert "No open enforcement case of this court has this number." in unknown.content.decode()


def test_the_debtors_risks_show_in_red_on_the_task(client_as, division_world):
    w = division_world
    ec = w.cases["due"]
    debtor = ec.case.party_links.get(role="debtor").party
    record_risk_note(actor=w.li, enforcement_case=ec, party=debtor, kind="dog", note="两条大型犬")
    plan_onsite_task(
        actor=w.li, enforcement_case=ec, purpose="search", address="某地",
        scheduled_at=timezone.now() + dt.timedelta(hours=3), officers=[w.li],
    )  # fmt: skip
    html = client_as(w.head).get(URL).content.decode()
    task_html = html.split(f'id="task-{OnSiteTask.objects.get().pk}"')[1].split('class="border rounded')[0]
    assert 'class="badge text-bg-danger me-1 zx-risk"' in task_html and 'data-risk="dog"' in task_html
    assert RiskNote.objects.count() == 1


def test_the_page_costs_the_same_queries_whatever_the_number_of_tasks_and_officers(client_as, division_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = division_world
    client = client_as(w.head)

    def add_tasks(n):
        for i in range(n):
            officer = UserFactory(officer=True, court=w.court, username=f"more{OnSiteTask.objects.count()}-{i}")
            ec = w.cases["due"]
            debtor = ec.case.party_links.get(role="debtor").party
            record_risk_note(actor=w.li, enforcement_case=ec, party=debtor, kind="dog")
            plan_onsite_task(
                actor=w.li, enforcement_case=ec, purpose="search", address="某地",
                scheduled_at=timezone.now() + dt.timedelta(hours=3 + i), officers=[w.li, officer],
            )  # fmt: skip

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    add_tasks(1)
    few = queries()
    add_tasks(4)
    assert queries() == few
