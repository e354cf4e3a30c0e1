"""Reads of the public disclosure pages (no login): the dishonest list (失信规定 2017 art. 6 says what is
published), the consumption-restricted list, debtors (被执行人) of open enforcement cases and of public 终本
entries, and the party portal's view of one case.

One query term is read three ways (``public_query_parse``): a 身份证号 or 统一社会信用代码 is matched exactly
against ``Party.id_number`` (unique index), a case number exactly against ``Case.number`` (unique index), and
anything else as a name: two characters match the beginning of a name, three or more anywhere in it. On
PostgreSQL three or more characters are an ``ILIKE`` that the GIN trigram indexes of migration 0002 serve, and
two characters a ``lower(name) LIKE 'xy%'`` that the btree indexes of migration 0003 serve (trigrams of two
characters are too common to select anything); SQLite does the same with ``LIKE``.

A search returns a ``SearchResult``: the ids of the first ``RESULT_CAP`` matches (newest first), and the rows
of a page built from them on demand, so a page costs two queries whatever the size of the list. What a row
holds is what may be published: a person's ID number masked, an organisation's credit code and legal
representative, never an address or a phone number."""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.db.models.lookups import Lookup, StartsWith
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from cases.choices import PartyKind, PartyRole
from cases.models import CaseParty, Party
from core.case_numbers import parse_case_number
from core.exceptions import InvalidInput
from core.identifiers import age_on, normalize_credit_code, normalize_resident_id
from enforcement.choices import OPEN_STATUSES
from enforcement.selectors import case_timeline
from enforcement.services.lifecycle import status_label

from .choices import ListingStatus, ProhibitedConsumption, RestrictionKind, RestrictionStatus
from .models import BoundPerson, CaseQueryCode, DishonestListing, Restriction
from .services.portal import PUBLIC_CASE_TYPES, code_digest, code_matches

RESULT_CAP = 200
PAGE_SIZE = 20
MIN_NAME_LENGTH = 2
PREFIX_ONLY_BELOW = 3  # a name term shorter than this matches the beginning of names only
EXACT_KINDS = frozenset({"identifier", "case_number"})  # matched exactly, through a unique index
TOKEN_SALT = "credit.public.listing"  # noqa: S105 - a key salt, not a secret

_IDENTIFIER_LIKE = re.compile(r"^(?=.*\d)[0-9A-Za-z]{6,}$")
_CASE_NUMBER_LIKE = re.compile(r"^[（(]\d{4}[）)]")
# Defence in depth for free text an officer typed (the dishonest conduct): anything shaped like a resident ID
# or a mobile number is hidden before it is published.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_PHONE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


# ---- the query ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicQuery:
    """A parsed search term: ``kind`` is "name", "identifier", "case_number", or "" when there is nothing to
    search (``message`` then says why, or is empty when no term was given)."""

    term: str = ""
    kind: str = ""
    value: str = ""
    message: str = ""

    @property
    def searchable(self) -> bool:
        return bool(self.kind)


def public_query_parse(term: str) -> PublicQuery:
    """Read a term as an identifier, a case number or a name; a malformed identifier or case number, or a
    name of one character, gives a ``PublicQuery`` with a friendly ``message`` and nothing to search."""
    term = " ".join((term or "").split())[:100]
    if not term:
        return PublicQuery()
    compact = term.replace(" ", "").replace("-", "")
    if _IDENTIFIER_LIKE.match(compact):
        try:
            normalise = normalize_resident_id if compact[:17].isdigit() else normalize_credit_code
            number = normalise(compact)
        except ValidationError as exc:
            return PublicQuery(term=term, message=" ".join(str(m) for m in exc.messages))
        return PublicQuery(term=term, kind="identifier", value=number)
    if _CASE_NUMBER_LIKE.match(compact):
        try:
            number = str(parse_case_number(compact))
        except InvalidInput as exc:
            return PublicQuery(term=term, message=exc.message)
        return PublicQuery(term=term, kind="case_number", value=number)
    if len(term) < MIN_NAME_LENGTH:
        return PublicQuery(term=term, message=_("Enter at least two characters of the name."))
    return PublicQuery(term=term, kind="name", value=term)


class _ILike(Lookup):
    """``lhs ILIKE rhs`` (PostgreSQL): Django's ``icontains`` compares ``UPPER(lhs)``, which a trigram index
    on the plain column cannot serve; ``ILIKE`` can."""

    lookup_name = "zx_ilike"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def name_matches(field_name: str, term: str, *, vendor: str | None = None) -> Q:
    """The condition "the name in ``field_name`` matches ``term``": its beginning for a term of two
    characters, anywhere in it for a longer one."""
    from django.db import connection

    prefix_only = len(term) < PREFIX_ONLY_BELOW
    if (vendor or connection.vendor) == "postgresql":
        if prefix_only:  # lower(name) LIKE 'xy%': a range scan of the btree indexes on lower(name) of migration 0003
            return Q(StartsWith(Lower(F(field_name)), term.lower()))
        return Q(_ILike(F(field_name), "%" + _escape_like(term) + "%"))
    return Q(**{f"{field_name}__{'istartswith' if prefix_only else 'icontains'}": term})


# ---- results -----------------------------------------------------------------------------------------------------


class SearchResult(Sequence):
    """The ids of the first ``RESULT_CAP`` matches, in order; slicing builds the rows of just that slice (so a
    ``Paginator`` over it loads one page). ``capped`` says there were more matches than are shown."""

    def __init__(self, query: PublicQuery, ids: list[int] | None = None, loader: Callable | None = None):
        ids = ids or []
        self.query = query
        self.capped = len(ids) > RESULT_CAP
        self.ids = ids[:RESULT_CAP]
        self._loader = loader

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:  # Paginator prefers count() (it would otherwise call len())
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            wanted = self.ids[index]
            return self._loader(wanted) if wanted else []
        return self._loader([self.ids[index]])[0]


def _capped_ids(queryset: models.QuerySet) -> list[int]:
    return list(queryset.values_list("pk", flat=True)[: RESULT_CAP + 1])


def _in_order(objects, ids: list[int]) -> list:
    by_id = {obj.pk: obj for obj in objects}
    return [by_id[pk] for pk in ids if pk in by_id]


def public_text(text: str) -> str:
    """Free text as it may be published: resident-ID-shaped and mobile-number-shaped runs masked."""
    text = _ID_IN_TEXT.sub(lambda m: m[1] + "*" * 8 + m[2], text or "")
    return _PHONE_IN_TEXT.sub(lambda m: m[1] + "****" + m[2], text)


@dataclass(frozen=True)
class PublicIdentity:
    """Who, as published (art. 6(1)–(2)): a person's name, sex, age and masked ID number; an organisation's
    name, credit code and legal representative."""

    name: str
    kind: str
    masked_id: str
    legal_representative: str = ""
    sex: str = ""
    age: int | None = None


def public_identity(party: Party, *, name: str = "", on: dt.date | None = None) -> PublicIdentity:
    if party.kind == PartyKind.ORGANISATION:
        return PublicIdentity(
            name=name or party.name,
            kind=party.kind,
            masked_id=party.masked_id_number,
            legal_representative=party.legal_representative,
        )
    on = on or timezone.localdate()
    age = None
    if party.birth_date:
        born = party.birth_date
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    elif party.id_number:
        try:
            age = age_on(party.id_number, on)
        except ValueError:  # an unreadable birth date is simply not shown
            age = None
    return PublicIdentity(
        name=name or party.name,
        kind=party.kind,
        masked_id=party.masked_id_number,
        sex=party.get_sex_display() if party.sex else "",
        age=age,
    )


@dataclass(frozen=True)
class PublicCase:
    """The case a public row belongs to (art. 6(3), (5)): number, court, filing date, basis, obligation."""

    number: str
    court: str
    filed_on: dt.date
    basis: str
    amount: Decimal
    performed: Decimal
    unperformed: Decimal
    performance: str


def _public_case(enforcement_case) -> PublicCase:
    case = enforcement_case.case
    document = enforcement_case.source_document
    performed = enforcement_case.performed_amount or Decimal("0.00")
    unperformed = max(case.amount - performed, Decimal("0.00"))
    if performed <= 0:
        performance = _("Wholly unperformed")
    elif unperformed > 0:
        performance = _("Partly performed")
    else:
        performance = _("Performed")
    return PublicCase(
        number=case.number,
        court=case.court.name,
        filed_on=case.filing_date,
        basis=f"{document.issuing_body} {document.number}".strip() if document else "",
        amount=case.amount,
        performed=performed,
        unperformed=unperformed,
        performance=str(performance),
    )


# ---- the dishonest list ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicListing:
    token: str
    debtor: PublicIdentity
    case: PublicCase
    ground: str
    conduct: str
    listed_on: dt.date | None
    expires_on: dt.date | None


def _feistel_round(index: int, half: bytes) -> bytes:
    return salted_hmac(f"{TOKEN_SALT}:{index}", half, algorithm="sha256").digest()[:4]


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def listing_token(pk: int) -> str:
    """The opaque token of a listing in public URLs: the id enciphered (a 4-round Feistel permutation of 64
    bits keyed with the site's secret) and tagged (HMAC). Neither sequential nor guessable, and it does not
    reveal the id (a signed value would carry it readable)."""
    left, right = pk.to_bytes(8, "big")[:4], pk.to_bytes(8, "big")[4:]
    for index in range(4):
        left, right = right, _xor(left, _feistel_round(index, right))
    body = left + right
    tag = salted_hmac(f"{TOKEN_SALT}:tag", body, algorithm="sha256").digest()[:6]
    return base64.urlsafe_b64encode(body + tag).decode().rstrip("=")


def listing_token_id(token: str) -> int | None:
    """The id a token stands for, or ``None`` for anything that is not a token this site made."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, TypeError):
        return None
    if len(raw) != 14:
        return None
    body, tag = raw[:8], raw[8:]
    if not constant_time_compare(salted_hmac(f"{TOKEN_SALT}:tag", body, algorithm="sha256").digest()[:6], tag):
        return None
    left, right = body[:4], body[4:]
    for index in reversed(range(4)):
        left, right = _xor(right, _feistel_round(index, left)), left
    return int.from_bytes(left + right, "big")


def public_listings_base() -> models.QuerySet[DishonestListing]:
    """Every entry the public may see: listed (not pending, refused or removed)."""
    return DishonestListing.objects.filter(status=ListingStatus.LISTED)


def _listing_matches(query: PublicQuery) -> models.QuerySet[DishonestListing]:
    queryset = public_listings_base()
    if query.kind == "identifier":
        queryset = queryset.filter(debtor__id_number=query.value)
    elif query.kind == "case_number":
        queryset = queryset.filter(enforcement_case__case__number=query.value)
    else:
        queryset = queryset.filter(name_matches("debtor_name", query.value))
    return queryset.order_by("-listed_on", "-id")


def _with_rows(queryset: models.QuerySet[DishonestListing]) -> models.QuerySet[DishonestListing]:
    return queryset.select_related("debtor", "enforcement_case__case__court", "enforcement_case__source_document")


def _listing_rows(ids: list[int]) -> list[PublicListing]:
    return _public_listings(_in_order(_with_rows(DishonestListing.objects.filter(pk__in=ids)), ids))


def _public_listings(listings: list[DishonestListing]) -> list[PublicListing]:
    today = timezone.localdate()
    return [
        PublicListing(
            token=listing_token(listing.pk),
            debtor=public_identity(listing.debtor, name=listing.debtor_name, on=today),
            case=_public_case(listing.enforcement_case),
            ground=str(listing.get_ground_display()),
            conduct=public_text(listing.facts),
            listed_on=listing.listed_on,
            expires_on=listing.expires_on,
        )
        for listing in listings
    ]


def public_listing_search(*, q: str) -> SearchResult:
    """The public dishonest list searched by name, identifier or case number (nothing without a term)."""
    query = public_query_parse(q)
    if not query.searchable:
        return SearchResult(query)
    if query.kind in EXACT_KINDS:
        # an identifier or a case number finds a handful of entries: their rows come with their ids, in one query
        listings = list(_with_rows(_listing_matches(query))[: RESULT_CAP + 1])
        rows = dict(zip((listing.pk for listing in listings), _public_listings(listings), strict=True))
        return SearchResult(query, list(rows), lambda ids: [rows[pk] for pk in ids])
    return SearchResult(query, _capped_ids(_listing_matches(query)), _listing_rows)


def public_listing_get(*, token: str) -> PublicListing | None:
    """One listed entry by its token; ``None`` alike for a bad token and for an entry no longer listed."""
    pk = listing_token_id(token)
    if pk is None or not public_listings_base().filter(pk=pk).exists():
        return None
    return _listing_rows([pk])[0]


# ---- consumption restrictions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicBoundPerson:
    """A person a restriction also binds: role and name only (never an identifier)."""

    role: str
    name: str


@dataclass(frozen=True)
class PublicRestriction:
    debtor: PublicIdentity
    case: PublicCase
    order_number: str
    issued_on: dt.date
    prohibited: list[str] = field(default_factory=list)
    bound_persons: list[PublicBoundPerson] = field(default_factory=list)


def public_restrictions_base() -> models.QuerySet[Restriction]:
    return Restriction.objects.filter(kind=RestrictionKind.CONSUMPTION, status=RestrictionStatus.ACTIVE)


def _restriction_matches(query: PublicQuery) -> models.QuerySet[Restriction]:
    """A restriction matches through its debtor or through a person it binds (an organisation's legal
    representative is restricted too: 限制消费规定 art. 3(2))."""
    queryset = public_restrictions_base()
    if query.kind == "identifier":
        bound = BoundPerson.objects.filter(id_number=query.value).values("restriction_id")
        queryset = queryset.filter(Q(debtor__id_number=query.value) | Q(pk__in=bound))
    elif query.kind == "case_number":
        queryset = queryset.filter(enforcement_case__case__number=query.value)
    else:
        debtors = Party.objects.filter(name_matches("name", query.value)).values("pk")
        bound = BoundPerson.objects.filter(name_matches("name", query.value)).values("restriction_id")
        queryset = queryset.filter(Q(debtor_id__in=debtors) | Q(pk__in=bound))
    return queryset.order_by("-issued_on", "-id")


def _restriction_rows(ids: list[int]) -> list[PublicRestriction]:
    objects = (
        Restriction.objects.filter(pk__in=ids)
        .select_related("debtor", "enforcement_case__case__court", "enforcement_case__source_document")
        .prefetch_related("bound_persons")
    )
    labels = dict(ProhibitedConsumption.choices)
    today = timezone.localdate()
    return [
        PublicRestriction(
            debtor=public_identity(restriction.debtor, on=today),
            case=_public_case(restriction.enforcement_case),
            order_number=restriction.order_number,
            issued_on=restriction.issued_on,
            prohibited=[str(labels.get(item, item)) for item in restriction.prohibited or []],
            bound_persons=[
                PublicBoundPerson(role=str(p.get_role_display()), name=p.name) for p in restriction.bound_persons.all()
            ],
        )
        for restriction in _in_order(objects, ids)
    ]


def public_restriction_search(*, q: str) -> SearchResult:
    """Consumption restrictions in force, searched by name, identifier or case number."""
    query = public_query_parse(q)
    if not query.searchable:
        return SearchResult(query)
    return SearchResult(query, _capped_ids(_restriction_matches(query)), _restriction_rows)


# ---- debtors (被执行人) -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicDebtor:
    debtor: PublicIdentity
    case: PublicCase
    terminated: bool  # a public 终本 entry (else an open case)
    terminated_entry_id: int | None = None


def _debtor_links_base() -> models.QuerySet[CaseParty]:
    """Debtors of enforcement cases (执, 执恢) that are open, or closed as 终本 with a public entry."""
    open_case = Q(case__enforcement__status__in=OPEN_STATUSES)
    public_entry = Q(
        case__enforcement__public_entry__published_on__isnull=False,
        case__enforcement__public_entry__masked_on__isnull=True,
    )
    return CaseParty.objects.filter(
        Q(role=PartyRole.DEBTOR, case__case_type__in=PUBLIC_CASE_TYPES) & (open_case | public_entry)
    )


def _debtor_matches(query: PublicQuery) -> models.QuerySet[CaseParty]:
    queryset = _debtor_links_base()
    if query.kind == "identifier":
        queryset = queryset.filter(party__id_number=query.value)
    elif query.kind == "case_number":
        queryset = queryset.filter(case__number=query.value)
    else:
        queryset = queryset.filter(name_matches("party__name", query.value))
    return queryset.order_by("-case__filing_date", "-id")


def _debtor_rows(ids: list[int]) -> list[PublicDebtor]:
    objects = CaseParty.objects.filter(pk__in=ids).select_related(
        "party",
        "case__court",
        "case__enforcement__source_document",
        "case__enforcement__public_entry",
    )
    today = timezone.localdate()
    rows = []
    for link in _in_order(objects, ids):
        enforcement_case = link.case.enforcement
        entry = getattr(enforcement_case, "public_entry", None)
        terminated = enforcement_case.status not in OPEN_STATUSES
        rows.append(
            PublicDebtor(
                debtor=public_identity(link.party, on=today),
                case=_public_case(enforcement_case),
                terminated=terminated,
                terminated_entry_id=entry.pk if terminated and entry is not None else None,
            )
        )
    return rows


def public_debtor_search(*, q: str) -> SearchResult:
    """Debtors (被执行人) of open enforcement cases and of public 终本 entries."""
    query = public_query_parse(q)
    if not query.searchable:
        return SearchResult(query)
    return SearchResult(query, _capped_ids(_debtor_matches(query)), _debtor_rows)


# ---- the party portal --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortalStep:
    on: dt.date
    title: str


@dataclass(frozen=True)
class PortalProgress:
    """What a party sees of its case: status, timeline (titles and days only), amounts, officer, court."""

    number: str
    court: str
    filed_on: dt.date
    status: str
    officer: str
    amount: Decimal
    performed: Decimal
    unperformed: Decimal
    steps: list[PortalStep]


_UNKNOWN_CASE_DIGEST = "0" * 64


def portal_progress(*, case_number: str, code: str) -> PortalProgress | None:
    """The progress of the case numbered ``case_number`` if ``code`` is its query code; ``None`` alike for an
    unknown case, a case without a code and a wrong code (the caller shows one message for all)."""
    try:
        number = str(parse_case_number(case_number))
    except InvalidInput:
        return None
    record = (
        CaseQueryCode.objects.filter(case__number=number, case__case_type__in=PUBLIC_CASE_TYPES)
        .select_related("case__court", "case__enforcement__officer")
        .first()
    )
    if record is None:
        code_digest(case_id=0, code=code)  # the same work as a real check, so timing tells nothing
        return None
    if not code_matches(case_id=record.case_id, code=code, digest=record.code_hash):
        return None
    case = record.case
    enforcement_case = getattr(case, "enforcement", None)
    if enforcement_case is None:
        return None
    steps = [
        PortalStep(
            on=timezone.localdate(entry.at) if isinstance(entry.at, dt.datetime) else entry.at, title=entry.title
        )
        for entry in case_timeline(enforcement_case=enforcement_case)
    ]
    performed = enforcement_case.performed_amount or Decimal("0.00")
    officer = enforcement_case.officer
    return PortalProgress(
        number=case.number,
        court=case.court.name,
        filed_on=case.filing_date,
        status=status_label(enforcement_case.status),
        officer=str(officer) if officer else "",
        amount=case.amount,
        performed=performed,
        unperformed=max(case.amount - performed, Decimal("0.00")),
        steps=steps,
    )
