"""Filing-time checks: what the system already knows against a party (the paper's cross-case alert).

cases/ cannot import the apps that hold those facts (enforcement, credit), so they register a provider here
in their ``AppConfig.ready()``. A provider takes party ids and answers, in ONE indexed query for all of
them, a list of ``PartyRecord`` per party id that has something on record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class PartyRecord:
    source: str  # the app that knows it: "enforcement", "credit", …
    code: str  # what it is: "debtor_in_open_enforcement", "dishonest_listed", …
    count: int  # how many cases or entries
    message: str  # one clause for the alert, e.g. "在3起执行案件中为被执行人"


Provider = Callable[[list[int]], dict[int, list[PartyRecord]]]
_PROVIDERS: dict[str, Provider] = {}
_checked_case_id: ContextVar[int | None] = ContextVar("checked_case_id", default=None)


def checked_case_id() -> int | None:
    """The case whose parties are being checked, when there is one: a provider that counts cases leaves it
    out, so that a case already filed is not its own cross-case finding."""
    return _checked_case_id.get()


def register_party_record_provider(name: str, provider: Provider) -> None:
    """Register (or replace, so that ``ready()`` may run twice) the provider called ``name``."""
    _PROVIDERS[name] = provider


def party_records(party_ids: Iterable[int], *, case_id: int | None = None) -> dict[int, list[PartyRecord]]:
    """Everything on record against these parties, from every registered provider (each called once, with
    all the ids). ``case_id`` names the case being checked, which providers leave out of their counts."""
    ids = sorted(set(party_ids))
    found: dict[int, list[PartyRecord]] = {}
    if not ids:
        return found
    token = _checked_case_id.set(case_id)
    try:
        for provider in _PROVIDERS.values():
            for party_id, records in provider(ids).items():
                found.setdefault(party_id, []).extend(records)
    finally:
        _checked_case_id.reset(token)
    return found
