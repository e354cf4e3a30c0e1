"""案号: format, parsing, and the serial allocator (案号规定 arts. 1–10, legal-rules §9)."""

import threading

import pytest
from django.db import connection, transaction

from core.case_numbers import (
    CaseNumber,
    allocate_case_number,
    allocate_serial,
    format_case_number,
    parse_case_number,
    reserve_serial,
)
from core.exceptions import InvalidInput
from core.models import CaseNumberSequence
from tests.factories import CourtFactory

FORMAT_MESSAGE = "A case number reads like （2026）京0105执123号: year, court code, type, serial, 号."


def test_a_case_number_is_written_with_full_width_parentheses():
    assert format_case_number(year=2026, court_code="京0105", type_code="执", serial=123) == "（2026）京0105执123号"


def test_a_case_number_prints_as_its_text():
    assert str(CaseNumber(2024, "京0105", "执恢", 1234)) == "（2024）京0105执恢1234号"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（2026）京0105执123号", CaseNumber(2026, "京0105", "执", 123)),
        ("(2026)京0105执123号", CaseNumber(2026, "京0105", "执", 123)),
        ("（2024）京0105执恢1234号", CaseNumber(2024, "京0105", "执恢", 1234)),
        ("（2019）最高法知民终1号", CaseNumber(2019, "最高法", "知民终", 1)),
        ("（2026）粤07民终8号", CaseNumber(2026, "粤07", "民终", 8)),
        ("（2026）京执复3号", CaseNumber(2026, "京", "执复", 3)),
        (" （2026）京0105执1号 ", CaseNumber(2026, "京0105", "执", 1)),
    ],
)
def test_parse_reads_full_and_half_width_numbers(text, expected):
    assert parse_case_number(text) == expected


def test_parse_gives_back_the_canonical_full_width_text():
    assert str(parse_case_number("(2026)京0105执7号")) == "（2026）京0105执7号"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "garbage",
        "2026京0105执123号",  # no parentheses
        "（26）京0105执123号",  # two-digit year
        "（2026）京0105执123",  # no 号
        "（2026）京0105执0号",  # serial 0
        "（2026）京0105执号",  # no serial
        "（2026）京105执123号",  # a court code of three digits
        "（2026）京0105执行异议1号",  # a type code of four characters (art. 7: at most three)
        "（2026）0105执123号",  # no province character
    ],
)
def test_parse_refuses_what_is_not_a_case_number(text):
    with pytest.raises(InvalidInput) as caught:
        parse_case_number(text)
    assert caught.value.code == "case_number.format"
    assert caught.value.fields == {"number": [FORMAT_MESSAGE]}


@pytest.mark.django_db
def test_the_allocator_counts_1_2_3_for_a_court_type_and_year():
    court = CourtFactory(chaoyang=True)
    assert [allocate_serial(court=court, type_code="执", year=2026) for _ in range(3)] == [1, 2, 3]
    assert CaseNumberSequence.objects.get(court=court, type_code="执", year=2026).last_serial == 3


@pytest.mark.django_db
def test_each_court_type_and_year_has_its_own_sequence():
    chaoyang, haidian = CourtFactory(chaoyang=True), CourtFactory(haidian=True)
    allocate_serial(court=chaoyang, type_code="执", year=2026)
    allocate_serial(court=chaoyang, type_code="执", year=2026)
    assert allocate_serial(court=haidian, type_code="执", year=2026) == 1
    assert allocate_serial(court=chaoyang, type_code="执恢", year=2026) == 1
    assert allocate_serial(court=chaoyang, type_code="执", year=2025) == 1
    assert allocate_serial(court=chaoyang, type_code="执", year=2026) == 3
    assert CaseNumberSequence.objects.count() == 4


@pytest.mark.django_db
def test_allocate_case_number_composes_the_number_of_the_court():
    court = CourtFactory(chaoyang=True)
    assert str(allocate_case_number(court=court, type_code="执", year=2026)) == "（2026）京0105执1号"
    assert str(allocate_case_number(court=court, type_code="执", year=2026)) == "（2026）京0105执2号"


@pytest.mark.django_db
def test_reserving_an_imported_serial_makes_the_allocator_continue_after_it():
    court = CourtFactory(chaoyang=True)
    reserve_serial(court=court, type_code="执", year=2026, serial=57)
    assert allocate_serial(court=court, type_code="执", year=2026) == 58


@pytest.mark.django_db
def test_reserving_a_serial_below_the_last_one_never_lowers_it():
    court = CourtFactory(chaoyang=True)
    for _ in range(10):
        allocate_serial(court=court, type_code="执", year=2026)
    reserve_serial(court=court, type_code="执", year=2026, serial=4)
    assert CaseNumberSequence.objects.get(court=court, type_code="执", year=2026).last_serial == 10
    assert allocate_serial(court=court, type_code="执", year=2026) == 11


@pytest.mark.django_db
def test_a_serial_allocated_in_a_rolled_back_transaction_is_handed_out_again():
    court = CourtFactory(chaoyang=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert allocate_serial(court=court, type_code="执", year=2026) == 1
        raise RuntimeError("the filing failed")
    assert allocate_serial(court=court, type_code="执", year=2026) == 1


THREADS = 8
PER_THREAD = 50


def _in_threads(count: int, work) -> tuple[list, list[BaseException]]:
    """Run ``work()`` in ``count`` threads started together; each closes its own database connection."""
    results: list = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(count)

    def run():
        try:
            barrier.wait(timeout=30)
            got = work()
            with lock:
                results.extend(got)
        except BaseException as exc:  # reported by the test
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_threads_allocating_fifty_serials_each_get_1_to_400_exactly_once():
    court = CourtFactory(chaoyang=True)

    def allocate_fifty():
        serials = []
        for _ in range(PER_THREAD):
            with transaction.atomic():
                serials.append(allocate_serial(court=court, type_code="执", year=2026))
        return serials

    serials, errors = _in_threads(THREADS, allocate_fifty)
    assert errors == []
    assert len(serials) == THREADS * PER_THREAD
    assert sorted(serials) == list(range(1, THREADS * PER_THREAD + 1))
    assert CaseNumberSequence.objects.get(court=court, type_code="执", year=2026).last_serial == 400


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_allocations_of_a_new_sequence_create_one_row():
    court = CourtFactory(chaoyang=True)

    def allocate_once():
        with transaction.atomic():
            return [allocate_serial(court=court, type_code="执保", year=2026)]

    serials, errors = _in_threads(THREADS, allocate_once)
    assert errors == []
    assert sorted(serials) == list(range(1, THREADS + 1))
    assert CaseNumberSequence.objects.filter(court=court, type_code="执保", year=2026).count() == 1
