"""Concurrent filings at one court get distinct numbers, and share a debtor registered by the first (PostgreSQL)."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from cases.models import Case, CaseParty, Party
from core.models import CaseNumberSequence
from tests.factories import CourtFactory, PartyFactory, UserFactory, file_case, party_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 6
PER_THREAD = 5


def test_concurrent_filings_get_distinct_consecutive_numbers_and_one_shared_debtor():
    court = CourtFactory(chaoyang=True)
    clerks = [UserFactory(clerk=True, court=court) for _ in range(THREADS)]
    debtor = party_data(PartyFactory.build(organisation=True))  # registered by whichever filing comes first
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def file_cases(clerk):
        try:
            barrier.wait(timeout=30)
            for _ in range(PER_THREAD):
                case = file_case(
                    actor=clerk, parties=[{"role": "creditor", **party_data()}, {"role": "debtor", **debtor}]
                )
                with lock:
                    numbers.append(case.number)
        except BaseException as exc:  # reported by the test
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=file_cases, args=(clerk,)) for clerk in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a filing thread hung"

    assert errors == []
    total = THREADS * PER_THREAD
    year = timezone.localdate().year
    assert sorted(numbers) == sorted(f"（{year}）京0105执{n}号" for n in range(1, total + 1))
    assert Case.objects.count() == total
    assert CaseNumberSequence.objects.get(court=court, type_code="执", year=year).last_serial == total
    shared = Party.objects.get(id_number=debtor["id_number"])
    assert CaseParty.objects.filter(party=shared, role="debtor").count() == total
