"""The Content-Security-Policy (django-csp, config/settings.py): every page carries it, scripts come only from our
own files, and no template holds what the policy would refuse (inline <script>, on*= handlers, javascript: URLs,
hx-on, inline styles). The walk follows the links and htmx panels of the demo's pages as each role sees them, so a
new page is checked without being listed here."""

import base64
import hashlib
import html
import json
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from core.models import User

ROOT = Path(django_settings.BASE_DIR)
TEMPLATE_DIRS = [Path(d) for d in django_settings.TEMPLATES[0]["DIRS"]]

# What the policy refuses, as it would appear in a template or a rendered page.
TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.S)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I | re.S)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.I)
HX_ON = re.compile(r"\shx-on(?::|-|\s*=)", re.I)
HX_JS_VALUES = re.compile(r"""\shx-(?:vals|vars)\s*=\s*["']\s*(?:js|javascript):""", re.I)
HX_TRIGGER_FILTER = re.compile(r"""\shx-trigger\s*=\s*["'][^"']*\[""", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
# Django template tags and comments may hold ">" and quotes: blank them before looking at the HTML tags.
TEMPLATE_SYNTAX = re.compile(r"{%.*?%}|{#.*?#}|{{.*?}}", re.S)
COMMENT_BLOCK = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)


def policy_violations(text: str) -> list[str]:
    """What in an HTML text (a template or a rendered page) the Content-Security-Policy would refuse."""
    found = []
    for match in SCRIPT_TAG.finditer(text):
        attributes = match.group(1)
        if "src=" not in attributes and not re.search(r"""type\s*=\s*["']application/json["']""", attributes):
            found.append(f"inline <script>: {match.group(0).strip()[:80]}")
    if STYLE_ELEMENT.search(text):
        found.append("inline <style> element")
    for tag in TAG.findall(text):
        for name, rule in (
            ("on*= event handler", INLINE_HANDLER),
            ("style= attribute", STYLE_ATTRIBUTE),
            ("javascript: URL", JAVASCRIPT_URL),
            ("hx-on (eval)", HX_ON),
            ("hx-vals/hx-vars js: (eval)", HX_JS_VALUES),
            ("hx-trigger [filter] (eval)", HX_TRIGGER_FILTER),
        ):
            if rule.search(tag):
                found.append(f"{name}: {' '.join(tag.split())[:120]}")
    return found


def template_violations(path: Path) -> list[str]:
    source = COMMENT_BLOCK.sub("", path.read_text(encoding="utf-8"))
    return policy_violations(TEMPLATE_SYNTAX.sub("", source))


def parse_policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


# --- the templates -------------------------------------------------------------------------------------------------


def test_no_template_holds_an_inline_script_a_handler_or_an_inline_style():
    offenders = [
        f"{path.relative_to(ROOT)}: {problem}"
        for directory in TEMPLATE_DIRS
        for path in sorted(directory.rglob("*.html"))
        for problem in template_violations(path)
    ]
    assert offenders == [], "The Content-Security-Policy would refuse these (move them to static/js/):\n" + "\n".join(
        offenders
    )


def test_no_script_of_ours_evaluates_strings_or_writes_style_attributes():
    rules = {
        "eval": re.compile(r"\beval\s*\("),
        "new Function": re.compile(r"\bnew\s+Function\b"),
        "setTimeout/setInterval with a string": re.compile(r"\bset(?:Timeout|Interval)\s*\(\s*[\"']"),
        "a style attribute": re.compile(r"""setAttribute\(\s*["']style["']|style=\\?["']"""),
    }
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "static" / "js").rglob("*.js"))
        for name, rule in rules.items()
        if rule.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<button onclick="go()">',
        '<a href="javascript:go()">',
        '<div hx-on:click="go()">',
        '<div hx-on="click: go()">',
        "<div hx-vals='js:{a: 1}'>",
        '<div hx-trigger="click[ctrlKey]">',
        '<div style="color: red">',
        "<style>p {}</style>",
    ],
)
def test_the_template_check_catches(snippet):
    assert policy_violations(snippet) != []


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="/static/js/app.js" defer></script>',
        '<script id="chart-data" type="application/json">{"a": 1}</script>',
        '<div hx-get="/x/" hx-trigger="load" hx-swap="outerHTML">',
        '<div hx-trigger="every 2s">',
        '<p data-confirm="Are you sure? Click on=yes">',
        "<p>Based on the ruling</p>",
    ],
)
def test_the_template_check_lets_through(snippet):
    assert policy_violations(snippet) == []


# --- the header, page by page --------------------------------------------------------------------------------------


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # seed_demo runs on a development instance only
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the command's chatter is not the test's
    settings.DEBUG = False
    User.objects.create_superuser("csp-root", password="not-used-here-1234")


# Not pages: files, machine endpoints, and the language switch and logout (POST only).
SKIPPED_PREFIXES = ("/static/", "/media/", "/api/v1/", "/api/schema/", "/i18n/", "/accounts/logout/", "/healthz")
SKIPPED_VIEWS = ("download", "docx")
PER_VIEW = 2  # URLs fetched per view and role (each list's filters and pages would otherwise be walked one by one)
LINK = re.compile(r"""\s(href|hx-get)\s*=\s*["'](/[^"'#]*)""")
START = {
    None: [
        "/accounts/login/",
        "/admin/login/",
        "/public/dishonest/",
        "/public/portal/",
        "/public/terminated-cases/",
        "/public/reward-notices/",
        "/public/tip-offs/new/",
        "/public/corrections/new/",
        "/api/docs/",
        "/no-such-page/",
    ],
    "demo-officer": ["/command/workspace/", "/enforcement/", "/command/statistics/"],
    "demo-head": ["/command/division/", "/enforcement/"],
    "demo-clerk": ["/cases/", "/cases/new/"],
    "demo-judge": ["/cases/", "/enforcement/"],
    "demo-admin": ["/audit/", "/credit/listings/"],
    "csp-root": ["/admin/"],
}


@dataclass
class Walk:
    """Follows every link and htmx panel from a role's start pages, fetching at most PER_VIEW URLs of each view for
    each role (a page shows each role its own buttons and panels)."""

    fetched: Counter = field(default_factory=Counter)  # view name -> URLs fetched, all roles together
    problems: list[str] = field(default_factory=list)

    def run(self, client: Client, start: list[str]) -> None:
        fetched: Counter = Counter()
        queue = deque((url, False) for url in start)
        queued = set(start)
        while queue:
            url, htmx = queue.popleft()
            view = view_name(url)
            if fetched[view] >= PER_VIEW or any(word in view for word in SKIPPED_VIEWS):
                continue
            fetched[view] += 1
            self.fetched[view] += 1
            response = client.get(url, headers={"HX-Request": "true"} if htmx else {})
            self.check(url, response)
            if response.status_code in (301, 302):
                links = [(response.headers["Location"], False)]
            elif response.headers.get("Content-Type", "").startswith("text/html"):
                page = response.content.decode()
                links = [(html.unescape(link), attribute == "hx-get") for attribute, link in LINK.findall(page)]
            else:
                links = []
            for link, is_panel in links:
                if link.startswith("/") and not link.startswith(SKIPPED_PREFIXES) and link not in queued:
                    queued.add(link)
                    queue.append((link, is_panel))

    def check(self, url: str, response) -> None:
        header = response.headers.get("Content-Security-Policy")
        if header is None:
            self.problems.append(f"{url} ({response.status_code}): no Content-Security-Policy header")
            return
        policy = parse_policy(header)
        if policy.get("script-src") != ["'self'"]:
            self.problems.append(f"{url}: script-src is {policy.get('script-src')}")
        if "'unsafe-inline'" in policy.get("style-src", []) or "'unsafe-eval'" in header:
            self.problems.append(f"{url}: the policy allows inline styles or eval: {header}")
        # Swagger UI's page has its own rules: test_the_api_docs_load_their_script_and_allow_only_their_style
        if response.headers.get("Content-Type", "").startswith("text/html") and view_name(url) != "api-docs":
            self.problems += [f"{url}: {problem}" for problem in policy_violations(response.content.decode())]


def view_name(url: str) -> str:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return "404"


@pytest.mark.django_db
def test_every_page_the_demo_roles_reach_carries_the_policy_and_nothing_it_refuses(demo):
    walk = Walk()
    for username, start in START.items():
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        walk.run(client, start)
    assert walk.problems == []
    for view in (
        "login",
        "admin:login",
        "admin:index",
        "command:workspace",
        "command:division",
        "command:statistics",
        "command:graph",
        "cases:list",
        "cases:detail",
        "cases:party",
        "enforcement:list",
        "enforcement:detail",
        "assets:query-progress",
        "credit:case-listings",
        "public:terminated-list",
        "public:reward-list",
        "disclosure:dishonest-search",
        "disclosure:portal",
        "bankruptcy:index",
        "api-docs",
        "404",
    ):
        assert walk.fetched[view], f"the walk never reached {view}"
    assert len(walk.fetched) >= 60, sorted(walk.fetched)


# The policy's rule, not a copy of the setting: our own origin only, images also as data: URLs, no framing and
# no plugins.
OWN_ORIGIN_ONLY = ("default-src", "script-src", "style-src", "font-src", "connect-src", "form-action", "base-uri")


@pytest.mark.django_db
def test_the_policy_served_is_the_setting_and_allows_only_our_own_origin(client):
    policy = parse_policy(client.get("/accounts/login/").headers["Content-Security-Policy"])
    assert policy == django_settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert policy == {
        **dict.fromkeys(OWN_ORIGIN_ONLY, ["'self'"]),
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
    }


@pytest.mark.django_db
def test_htmx_is_configured_to_write_no_inline_style(client):
    """htmx would add a <style> for its indicators, and copy the old element's style attribute onto a swapped-in
    one while it settles (a setAttribute("style")): both are refused by style-src 'self'. It does not eval."""
    page = client.get("/accounts/login/").content.decode()
    meta = re.search(r'<meta name="htmx-config"\s+content="([^"]*)"', page)
    config = json.loads(html.unescape(meta.group(1)))
    assert config["includeIndicatorStyles"] is False
    assert "style" not in config["attributesToSettle"]
    assert config["allowEval"] is False  # script-src has no 'unsafe-eval': hx-on, js: values and [filters] can't run


@pytest.mark.django_db
def test_the_api_docs_load_their_script_and_allow_only_their_style(admin_client):
    response = admin_client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    scripts = SCRIPT_TAG.findall(page)
    assert scripts and all("src=" in attributes for attributes in scripts)
    assert '<script src="/api/docs/?script="></script>' in page
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    policy = parse_policy(response.headers["Content-Security-Policy"])
    assert policy["style-src"] == ["'self'", f"'sha256-{digest}'"]
    assert policy["script-src"] == ["'self'"]

    script = admin_client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script.headers["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
