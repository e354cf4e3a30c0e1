"""In headless Chromium, on the demo data, under the Content-Security-Policy (script-src 'self', style-src 'self'):
the officer walks his workspace, the case lists, an enforcement case page whose htmx panels load (and one answers a
refused form), a litigation case with its relation graph, the debtor's graph and the statistics (ECharts, with their
tooltips shown), the API docs and the public pages. The browser reports no violation of the policy on the way."""

import pytest

from enforcement.models import EnforcementCase
from tests.e2e.conftest import graph_debtor, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where ECharts drew the first items of a chart's first series, in page pixels (to hover them: tooltips are HTML
# or canvas depending on the chart, and an HTML tooltip with style="…" would be refused).
ITEM_POSITIONS = """(element) => {
  const chart = window.echarts.getInstanceByDom(element);
  const data = chart.getModel().getSeriesByIndex(0).getData();
  const box = element.getBoundingClientRect();
  const out = [];
  for (let i = 0; i < Math.min(data.count(), 5); i++) {
    const layout = data.getItemLayout(i);
    if (Array.isArray(layout)) {
      const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, layout);
      out.push({ x: box.left + x, y: box.top + y });
    }
  }
  return out;
}"""
# Every violation the page reports, whether or not it reaches the console (added before any page script runs).
LISTEN = """document.addEventListener("securitypolicyviolation", (event) => {
  (window.cspViolations = window.cspViolations || []).push(event.violatedDirective + " " + event.blockedURI);
});"""


class Watch:
    """Collects the policy violations of a page: the console's messages and the securitypolicyviolation events."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        self.events: list[str] = []
        page.add_init_script(LISTEN)
        page.on("console", self.on_console)

    def on_console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(f"{self.page.url}: {message.text}")

    def collect(self) -> None:
        found = self.page.evaluate("window.cspViolations || []")
        self.events += [f"{self.page.url}: {violation}" for violation in found]
        self.page.evaluate("window.cspViolations = []")

    def visit(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        self.collect()

    def hover_chart(self, selector: str) -> None:
        element = self.page.locator(selector)
        element.scroll_into_view_if_needed()
        box = element.bounding_box()
        points = self.page.evaluate(ITEM_POSITIONS, element.element_handle())
        points += [{"x": box["x"] + box["width"] * f, "y": box["y"] + box["height"] * 0.5} for f in (0.3, 0.5, 0.7)]
        for point in points:
            self.page.mouse.move(point["x"], point["y"])
            self.page.wait_for_timeout(150)
        self.collect()


def test_the_pages_work_under_the_policy_and_the_browser_reports_no_violation(live_server, browser_page, demo):
    page = browser_page
    base = live_server.url
    watch = Watch(page)
    response = page.goto(base + "/accounts/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # the watch is not blind: an inline script added to the page is refused, and both channels report it
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = '1'; document.body.append(s); }")
    page.wait_for_timeout(200)
    watch.collect()
    assert len(watch.events) == 1 and "script-src" in watch.events[0]
    assert len(watch.console) == 1
    watch.events.clear()
    watch.console.clear()

    sign_in(page, base, "demo-officer")
    assert page.url.endswith("/command/workspace/")
    page.locator("#workspace-counts").wait_for()
    page.wait_for_load_state("networkidle")
    watch.collect()

    # the lists; the bell's dropdown and the language menu are Bootstrap's (Popper sets styles through the CSSOM)
    watch.visit(base + "/enforcement/")
    watch.visit(base + "/cases/")
    page.locator(".zx-navbar .dropdown-toggle").first.click()
    watch.collect()

    # an enforcement case: every htmx panel loads in place ...
    ec = EnforcementCase.objects.select_related("case").get(case__number__contains="执35号")
    watch.visit(f"{base}/enforcement/{ec.pk}/")
    page.wait_for_function("document.querySelectorAll(\"[hx-trigger='load']\").length === 0")
    assert page.locator("#case-rewards").count() == 1
    # ... and a refused form comes back as the panel with its message (htmx swaps the 400 answer)
    publish = page.locator("#reward-publish-form")
    if publish.count():
        page.locator("#case-rewards details summary").first.click()
        publish.evaluate("form => form.setAttribute('novalidate', '')")
        with page.expect_response(lambda r: r.url.endswith(f"/enforcement/{ec.pk}/rewards/")) as answer:
            publish.locator("button[type=submit]").click()
        assert answer.value.status == 400
        page.wait_for_load_state("networkidle")
        assert page.locator("#case-rewards .invalid-feedback, #case-rewards .alert").count() >= 1
    watch.collect()

    # the litigation case with its relation graph (ECharts), its tooltips shown
    watch.visit(f"{base}/cases/{ec.case_id}/")
    if page.locator("[data-relation-graph]").count():
        page.wait_for_selector("[data-relation-graph] canvas")
        watch.hover_chart("[data-relation-graph]")

    # the debtor's graph and the statistics, tooltips shown
    debtor = graph_debtor()
    watch.visit(f"{base}/command/graph/{debtor.pk}/")
    page.wait_for_selector("[data-graph-drawn='true']")
    watch.hover_chart("[data-graph-source]")
    watch.visit(base + "/command/statistics/")
    for chart in ("months", "kinds", "agencies"):
        page.wait_for_selector(f"[data-chart='{chart}'][data-chart-drawn='true']")
        watch.hover_chart(f"[data-chart='{chart}']")

    # the API docs (Swagger UI: its init script from ?script, its one <style> by hash)
    watch.visit(base + "/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock")
    watch.collect()

    # the public pages and the admin login, signed out
    page.context.clear_cookies()
    for path in ("/public/dishonest/", "/public/terminated-cases/", "/public/reward-notices/", "/admin/login/"):
        watch.visit(base + path)

    assert watch.console == []
    assert watch.events == []
    # besides the watch's own check, the one error the console shows is the refused form's answer
    others = [e for e in page.console_errors if "status of 400" not in e and "Content Security Policy" not in e]
    assert others == []
