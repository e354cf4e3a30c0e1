"""Officer case list through the real API vs. a bare DRF view returning the same 50 rows from `.values()`."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.choices import CaseType, PartyKind, PartyRole
from cases.models import Case, CaseParty, Party
from core.case_numbers import format_case_number, reserve_serial
from core.identifiers import make_credit_code, make_resident_id
from core.models import Court, CourtLevel, User
from core.roles import Role


class BareCaseList(APIView):
    """The least work that yields the page: one `.values()` query, no serializer, no scoping helpers."""

    permission_classes = [IsAuthenticated]

    def get(self, request):
        rows = list(
            Case.objects.filter(court_id=request.user.court_id)
            .order_by("-filing_date", "-id")
            .values("id", "number", "case_type", "filing_date", "amount", "cause")[:50]
        )
        return Response(rows)


urlpatterns = [path("bare/cases/", BareCaseList.as_view())]


@transaction.atomic
def build(cases: int) -> User:
    rng = random.Random(7)
    court = Court.objects.create(code="京0105", name="北京市朝阳区人民法院", level=CourtLevel.BASIC)
    officer = User.objects.create_user("bench", password="bench-password-1", role=Role.OFFICER, court=court)
    today = dt.date(2026, 11, 1)
    parties = Party.objects.bulk_create(
        Party(
            kind=PartyKind.PERSON,
            name=f"当事人{i}",
            id_number=make_resident_id("110105", dt.date(1950, 1, 1) + dt.timedelta(days=i % 15000), i % 997 + 1),
        )
        for i in range(cases)
    ) + Party.objects.bulk_create(
        Party(
            kind=PartyKind.ORGANISATION,
            name=f"被执行公司{i}",
            legal_representative="某某",
            id_number=make_credit_code("91", "110105", f"MA{i:07d}"),
        )
        for i in range(max(1, cases // 3))
    )
    people, companies = parties[:cases], parties[cases:]
    rows = []
    for i in range(cases):
        filed = today - dt.timedelta(days=rng.randrange(700))
        rows.append(
            Case(
                case_type=CaseType.ENFORCEMENT,
                court=court,
                year=filed.year,
                serial=i + 1,
                number=format_case_number(year=filed.year, court_code=court.code, type_code="执", serial=i + 1),
                filing_date=filed,
                amount=Decimal(rng.randrange(300000, 900000000)) / 100,
                cause="民间借贷纠纷",
            )
        )
    created = Case.objects.bulk_create(rows, batch_size=2000)
    CaseParty.objects.bulk_create(
        [
            link
            for i, case in enumerate(created)
            for link in (
                CaseParty(case=case, party=people[i], role=PartyRole.CREDITOR, position=0),
                CaseParty(case=case, party=companies[rng.randrange(len(companies))], role=PartyRole.DEBTOR, position=1),
            )
        ],
        batch_size=4000,
    )
    for year in {c.year for c in created}:
        reserve_serial(court=court, type_code="执", year=year, serial=cases)
    return officer


def run(*, cases: int, rounds: int, timed, report) -> None:
    from django.conf import settings

    import config.urls

    config.urls.urlpatterns += urlpatterns
    settings.ALLOWED_HOSTS = ["*"]
    officer = build(cases)
    client = Client()
    client.force_login(officer)

    def api():
        response = client.get("/api/v1/cases/?ordering=-filing_date")
        assert response.status_code == 200 and len(response.json()["results"]) == 50

    def bare():
        response = client.get("/bare/cases/")
        assert response.status_code == 200 and len(response.json()) == 50

    with CaptureQueriesContext(connection) as queries:
        api()
    query_count = len(queries)  # read now: the next request resets the connection's query log
    report(
        "case list API, page of 50 (vs bare .values())",
        timed(api, rounds),
        timed(bare, rounds),
        f"| {query_count} queries per request",
    )
