"""The access-control matrix: every URL of the project and every operation of the OpenAPI schema, for every
role plus anonymous, as a user of the object's own court and of another court (for agency clients: another
agency). Found by walking the URL resolver and the schema, so a new endpoint joins the matrix by itself.

What is expected comes from the capabilities (``core.roles.CAPABILITIES``) and what each view declares — a
page's ``capability`` (``core.mixins.CapabilityRequiredMixin``), an API view's permissions (``get_permissions``
evaluated for a user of each role) — never from what the view happens to answer. Refusals must be refusals:

- a role without the capability gets 401/403/404/405 (anonymous on a page: the redirect to the login page),
  for GET and for an empty POST, and the POST writes nothing;
- a user of another court (another agency) gets no 2xx on court A's objects and writes nothing;
- no 2xx that a user of court B receives names one of court A's cases or debtors (lists are scoped);
- public pages are exactly the views marked public in code (``login_not_required`` / ``AllowAny``) and are
  listed here by name, so that making a view public is a reviewed change.

Objects for the URL parameters come from ``tests/security/conftest.py`` (one of each kind, of court A); the
path segment before a parameter names its model (``segment_models()`` there, shared with the API fuzzing). A URL
whose segment is new fails with a message saying where to add it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from core.models import User
from core.roles import CAPABILITIES, Role, role_can
from tests.security.conftest import Maker, model_for

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
ROLES = [r.value for r in Role]
PRINCIPALS = [*ROLES, ANONYMOUS]
COURTS = ("own", "other")  # court A's user on court A's objects; court B's user (another agency) on them
DENIED = {401, 403, 404, 405}
PROJECT_APPS = ("core", "cases", "enforcement", "assets", "credit", "bankruptcy", "command")

# Views that anyone may open, signed in or not. Each is marked in code (``login_not_required`` on a page,
# ``AllowAny`` on an API view); this list is the review gate: a view marked public that is not named here, or
# named here and not public, fails ``test_public_views_are_exactly_the_allowlist``.
PUBLIC_URL_NAMES = frozenset(
    {
        "home",  # staff are redirected to their work; the public see the portal
        "healthz",  # load-balancer probe: reachability only, no data
        "favicon",
        "login",
        "set_language",
        "public:terminated-list",
        "public:terminated-detail",
        "public:reward-list",
        "public:reward-detail",
        "public:tip-new",
        "public:tip-thanks",
        "disclosure:dishonest-search",
        "disclosure:dishonest-detail",
        "disclosure:restricted-search",
        "disclosure:debtor-search",
        "disclosure:correction-new",
        "disclosure:correction-filed",
        "disclosure:portal",
        "api-public-terminated-list",
        "api-public-terminated-detail",
        "api-public-reward-list",
        "api-public-reward-detail",
        "api-public-tip-create",
        "api-public-case-tip-create",
        "api-public-dishonest-list",
        "api-public-restricted-list",
        "api-signing-keys",  # the courts' public keys, for checking signed documents
        "schema",  # the API's description, no data (read anonymously by tests/core/test_schema.py)
        "api-docs",
        "verify",  # checking a document's number and code
        "verify-number",
    }
)

# Views of the caller's own records, open to every signed-in user: their jobs, their messages, who they are,
# signing out. Each is scoped to ``request.user`` in its selector; the matrix proves it with the per-user
# objects (another user's job or message is "not found").
OWN_RECORDS_URL_NAMES = frozenset(
    {
        "logout",
        "otp-setup",
        "otp-verify",
        "otp-remove",
        "otp-backup-codes",
        "job-list",
        "job",
        "job-download",
        "cases:notifications",
        "cases:notifications-mine",
        "cases:notification-read",
        "api-me",
        "api-job",
        "api-notification-list",
        "api-notification-read",
    }
)


# Parameters that are not object ids.
OTHER_PARAMETERS = {"token": "not-a-token", "name": "start_investigation"}


# ---- the routes ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    route: str  # "enforcement/<int:pk>/close/"
    callback: object

    @property
    def view_class(self):
        return getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)

    @property
    def is_api(self) -> bool:
        cls = self.view_class
        return bool(cls) and issubclass(cls, APIView)

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    @property
    def parameters(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.route)

    @property
    def marked_public(self) -> bool:
        if self.is_api:
            return any(issubclass(p, AllowAny) for p in _permission_classes(self.view_class, "GET"))
        return getattr(self.callback, "login_required", True) is False


def _walk(resolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            if namespace and name:
                name = f"{namespace}:{name}"
            if not name and str(entry.pattern) == "favicon.ico":
                name = "favicon"
            yield Route(name=name, route=prefix + str(entry.pattern), callback=entry.callback)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver()))


def site_routes() -> list[Route]:
    return [r for r in all_routes() if not r.is_admin]


def path_for(route: Route, world, maker) -> str:
    path = "/" + route.route
    for marker in re.finditer(r"<(?:(\w+):)?(\w+)>", route.route):
        converter, parameter = marker.groups()
        if converter != "int":
            value = OTHER_PARAMETERS.get(parameter, "no-such-value")
        else:
            value = maker.anchor(model_for(route.route, parameter)).pk
        path = path.replace(marker.group(0), str(value), 1)
    return path


# ---- what the declarations allow ------------------------------------------------------------------------------


def _permission_classes(view_class, method: str) -> list[type]:
    permissions, _request, _view = _permissions(view_class, method)
    return [type(p) for p in permissions]


def _permissions(view_class, method: str, user=None, auth=None):
    view = view_class()
    view.args, view.kwargs, view.format_kwarg = (), {}, None
    request = Request(RequestFactory().generic(method, "/"))
    request.user = user or AnonymousUser()
    request.auth = auth
    view.request = request
    return view.get_permissions(), request, view


def _stub_user(role: str) -> User:
    return User(username=f"stub-{role}", role=role, is_active=True)


def allowed(route: Route, method: str, role: str) -> bool:
    """Whether ``role``'s capabilities let it past the view's declared permission (objects aside)."""
    if route.name in PUBLIC_URL_NAMES:
        return True
    if role == ANONYMOUS:
        return False
    if route.name in OWN_RECORDS_URL_NAMES:
        return True
    cls = route.view_class
    if route.is_api:
        auth = SimpleNamespace(scopes=["agency"]) if role == Role.AGENCY else None
        perms, request, view = _permissions(cls, method, _stub_user(role), auth)
        return all(p.has_permission(request, view) for p in perms)
    capability = getattr(cls, "capability", None)
    if not capability:
        return False
    from command.views_division import OnSiteAccessMixin

    if issubclass(cls, OnSiteAccessMixin) and method == "GET":
        return role_can(role, capability) or role_can(role, "command.division")
    return role_can(role, capability)


def declared_permission(route: Route) -> str:
    """What the view declares, for the explicit-permission test ("" when nothing beyond signing in)."""
    cls = route.view_class
    if route.is_api:
        names = set()
        for method in ("GET", "POST"):
            for p in _permission_classes(cls, method):
                if p not in (AllowAny, IsAuthenticated):
                    names.add(p.__name__)
        return ",".join(sorted(names))
    return getattr(cls, "capability", None) or "" if cls else ""


METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def methods_of(route: Route) -> list[str]:
    """The methods the view handles (a superset of the schema's operations on it, checked below)."""
    cls = route.view_class
    if cls is None:
        return ["GET", "POST"]
    names = [m.upper() for m in getattr(cls, "http_method_names", ()) if hasattr(cls, m)]
    return [m for m in METHODS if m in names] or ["GET"]


# ---- the clients --------------------------------------------------------------------------------------------


class Principals:
    """One client per user, signed in once for the module."""

    def __init__(self, world):
        self.world = world
        self.clients: dict[tuple[str, str], Client] = {}
        for court, users in (("own", world.users_a), ("other", world.users_b)):
            for role, user in users.items():
                client = Client()
                if role == Role.AGENCY:
                    client.defaults["HTTP_AUTHORIZATION"] = f"Api-Key {world.keys[user.pk]}"
                else:
                    client.force_login(user)
                self.clients[(role, court)] = client
        self.clients[(ANONYMOUS, "own")] = Client()

    def combos(self):
        for role in PRINCIPALS:
            for court in COURTS if role != ANONYMOUS else ("own",):
                yield role, court, self.clients[(role, court)]


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
    }


def is_login_redirect(response) -> bool:
    """Sent to sign in (or to the second factor): a refusal, whoever asked."""
    location = response.get("Location", "")
    return response.status_code == 302 and ("/accounts/login/" in location or "/account/otp/" in location)


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    try:
        return response.content.decode(errors="replace")
    except AttributeError:
        return ""


# ---- the module's state -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def matrix(world, django_db_blocker, tmp_path_factory):
    from django.test import override_settings

    media_root = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        maker = Maker(world)
        paths, errors = {}, {}
        for route in site_routes():  # every object is written here, outside the tests' own transactions
            try:
                with transaction.atomic():
                    paths[route] = path_for(route, world, maker)
            except Exception as error:
                errors[route] = error
        principals = Principals(world)
    return SimpleNamespace(
        world=world, maker=maker, principals=principals, paths=paths, errors=errors, media_root=media_root
    )


@pytest.fixture(scope="module")
def findings():
    """Every unexpected answer of the module, summed up at the end (the figures of the report)."""
    found = {"requests": 0, "cells": Counter(), "unexpected_2xx": [], "unexpected": []}
    yield found
    routes = {cell[0] for cell in found["cells"]}
    print(
        f"\naccess matrix: {len(routes)} URLs × {len(PRINCIPALS)} principals × {len(COURTS)} courts → "
        f"{found['requests']} requests ({len(found['cells'])} cells); "
        f"{len(found['unexpected_2xx'])} unexpected 2xx, {len(found['unexpected'])} other unexpected answers; "
        f"{found.get('lists', 0)} lists checked, court A's users saw {found.get('rows_seen_by_a', 0)} rows there"
    )


ROUTES = site_routes()


def object_parameters(route: Route) -> list[str]:
    return re.findall(r"<int:(\w+)>", route.route)


def _check(route, path, method, matrix, findings) -> list[str]:
    problems = []
    public = route.name in PUBLIC_URL_NAMES
    takes_objects = bool(object_parameters(route))
    for role, court, client in matrix.principals.combos():
        may = allowed(route, method, role)
        if method in UNSAFE and (public or (may and (court == "own" or not takes_objects))):
            continue  # a write that may succeed for real (or court B's user creating in court B): not exercised
        response = client.generic(method, path)
        findings["requests"] += 1
        findings["cells"][(route.name, method, role, court)] = response.status_code
        status = response.status_code
        cell = f"{method} {path} as {role}/{court}: {status}"
        if not may:
            if not (status in DENIED or is_login_redirect(response)):
                problems.append(cell)
                (findings["unexpected_2xx"] if 200 <= status < 300 else findings["unexpected"]).append(cell)
        elif court == "other" and takes_objects and not public and 200 <= status < 300:
            problems.append(cell + " (another court's object)")
            findings["unexpected_2xx"].append(cell)
        elif court == "other" and not public and 200 <= status < 300 and method == "GET":
            leaked = [m for m in matrix.world.markers if m in body_of(response)]
            if leaked:
                problems.append(cell + f" shows court A's {leaked}")
                findings["unexpected_2xx"].append(cell)
        if status >= 500:
            problems.append(cell + " (server error)")
            findings["unexpected"].append(cell)
    return problems


@pytest.mark.parametrize("route", ROUTES, ids=[r.name or r.route for r in ROUTES])
def test_no_role_gets_past_a_permission_it_does_not_hold(route, matrix, findings, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}
    methods = methods_of(route)
    if route in matrix.errors:
        raise matrix.errors[route]
    path = matrix.paths[route]
    settings.MEDIA_ROOT = matrix.media_root
    problems = _check(route, path, "GET", matrix, findings) if "GET" in methods else []
    unsafe = [m for m in methods if m in UNSAFE]
    if unsafe:
        before = row_counts()
        for method in unsafe:
            problems += _check(route, path, method, matrix, findings)
        after = row_counts()
        written = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        assert not written, f"refused {unsafe} to {route.route} wrote rows: {written}"
    assert not problems, "\n".join(problems)


# ---- what every view declares ---------------------------------------------------------------------------------


def test_public_views_are_exactly_the_allowlist():
    marked = {r.name for r in ROUTES if r.marked_public}
    assert marked - PUBLIC_URL_NAMES == set(), "views marked public but not reviewed into PUBLIC_URL_NAMES"
    assert PUBLIC_URL_NAMES - marked == set(), "names in PUBLIC_URL_NAMES that are not public (or gone)"


def test_every_view_declares_a_capability_or_is_allowlisted():
    bare = [
        f"{r.route} ({r.name})"
        for r in ROUTES
        if r.name not in PUBLIC_URL_NAMES | OWN_RECORDS_URL_NAMES and not declared_permission(r)
    ]
    assert bare == [], "views with no capability or permission beyond signing in"


def test_every_declared_capability_exists():
    named = {getattr(r.view_class, "capability", None) for r in ROUTES if r.view_class and not r.is_api}
    assert {c for c in named if c} - set(CAPABILITIES) == set()


def test_every_route_has_a_name_so_that_the_allowlists_can_name_it():
    assert [r.route for r in ROUTES if not r.name] == []


@pytest.fixture(scope="module")
def schema_operations():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, method.upper()) for path, item in schema["paths"].items() for method in item if method != "parameters"
    ]


def test_every_operation_of_the_schema_is_in_the_matrix(schema_operations):
    by_route = {r.route: r for r in ROUTES}
    missing = []
    for path, method in schema_operations:
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        match = resolve(concrete)
        route = by_route.get(match.route)
        if route is None or method not in methods_of(route):
            missing.append(f"{method} {path}")
    assert missing == []
    assert len(schema_operations) > 150


# ---- lists ----------------------------------------------------------------------------------------------------

# Lists of reference data, the same for every court.
SHARED_LISTS = frozenset({"api-court-list"})


def _rows(response) -> list | None:
    if response.get("Content-Type", "").split(";")[0] != "application/json":
        return None
    data = response.json()
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return data["results"]
    return data if isinstance(data, list) else None


# public and reference lists are the same for everyone: not court-scoped, so not asked here
LIST_ROUTES = [
    r
    for r in ROUTES
    if r.is_api and not r.parameters and "GET" in methods_of(r) and r.name not in PUBLIC_URL_NAMES | SHARED_LISTS
]


@pytest.mark.parametrize("route", LIST_ROUTES, ids=[r.name for r in LIST_ROUTES])
def test_a_list_shows_a_user_of_another_court_none_of_court_a_s_rows(route, matrix, findings, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}
    seen_by_a, leaks = 0, []
    for role in ROLES:
        if not allowed(route, "GET", role):
            continue
        own = _rows(matrix.principals.clients[(role, "own")].get(matrix.paths[route]))
        other = _rows(matrix.principals.clients[(role, "other")].get(matrix.paths[route]))
        seen_by_a += len(own or [])
        if other:
            leaks.append(f"{role} of court B (or agency B) sees {len(other)} row(s): {other[:1]}")
    assert leaks == []
    findings["lists"] = findings.get("lists", 0) + 1
    findings["rows_seen_by_a"] = findings.get("rows_seen_by_a", 0) + seen_by_a


# ---- the admin site: court administrators only ----------------------------------------------------------------

ADMIN_ROUTES = [r for r in all_routes() if r.is_admin]


def admin_paths(matrix) -> list[str]:
    """The admin index, each app index and each model's changelist, add page and court A's object's pages."""
    from django.contrib import admin

    paths = ["/admin/"]
    for model in admin.site._registry:
        meta = model._meta
        base = f"/admin/{meta.app_label}/{meta.model_name}/"
        paths += [f"/admin/{meta.app_label}/", base, base + "add/"]
        obj = model._base_manager.order_by("pk").first()
        if obj is not None:
            paths += [f"{base}{obj.pk}/change/", f"{base}{obj.pk}/delete/"]
    return sorted(set(paths))


def test_the_admin_site_is_closed_to_every_role_without_staff_status(matrix, findings):
    assert ADMIN_ROUTES, "the admin site is mounted"
    opened = []
    for path in admin_paths(matrix):
        for role, court, client in matrix.principals.combos():
            if court == "other":
                continue  # without staff status the court makes no difference: the admin lets nobody in
            for method in ("GET", "POST") if path.endswith("/delete/") else ("GET",):
                response = client.generic(method, path)
                findings["requests"] += 1
                if 200 <= response.status_code < 300:
                    opened.append(f"{method} {path} as {role}/{court}: {response.status_code}")
                    findings["unexpected_2xx"].append(opened[-1])
                elif response.status_code == 302:
                    assert "/admin/login/" in response["Location"] or is_login_redirect(response), path
    assert opened == []


# Models the admin shows to every court administrator alike: reference data and machinery, no court's records.
SHARED_ADMIN_MODELS = frozenset(
    {
        "assets.Agency",
        "auth.Group",
        "axes.AccessAttempt",
        "axes.AccessFailureLog",
        "axes.AccessLog",
        "core.ApiCredential",
        "core.CalendarDay",
        "credit.FeedSubscription",
        "django_celery_beat.ClockedSchedule",
        "django_celery_beat.CrontabSchedule",
        "django_celery_beat.IntervalSchedule",
        "django_celery_beat.PeriodicTask",
        "django_celery_beat.SolarSchedule",
    }
)


def test_every_model_in_the_admin_is_scoped_to_the_court_or_reviewed_as_shared():
    from django.contrib import admin

    from core.admin_site import CourtScopedAdmin, court_lookup

    assert all(isinstance(model_admin, CourtScopedAdmin) for model_admin in admin.site._registry.values())
    shared = {model._meta.label for model in admin.site._registry if court_lookup(model) is None}
    assert shared == SHARED_ADMIN_MODELS


@pytest.fixture
def staff_admin_of_court_b(matrix):
    from django.contrib.auth.models import Permission

    admin_b = matrix.world.users_b[Role.COURT_ADMIN]
    admin_b.is_staff = True
    admin_b.save(update_fields=["is_staff"])
    admin_b.user_permissions.set(Permission.objects.all())
    client = Client()
    client.force_login(admin_b)
    return client


def test_a_court_administrator_of_another_court_opens_none_of_court_a_s_rows_in_the_admin(
    matrix, staff_admin_of_court_b, findings
):
    from django.contrib import admin

    from core.admin_site import court_lookup

    opened = []
    for model in admin.site._registry:
        if court_lookup(model) is None:
            continue
        meta = model._meta
        base = f"/admin/{meta.app_label}/{meta.model_name}/"
        listing = staff_admin_of_court_b.get(base)
        findings["requests"] += 1
        leaked = [m for m in matrix.world.markers if m in body_of(listing)]
        if leaked:
            opened.append(f"{base} lists court A's {leaked}")
        for obj in model._base_manager.all()[:3]:
            if not obj_of_court_a(obj, model, matrix.world):
                continue
            for page in ("change/", "history/", "delete/"):
                response = staff_admin_of_court_b.get(f"{base}{obj.pk}/{page}")
                findings["requests"] += 1
                if response.status_code == 200:
                    opened.append(f"{base}{obj.pk}/{page}: 200")
                    findings["unexpected_2xx"].append(opened[-1])
    assert opened == []


def obj_of_court_a(obj, model, world) -> bool:
    from django.db.models import Q

    from core.admin_site import court_lookup

    lookup = court_lookup(model)
    lookups = (lookup,) if isinstance(lookup, str) else lookup
    condition = Q()
    for path in lookups:
        condition |= Q(**{path: world.court_a.pk})
    return model._base_manager.filter(condition, pk=obj.pk).exists()


def test_a_court_administrator_sees_their_own_court_s_rows_in_the_admin(matrix, staff_admin_of_court_b):
    world = matrix.world
    admin_a = world.users_a[Role.COURT_ADMIN]
    admin_a.is_staff = True
    admin_a.save(update_fields=["is_staff"])
    from django.contrib.auth.models import Permission

    admin_a.user_permissions.set(Permission.objects.all())
    client = Client()
    client.force_login(admin_a)
    response = client.get(f"/admin/enforcement/enforcementcase/{world.enforcement_case.pk}/change/")
    assert response.status_code == 200


def test_a_court_administrator_cannot_make_anyone_a_superuser(matrix, staff_admin_of_court_b):
    world = matrix.world
    clerk_b = world.users_b[Role.CLERK]
    response = staff_admin_of_court_b.get(f"/admin/core/user/{clerk_b.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "user_permissions" not in form.fields
    assert staff_admin_of_court_b.get(f"/admin/core/user/{world.users_a[Role.CLERK].pk}/change/").status_code == 302
