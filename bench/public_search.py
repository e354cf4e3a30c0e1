"""Public search of the dishonest list on the data set in the database (the generated one): exact-identifier
look-up and fuzzy name search through the selector the page uses (``public_listing_search``, then the first
page of rows), with rotating terms drawn from the listed debtors; each against the least work that yields the
same rows: one ``.values()`` query of the listings by the debtor's identifier (exact), and of the same page's
listings by their ids (fuzzy — what is left is the cost of finding them).

PostgreSQL only (the trigram index exists only there): on SQLite it says so and skips. The self-built mode's
``credit_search`` benchmark compares 1M listings against 10k; this one reads whatever the data set holds.
"""

from __future__ import annotations

import itertools
import random

from django.db import connection

from credit.models import DishonestListing
from credit.selectors_public import _listing_matches, public_listing_search, public_query_parse

FIELDS = ("id", "debtor_name", "listed_on", "enforcement_case__case__number", "enforcement_case__case__court__name")


def _terms(rng: random.Random, count: int) -> tuple[list[str], list[str], list[str]]:
    """Identifiers, two-character name beginnings and three-character names of listed debtors."""
    top = DishonestListing.objects.filter(status="listed").order_by("-id").values_list("id", flat=True).first() or 0
    picks = [rng.randrange(1, top + 1) for _ in range(count * 3)]
    rows = list(
        DishonestListing.objects.filter(status="listed", pk__in=picks).values_list("debtor__id_number", "debtor_name")
    )
    ids = [number for number, _name in rows][:count]
    short = [name[:2] for _number, name in rows if len(name) >= 2][:count]
    long = [name[:3] for _number, name in rows if len(name) >= 3][:count]
    return ids, short, long


def run(*, rounds: int, timed, report) -> None:
    if connection.vendor != "postgresql":
        print("public search on the data set: skipped (PostgreSQL only)")
        return
    total = DishonestListing.objects.count()
    ids, short, long = _terms(random.Random(5), max(rounds, 50))
    if not ids:
        print("public search on the data set: skipped (no listed debtor)")
        return
    # the page's rows for each name term, found once beforehand: the baseline fetches exactly these
    pages = {
        term: list(_listing_matches(public_query_parse(term)).values_list("pk", flat=True)[:20])
        for term in set(short) | set(long)
    }
    found = []

    def search(cycle):
        def fn():
            result = public_listing_search(q=next(cycle))
            found.append(len(result[0:20]))

        return fn

    def bare_exact(cycle):
        def fn():
            list(DishonestListing.objects.filter(status="listed", debtor__id_number=next(cycle)).values(*FIELDS)[:20])

        return fn

    def bare_page(cycle):
        def fn():
            list(DishonestListing.objects.filter(pk__in=pages[next(cycle)]).values(*FIELDS))

        return fn

    size = f"{total:,} listings"
    exact = timed(search(itertools.cycle(ids)), rounds)
    hits = sum(1 for n in found if n)
    report(
        f"public exact-ID look-up, {size} (vs bare .values())",
        exact,
        timed(bare_exact(itertools.cycle(ids)), rounds),
        f"| {hits}/{len(found)} look-ups found their debtor",
    )
    report(
        f"public name search, 2 chars (prefix), {size} (vs fetching the page)",
        timed(search(itertools.cycle(short)), rounds),
        timed(bare_page(itertools.cycle(short)), rounds),
    )
    report(
        f"public name search, 3 chars (anywhere), {size} (vs fetching the page)",
        timed(search(itertools.cycle(long)), rounds),
        timed(bare_page(itertools.cycle(long)), rounds),
    )
