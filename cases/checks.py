"""Filing-time checks: what the system already knows against a party (the paper's cross-case alert).

cases/ cannot import the apps that hold those facts (enforcement, credit), so they register a provider here
in their ``AppConfig.ready()``. A provider takes party ids and answers, in ONE indexed query for all of
them, a list of ``PartyRecord`` per party id that has something on record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class PartyRecord:
    source: str  # the app that knows it: "enforcement", "credit", …
    code: str  # what it is: "debtor_in_open_enforcement", "dishonest_listed", …
    count: int  # how many cases or entries
    message: str  # one clause for the alert, e.g. "在3起执行案件中为被执行人"


Provider = Callable[[list[int]], dict[int, list[PartyRecord]]]
_PROVIDERS: dict[str, Provider] = {}


def register_party_record_provider(name: str, provider: Provider) -> None:
    """Register (or replace, so that ``ready()`` may run twice) the provider called ``name``."""
    _PROVIDERS[name] = provider


def party_records(party_ids: Iterable[int]) -> dict[int, list[PartyRecord]]:
    """Everything on record against these parties, from every registered provider."""
    ids = sorted(set(party_ids))
    found: dict[int, list[PartyRecord]] = {}
    if not ids:
        return found
    for provider in _PROVIDERS.values():
        for party_id, records in provider(ids).items():
            found.setdefault(party_id, []).extend(records)
    return found
