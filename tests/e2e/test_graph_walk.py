# ruff: noqa: F811 - the fixture imported from test_graph is a parameter of the test
"""In headless Chromium: an officer opens the relation graph of a debtor (relations, a transfer clue, a case at
another court, assets), sees it drawn with ECharts and its tables, and clicks a node to land on its page."""

import pytest

from tests.command.test_graph import world  # noqa: F401 - fixture
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where ECharts laid out a node, in page pixels (the force layout runs at once: layoutAnimation is off).
NODE_POSITION = """([element, id]) => {
  const chart = window.echarts.getInstanceByDom(element);
  const data = chart.getModel().getSeriesByIndex(0).getData();
  let index = -1;
  for (let i = 0; i < data.count(); i++) { if (data.getId(i) === id) { index = i; } }
  const [x, y] = data.getItemLayout(index);
  const [px, py] = chart.convertToPixel({ seriesIndex: 0 }, [x, y]);
  const box = element.getBoundingClientRect();
  return { x: box.left + px, y: box.top + py };
}"""


def test_the_officer_opens_a_debtors_graph_and_clicks_a_case_node(live_server, browser_page, shot, world):
    world.officer.set_password(PASSWORD)
    world.officer.save()
    page = browser_page
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", world.officer.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/command/graph/{world.debtor.pk}/")
    page.wait_for_selector("#debtor-graph[data-graph-drawn='true']")
    assert page.locator("#debtor-graph canvas").count() == 1
    assert "张三" in page.title()
    cases = page.locator("#graph-cases").inner_text()
    assert world.lawsuit.number in cases and "北京市海淀区人民法院" in cases
    clues = page.locator("#graph-clues").inner_text()
    assert "张三 → 李四" in clues and "张三 → 北京某某贸易有限公司" in clues
    assert page.locator("#graph-relations tr.table-danger").count() == 2
    assert page.console_errors == []
    page.wait_for_timeout(300)  # let the entry animation finish before the screenshot
    shot(page, "graph-debtor")

    element = page.locator("#debtor-graph").element_handle()
    position = page.evaluate(NODE_POSITION, [element, f"case-{world.case.pk}"])
    # on the node once its tooltip names it (on a loaded machine the entry animation may still be running)
    page.mouse.move(position["x"], position["y"])
    page.locator("#debtor-graph").get_by_text(world.case.number).first.wait_for()
    page.mouse.click(position["x"], position["y"])
    page.wait_for_url(f"{live_server.url}/enforcement/{world.ec.pk}/")
    assert world.case.number in page.locator("h1").inner_text()
