"""What an officer does all day, on whatever world the database holds (the generated data set, or the small one
the self-built mode generates into its throwaway database):

- the enforcement case list through the real API (open cases of the court in the working states, sorted by
  deadline, page of 50) vs. a bare DRF view returning the same 50 rows from ``.values()``, with the query count;
- the case detail page (``/enforcement/<pk>/``, rotating over the court's cases) vs. a bare view returning the
  same case's fields from one ``.values()`` query, with the query count;
- triage scoring (``enforcement.triage.triage_score``) per case vs. a trivial loop over the same rows' fields
  (the case's amount and its debtors' kinds from one ``.values()`` query), as cases per second.

The officer is one of the court with the most enforcement cases, the one with the most open cases there.
"""

from __future__ import annotations

import itertools
import statistics

from django.db import connection
from django.db.models import Count, Q
from django.http import JsonResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.models import User
from enforcement.models import EnforcementCase

WORKING = ("investigating", "controlling", "disposing", "distributing")
LIST_URL = "/api/v1/enforcement-cases/?" + "&".join(f"status={s}" for s in WORKING) + "&ordering=deadline_on"


class BareEnforcementList(APIView):
    """The least work that yields the same page: one ``.values()`` query, no serializer, no scoping helpers."""

    permission_classes = [IsAuthenticated]

    def get(self, request):
        rows = list(
            EnforcementCase.objects.filter(court_id=request.user.court_id, status__in=WORKING)
            .order_by("deadline_on", "id")
            .values("id", "case__number", "status", "deadline_on", "case__amount", "officer_id")[:50]
        )
        return Response(rows)


def bare_case(request, pk: int):
    """The same case's own fields in one query (what the top of the detail page shows)."""
    row = (
        EnforcementCase.objects.filter(pk=pk, case__court_id=request.user.court_id)
        .values(
            "id", "status", "deadline_on", "closing_kind", "closed_on", "performed_amount", "officer__display_name",
            "case__number", "case__filing_date", "case__amount", "case__cause", "case__court__name",
        )
        .first()
    )  # fmt: skip
    return JsonResponse(row, safe=False, json_dumps_params={"default": str})


BARE_LIST_URL = "/bare/enforcement-cases/"

urlpatterns = [
    path(BARE_LIST_URL.strip("/") + "/", BareEnforcementList.as_view()),
    path("bare/enforcement/<int:pk>/", bare_case),
]
_installed = False


def install_urls() -> None:
    """Add the bare views to the project's URLs (the bench process only; the test client's host is allowed by
    ``setup_test_environment``)."""
    global _installed
    if _installed:
        return
    from django.urls import clear_url_caches

    import config.urls

    config.urls.urlpatterns += urlpatterns
    clear_url_caches()
    _installed = True


def busiest_officer() -> User:
    court = (
        EnforcementCase.objects.values("case__court_id").annotate(n=Count("id")).order_by("-n", "case__court_id")
    ).first()
    if court is None:
        raise SystemExit("no enforcement case in the database: generate a data set first (make bench-data)")
    return (
        User.objects.filter(court_id=court["case__court_id"], role="officer")
        .annotate(n=Count("enforcement_cases", filter=~Q(enforcement_cases__status="closed")))
        .order_by("-n", "id")
        .first()
    )


def _client(officer: User) -> Client:
    client = Client()
    client.force_login(officer)
    return client


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def run_list(*, officer: User, rounds: int, timed, report) -> None:
    install_urls()
    client = _client(officer)
    expected = min(50, EnforcementCase.objects.filter(case__court_id=officer.court_id, status__in=WORKING).count())

    def api():
        response = client.get(LIST_URL)
        assert response.status_code == 200, response.status_code
        assert len(response.json()["results"]) == expected

    def bare():
        response = client.get(BARE_LIST_URL)
        assert response.status_code == 200 and len(response.json()) == expected

    count = _queries(api)
    report(
        "enforcement case list API, page of 50 by deadline (vs bare .values())",
        timed(api, rounds),
        timed(bare, rounds),
        f"| {count} queries per request",
        queries=count,
    )


def _court_case_ids(officer: User, limit: int) -> list[int]:
    """Up to ``limit`` cases of the officer's court, every status, spread over the table."""
    ids = list(
        EnforcementCase.objects.filter(case__court_id=officer.court_id).order_by("id").values_list("id", flat=True)
    )
    step = max(1, len(ids) // limit)
    return ids[::step][:limit]


def run_detail(*, officer: User, rounds: int, timed, report) -> None:
    install_urls()
    client = _client(officer)
    ids = _court_case_ids(officer, 200)
    pages, bares = itertools.cycle(ids), itertools.cycle(ids)

    def page():
        response = client.get(f"/enforcement/{next(pages)}/")
        assert response.status_code == 200, response.status_code

    def bare():
        response = client.get(f"/bare/enforcement/{next(bares)}/")
        assert response.status_code == 200 and response.json()

    counts = [_queries(page) for _ in range(min(10, len(ids)))]
    report(
        "case detail page (vs bare .values() of the case)",
        timed(page, rounds),
        timed(bare, rounds),
        f"| {min(counts)}-{max(counts)} queries per page",
        queries=max(counts),
    )


def run_triage(*, officer: User, cases: int, timed, report) -> None:
    from cases.models import CaseParty
    from enforcement.triage import AMOUNT_BANDS, triage_score

    ids = _court_case_ids(officer, cases)
    loaded = list(EnforcementCase.objects.filter(pk__in=ids).select_related("case", "source_document"))
    scoring, trivial = itertools.cycle(loaded), itertools.cycle(loaded)

    def score():
        triage_score(next(scoring))

    def baseline():
        ec = next(trivial)
        kinds = list(CaseParty.objects.filter(case_id=ec.case_id, role="debtor").values_list("party__kind", flat=True))
        points = sum(10 if kind == "organisation" else 5 for kind in kinds)
        for upper, band in AMOUNT_BANDS:
            if upper is None or ec.case.amount <= upper:
                points += band
                break
        return points

    measured = timed(score, len(loaded))
    base = timed(baseline, len(loaded))
    rate, base_rate = 1000 / statistics.mean(measured), 1000 / statistics.mean(base)
    report(
        f"triage scoring, {len(loaded)} cases (vs trivial loop over the same fields)",
        measured,
        base,
        f"| {rate:,.0f} cases/s vs {base_rate:,.0f} cases/s",
        cases_per_second=round(rate, 1),
        baseline_cases_per_second=round(base_rate, 1),
    )
