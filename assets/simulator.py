"""The agency simulator: a client of the agency API (``/api/v1/agency/``) that plays a bank or registry.

It pulls the requests addressed to its agency, answers every debtor × category item with plausible data that
passes ``assets.categories`` validation, and can be told to be slow (sleep before each answer), flaky (leave
some requests unanswered so that they time out) or to answer twice (the second answer must change nothing).

Everything it reports is deterministic: whether an item finds something, and the asset's identifier, come from
(seed, agency, debtor, category), so the same asset reported again in a later batch is the same ``Asset`` row;
amounts also depend on the request, as a balance moves between two queries. The flaky choice depends on
(seed, request, attempt), so a request re-issued after a time-out may be answered on its next attempt.

Before acting on a request it checks the issuing court's electronic seal (电子签章): the request's ``signature``
must be an Ed25519 signature, by a key of the court the request names, over the canonical JSON of the signed
fields (``SIGNED_FIELDS``), and the key (from the public list ``/api/v1/signing-keys/``) must be active, not
retired and not revoked. An unsigned or altered request, or one signed by an unknown, retired or revoked key,
is refused: a query is left unanswered, a control order is answered "refused"; the reason is in
``Stats.refusals``.

The transport is pluggable: ``HttpTransport`` speaks real HTTP with urllib to a loopback address only (the
simulator must never send traffic off this machine), ``DjangoClientTransport`` drives Django's test client in
process (unit tests, benchmarks). Every loop is bounded: one pass (``once``) or a time limit.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import ipaddress
import json
import random
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .choices import AssetCategory as C
from .demo import AGENCIES

API_PREFIX = "/api/v1/agency/requests/"
PRICE_PREFIX = "/api/v1/agency/price-inquiries/"  # online price inquiries (参考价规定 2018), platforms only
KEYS_PATH = "/api/v1/signing-keys/"  # the courts' public signing keys (no credentials needed)
# The signed fields of a request (as ``assets.serializers.SIGNED_REQUEST_FIELDS``; a test keeps them equal).
SIGNED_FIELDS = ("id", "kind", "court", "agency", "case_number", "items", "order", "created_at")
SIGNATURE_ALGORITHM = "Ed25519"
MAX_PAGES = 1000  # a poll reads at most this many pages (bounded even if the server kept adding pages)
PAGE_SIZE = 200
ANSWER_CHUNK = 500  # results per POST
AGENCY_NAMES = {spec.code: spec.name for spec in AGENCIES}

# How likely one debtor × category item finds something (the rest answer "none found").
FOUND_RATE = {
    C.DEPOSIT: 0.6,
    C.WEALTH_PRODUCT: 0.15,
    C.ONLINE_FUNDS: 0.5,
    C.SECURITIES: 0.2,
    C.VEHICLE: 0.3,
    C.REAL_ESTATE: 0.3,
    C.SHIP: 0.02,
    C.FISHING_VESSEL: 0.02,
    C.EQUITY: 0.15,
    C.PROVIDENT_FUND: 0.4,
    C.INSURANCE: 0.3,
    C.SOCIAL_SECURITY: 0.6,
    C.TAX: 0.5,
    C.BUSINESS_REGISTRATION: 0.15,
    C.EXIT_ENTRY_DOCUMENT: 0.2,
    C.MARRIAGE: 0.5,
}
# One record per person: never two assets for one item (their identifier is the debtor's own number).
SINGLE_RECORD = {C.SOCIAL_SECURITY, C.TAX, C.MARRIAGE, C.PROVIDENT_FUND}


class SimulatorError(Exception):
    """The simulator cannot run (a refused base URL) or the API answered something unexpected."""


class Transport(Protocol):
    def get(self, path: str) -> tuple[int, Any]:
        """GET ``path`` (path and query string, no host); the status and the decoded JSON body."""

    def post(self, path: str, body: dict, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        """POST ``body`` as JSON to ``path`` (with ``headers``); the status and the decoded JSON body."""


def check_loopback(base_url: str) -> str:
    """``base_url`` without its trailing slash, if it is http(s) to localhost or a loopback address;
    ``SimulatorError`` otherwise. This machine must never send the simulator's traffic elsewhere."""
    parts = urllib.parse.urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SimulatorError(f"Refused base URL {base_url!r}: use http://127.0.0.1:<port> or http://localhost:<port>.")
    host = parts.hostname
    loopback = host == "localhost"
    if not loopback:
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
    if not loopback:
        raise SimulatorError(
            f"Refused base URL {base_url!r}: the simulator only talks to this machine (localhost, 127.0.0.0/8, ::1)."
        )
    if parts.username or parts.password or parts.query or parts.fragment:
        raise SimulatorError(f"Refused base URL {base_url!r}: no credentials, query or fragment in the URL.")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise SimulatorError(f"Refused to follow a redirect to {newurl!r}.")


class HttpTransport:
    """Real HTTP with urllib: loopback only, no proxy (environment proxies are ignored), no redirects, the
    key in the ``Authorization`` header (never in a URL)."""

    def __init__(self, base_url: str, key: str, *, timeout: float = 30.0) -> None:
        self.base_url = check_loopback(base_url)
        self.timeout = timeout
        self._headers = {"Authorization": f"Api-Key {key}", "Accept": "application/json"}
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())

    def _send(self, method: str, path: str, body: dict | None, extra: dict[str, str] | None = None) -> tuple[int, Any]:
        if not path.startswith("/"):
            raise SimulatorError(f"Refused path {path!r}: a path on the base URL is expected.")
        data = json.dumps(body).encode() if body is not None else None
        headers = {**self._headers, **(extra or {})}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers, method=method)  # noqa: S310 - loopback http(s) only, checked above
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        try:
            return status, json.loads(raw or b"null")
        except ValueError:
            return status, {"message": raw[:200].decode(errors="replace")}

    def get(self, path: str) -> tuple[int, Any]:
        return self._send("GET", path, None)

    def post(self, path: str, body: dict, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        return self._send("POST", path, body, headers)


class DjangoClientTransport:
    """Django's test client in process: the whole API stack without a server (tests and benchmarks)."""

    def __init__(self, key: str, client=None) -> None:
        if client is None:
            from django.test import Client

            client = Client()
        self.client = client
        self._auth = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}

    def get(self, path: str) -> tuple[int, Any]:
        response = self.client.get(path, **self._auth)
        return response.status_code, json.loads(response.content or b"null")

    def post(self, path: str, body: dict, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        response = self.client.post(
            path, data=json.dumps(body), content_type="application/json", headers=headers, **self._auth
        )
        return response.status_code, json.loads(response.content or b"null")


def _rng(*parts: Any) -> random.Random:
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 - simulated data, not security


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _amount(rng: random.Random, low: int, high: int) -> str:
    """A yuan amount as a string with two decimals (never a float)."""
    return str(Decimal(rng.randrange(low * 100, high * 100)) / 100)


VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
PLATE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
PROVINCES = "京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川贵云陕甘青"
DISTRICTS = ("朝阳区", "海淀区", "东城区", "西城区", "丰台区", "通州区", "昌平区")
STREETS = ("建国路", "望京街", "中关村大街", "学院路", "长安街", "酒仙桥路", "亮马桥路")
CAR_MODELS = (("大众", "帕萨特"), ("丰田", "凯美瑞"), ("比亚迪", "汉"), ("本田", "雅阁"), ("吉利", "星越L"))
STOCKS = (("600000", "浦发银行"), ("601398", "工商银行"), ("000001", "平安银行"), ("600519", "贵州茅台"))
PORTS = ("上海", "宁波", "舟山", "青岛", "大连", "广州")


def _asset(category: str, agency_name: str, item: dict, n: int, rng: random.Random, amounts: random.Random) -> dict:
    """One plausible asset of ``category``; ``rng`` fixes its identity, ``amounts`` its current figures."""
    d = item["debtor"]
    if category == C.DEPOSIT:
        return {
            "identifier": "6222" + _digits(rng, 15),
            "value": _amount(amounts, 1, 500000),
            "description": f"{agency_name} 活期储蓄",
            "details": {"bank": agency_name, "branch": f"北京{rng.choice(DISTRICTS)}支行"},
        }
    if category == C.WEALTH_PRODUCT:
        return {
            "identifier": f"WP{d:06d}{n}{_digits(rng, 8)}",
            "value": _amount(amounts, 10000, 2000000),
            "details": {"institution": agency_name, "product": rng.choice(("稳健理财30天", "天天利", "安心益180天"))},
        }
    if category == C.ONLINE_FUNDS:
        return {
            "identifier": "2088" + _digits(rng, 12),
            "value": _amount(amounts, 1, 200000),
            "details": {"platform": agency_name},
        }
    if category == C.SECURITIES:
        code, name = rng.choice(STOCKS)
        holding = {"code": code, "name": name, "shares": 100 * rng.randint(1, 500)}
        return {
            "identifier": "A" + _digits(rng, 9),
            "details": {"depository": agency_name, "holdings": [holding]},
        }
    if category == C.VEHICLE:
        brand, model = rng.choice(CAR_MODELS)
        plate = "京" + rng.choice("ABCEFGHJKLMNPQ") + "".join(rng.choice(PLATE_CHARS) for _ in range(5))
        return {
            "identifier": "L" + "".join(rng.choice(VIN_CHARS) for _ in range(16)),
            "description": f"{brand}{model}",
            "details": {"plate": plate, "brand": brand, "model": model},
        }
    if category == C.REAL_ESTATE:
        district = rng.choice(DISTRICTS)
        street, building = rng.choice(STREETS), f"{rng.randint(1, 200)}号院{rng.randint(1, 30)}号楼"
        details = {
            "address": f"北京市{district}{street}{building}{rng.randint(101, 2808)}",
            "area": _amount(rng, 30, 300),
            "use": rng.choice(("住宅", "商业", "办公")),
        }
        if rng.random() < 0.4:
            details["mortgages"] = [{"creditor": "中国建设银行北京分行", "amount": _amount(rng, 100000, 3000000)}]
        certificate = f"京({rng.randint(2005, 2024)}){district}不动产权第{_digits(rng, 7)}号"
        return {"identifier": certificate, "details": details}
    if category in (C.SHIP, C.FISHING_VESSEL):
        port = rng.choice(PORTS)
        prefix = "浙岱渔" if category == C.FISHING_VESSEL else "CN"
        return {
            "identifier": prefix + _digits(rng, 9),
            "details": {"name": f"{port}{rng.randint(1, 999)}号", "port": port, "tonnage": _amount(rng, 20, 5000)},
        }
    if category == C.EQUITY:
        return {
            "identifier": "91110105MA" + "".join(rng.choice(VIN_CHARS) for _ in range(8)),
            "details": {
                "company": f"北京{rng.choice(('恒通', '华泰', '鑫源', '博远'))}科技有限公司",
                "share_percent": str(Decimal(rng.randint(100, 10000)) / 100),
                "subscribed": f"{rng.randint(10, 1000)}万元",
            },
        }
    if category == C.PROVIDENT_FUND:
        return {
            "identifier": "11" + _digits(rng, 12),
            "value": _amount(amounts, 100, 300000),
            "details": {"centre": "北京住房公积金管理中心"},
        }
    if category == C.INSURANCE:
        return {
            "identifier": "P" + _digits(rng, 16),
            "value": _amount(amounts, 1000, 500000),
            "description": "现金价值",
            "details": {"insurer": rng.choice(("中国人寿", "平安人寿", "太平洋人寿")), "product": "终身寿险"},
        }
    if category == C.SOCIAL_SECURITY:
        return {
            "identifier": item.get("id_number") or _digits(rng, 18),
            "details": {"region": "北京市", "employer": f"北京某某服务有限公司{rng.randint(1, 99)}"},
        }
    if category == C.TAX:
        return {
            "identifier": item.get("id_number") or _digits(rng, 18),
            "details": {"tax_office": f"国家税务总局北京市{rng.choice(DISTRICTS)}税务局", "status": "正常"},
        }
    if category == C.BUSINESS_REGISTRATION:
        return {
            "identifier": "91110108MA" + "".join(rng.choice(VIN_CHARS) for _ in range(8)),
            "details": {
                "company": f"北京{rng.choice(('远景', '恒信', '瑞丰'))}贸易有限公司",
                "position": rng.choice(("法定代表人", "股东", "监事")),
            },
        }
    if category == C.EXIT_ENTRY_DOCUMENT:
        return {
            "identifier": "E" + _digits(rng, 8),
            "details": {
                "document_type": "普通护照",
                "valid_until": f"{rng.randint(2027, 2035)}-0{rng.randint(1, 9)}-15",
            },
        }
    if category == C.MARRIAGE:
        return {
            "identifier": f"J110105-{rng.randint(1995, 2023)}-{_digits(rng, 6)}",
            "details": {"status": "已婚", "spouse_name": rng.choice(("李娜", "张伟", "刘洋", "陈静"))},
        }
    raise SimulatorError(f"No simulated data for category {category!r}.")


def simulated_result(*, seed: int, agency: str, request_id: int, item: dict, gained: bool = False) -> dict:
    """The answer to one debtor × category item, deterministic from (seed, agency, debtor, category) for what
    is found and from the request as well for the amounts. ``gained``: the debtor has since acquired property
    of this category, so something is found whatever the seed says (post-termination tracking)."""
    category, debtor = item["category"], item["debtor"]
    rng = _rng(seed, agency, debtor, category)
    if rng.random() >= FOUND_RATE.get(category, 0.3) and not gained:
        return {"debtor": debtor, "category": category, "outcome": "none_found", "assets": []}
    count = 1 if category in SINGLE_RECORD or rng.random() < 0.75 else 2
    amounts = _rng(seed, agency, debtor, category, request_id)
    name = AGENCY_NAMES.get(agency, agency.upper())
    assets = [_asset(category, name, item, n, _rng(seed, agency, debtor, category, n), amounts) for n in range(count)]
    return {"debtor": debtor, "category": category, "outcome": "found", "assets": assets}


def simulated_price(*, seed: int, agency: str, inquiry: dict) -> str:
    """A platform's figure for an inquiry, as a yuan string: the reported value ±10 % (in 0.01 % steps)."""
    rng = _rng(seed, agency, "price", inquiry["id"])
    base = inquiry.get("reported_value")
    if base in (None, ""):
        return _amount(_rng(seed, "price-base", inquiry.get("identifier", "")), 200_000, 5_000_000)
    factor = Decimal(rng.randrange(9000, 11001)) / Decimal(10000)
    return str((Decimal(str(base)) * factor).quantize(Decimal("0.01")))


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the bytes the court signed (as ``core.signing.canonical_json``)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _parse_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def signature_problem(request: dict, key: dict | None, now: dt.datetime) -> str:
    """Why the court's seal on ``request`` does not hold (``""`` when it does). ``key`` is the entry of the
    public key list with the signature's key id (``None``: no such key)."""
    signature = request.get("signature")
    if not isinstance(signature, dict) or not signature.get("value") or not signature.get("key_id"):
        return "unsigned request"
    if signature.get("algorithm") != SIGNATURE_ALGORITHM:
        return f"unsupported signature algorithm {signature.get('algorithm')!r}"
    if key is None:
        return f"unknown signing key {signature['key_id']}"
    if key.get("court") != request.get("court"):
        return f"key {key['key_id']} is not a key of court {request.get('court')}"
    if key.get("revoked_at"):
        return f"revoked signing key {key['key_id']}"
    activates_at, retires_at = _parse_time(key.get("activates_at")), _parse_time(key.get("retires_at"))
    if activates_at is not None and now < activates_at:
        return f"signing key {key['key_id']} is not active yet"
    if retires_at is not None and now >= retires_at:
        return f"retired signing key {key['key_id']} (retired {key['retires_at']})"
    missing = [name for name in SIGNED_FIELDS if name not in request]
    if missing:
        return f"signed fields missing: {', '.join(missing)}"
    message = canonical_json({name: request[name] for name in SIGNED_FIELDS})
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key["public_key"], validate=True))
        public.verify(base64.b64decode(signature["value"], validate=True), message)
    except (InvalidSignature, ValueError, binascii.Error, TypeError, KeyError):
        return "the signature does not match the request (altered or forged)"
    return ""


@dataclass
class Stats:
    polls: int = 0
    requests_seen: int = 0
    requests_answered: int = 0
    requests_skipped: int = 0  # flaky: left to time out
    requests_refused: int = 0  # the court's signature did not hold
    results_sent: int = 0
    results_new: int = 0
    results_repeated: int = 0  # the server skipped them (already answered)
    answers_queued: int = 0  # respond-async: answers the server took for ingestion by a worker
    assets_new: int = 0
    errors: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)  # "request <id>: <reason>"

    def add(self, other: Stats) -> None:
        for name in ("polls", "requests_seen", "requests_answered", "requests_skipped", "requests_refused"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("results_sent", "results_new", "results_repeated", "answers_queued", "assets_new"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)
        self.refusals.extend(other.refusals)

    def line(self) -> str:
        return (
            f"polls {self.polls}, requests seen {self.requests_seen}, answered {self.requests_answered}, "
            f"left unanswered {self.requests_skipped}, refused {self.requests_refused}; "
            f"results sent {self.results_sent}, new {self.results_new}, "
            f"repeated {self.results_repeated}, queued in {self.answers_queued} answers; assets {self.assets_new}; "
            f"errors {len(self.errors)}"
        )


class AgencySimulator:
    """Plays agency ``agency`` (its code: it only flavours the data; the API key decides which requests
    are seen). ``slow``: seconds to sleep before each answer; ``flaky``: the share of requests left
    unanswered (per attempt); ``duplicate``: send every answer twice; ``gains``: (debtor id, category) pairs
    the debtor has acquired property in since (found whatever the seed says); ``respond_async``: send answers
    with ``Prefer: respond-async`` (ingested by the court's worker; the counts are then not known here)."""

    def __init__(
        self,
        transport: Transport,
        *,
        agency: str,
        seed: int = 0,
        slow: float = 0.0,
        flaky: float = 0.0,
        duplicate: bool = False,
        respond_async: bool = False,
        chunk: int = ANSWER_CHUNK,
        gains: frozenset[tuple[int, str]] | set[tuple[int, str]] = frozenset(),
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        log: Callable[[str], None] | None = None,
        prices: bool | None = None,
        verify: bool = True,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        if not 0.0 <= flaky <= 1.0:
            raise SimulatorError("flaky is a rate between 0 and 1.")
        if slow < 0:
            raise SimulatorError("slow is a number of seconds, 0 or more.")
        self.transport = transport
        self.agency, self.seed, self.slow, self.flaky, self.duplicate = agency, seed, slow, flaky, duplicate
        self.respond_async = respond_async
        self.chunk = max(1, chunk)
        self.gains = frozenset(gains)
        self.sleep, self.clock = sleep, clock
        self.log = log or (lambda message: None)
        self.stats = Stats()
        self.verify = verify
        self.now = now or (lambda: dt.datetime.now(dt.UTC))
        self._keys: dict[str, dict] = {}
        self._keys_fresh = False  # the key list is read again at most once per pass, when a request needs it
        # Price inquiries are polled by online-inquiry platforms: any agency not among the demo's banks and
        # registries (whose poll then stays one GET per pass), or when asked (``prices=True``).
        demo_kinds = {spec.code: spec.kind for spec in AGENCIES}
        self.prices = prices if prices is not None else demo_kinds.get(agency, "inquiry_platform") == "inquiry_platform"

    def pending(self) -> list[dict]:
        """Every pending request addressed to the agency (all pages; listing marks them delivered)."""
        found, path = [], f"{API_PREFIX}?status=pending&page_size={PAGE_SIZE}"
        for _page in range(MAX_PAGES):
            status, body = self.transport.get(path)
            if status != 200:
                raise SimulatorError(f"GET {path} answered {status}: {body}")
            found.extend(body["results"])
            if not body.get("next"):
                break
            # Follow only the path and query of "next": the host stays the configured loopback one.
            parts = urllib.parse.urlsplit(body["next"])
            path = f"{parts.path}?{parts.query}"
        return found

    def signing_keys(self, *, refresh: bool = False) -> dict[str, dict]:
        """The courts' public keys by key id (``/api/v1/signing-keys/``, no credentials needed)."""
        if refresh or not self._keys_fresh:
            status, body = self.transport.get(KEYS_PATH)
            if status != 200 or not isinstance(body, list):
                raise SimulatorError(f"GET {KEYS_PATH} answered {status}: {body}")
            self._keys = {entry["key_id"]: entry for entry in body}
            self._keys_fresh = True
        return self._keys

    def refusal(self, request: dict) -> str:
        """Why ``request`` must be refused (its court's seal does not hold), or ``""``."""
        if not self.verify:
            return ""
        signature = request.get("signature")
        key_id = signature.get("key_id") if isinstance(signature, dict) else None
        fetched_now = not self._keys_fresh
        keys = self.signing_keys()
        if key_id and key_id not in keys and not fetched_now:  # a key made since the list was read
            keys = self.signing_keys(refresh=True)
        return signature_problem(request, keys.get(key_id) if key_id else None, self.now())

    def skips(self, request: dict) -> bool:
        """Flaky: whether this attempt of ``request`` is left unanswered (deterministic by seed)."""
        if not self.flaky:
            return False
        return _rng(self.seed, self.agency, "flaky", request["id"], request.get("attempts", 1)).random() < self.flaky

    def answer_body(self, request: dict) -> list[dict]:
        return [
            simulated_result(
                seed=self.seed,
                agency=self.agency,
                request_id=request["id"],
                item=item,
                gained=(item["debtor"], item["category"]) in self.gains,
            )
            for item in request["items"]
        ]

    def answer(self, request: dict) -> Stats:
        stats = Stats(requests_seen=1)
        reason = self.refusal(request)
        if reason:
            return self.refuse(request, reason, stats)
        if self.skips(request):
            stats.requests_skipped = 1
            self.log(f"request {request['id']}: left unanswered (flaky)")
            return stats
        if self.slow:
            self.sleep(self.slow)
        if request.get("kind", "query") != "query":
            return self.confirm(request, stats)
        results = self.answer_body(request)
        path = f"{API_PREFIX}{request['id']}/answers/"
        headers, expected = ({"Prefer": "respond-async"}, 202) if self.respond_async else (None, 200)
        for start in range(0, len(results), self.chunk):
            body = {"results": results[start : start + self.chunk]}
            for _send in range(2 if self.duplicate else 1):
                status, receipt = self.transport.post(path, body, headers)
                if status != expected:
                    stats.errors.append(f"POST {path} answered {status}: {receipt}")
                    self.log(stats.errors[-1])
                    return stats
                stats.results_sent += len(body["results"])
                if self.respond_async:
                    stats.answers_queued += 1
                    continue
                stats.results_new += receipt["results"]
                stats.results_repeated += receipt["skipped"]
                stats.assets_new += receipt["assets"]
        stats.requests_answered = 1
        self.log(f"request {request['id']}: answered {len(results)} items")
        return stats

    def refuse(self, request: dict, reason: str, stats: Stats) -> Stats:
        """Act on nothing the court's seal does not cover: a query is left unanswered (it times out), a control
        order is answered "refused" with the reason as the reference."""
        stats.requests_refused = 1
        stats.refusals.append(f"request {request.get('id')}: {reason}")
        self.log(f"request {request.get('id')}: refused, {reason}")
        if request.get("kind", "query") != "query" and isinstance(request.get("id"), int):
            path = f"{API_PREFIX}{request['id']}/confirm/"
            body = {"outcome": "refused", "reference": f"unverified: {reason}"[:64]}
            status, receipt = self.transport.post(path, body)
            if status != 200:
                stats.errors.append(f"POST {path} answered {status}: {receipt}")
                self.log(stats.errors[-1])
        return stats

    def confirm(self, request: dict, stats: Stats) -> Stats:
        """A control order (freeze, seal, impound, deduct, release, renew): the agency carries it out and
        confirms it with its own reference (deterministic, so a repeated confirmation is recognisably one)."""
        path = f"{API_PREFIX}{request['id']}/confirm/"
        body = {"outcome": "done", "reference": f"SIM-{self.agency}-{request['id']}"}
        for _send in range(2 if self.duplicate else 1):
            status, receipt = self.transport.post(path, body)
            if status != 200:
                stats.errors.append(f"POST {path} answered {status}: {receipt}")
                self.log(stats.errors[-1])
                return stats
        stats.requests_answered = 1
        self.log(f"request {request['id']}: confirmed the {request['kind']} order")
        return stats

    def pending_price_inquiries(self) -> list[dict]:
        """The platform's pending online price inquiries (first page: a platform has few at a time)."""
        path = f"{PRICE_PREFIX}?status=pending&page_size={PAGE_SIZE}"
        status, body = self.transport.get(path)
        if status != 200:
            raise SimulatorError(f"GET {path} answered {status}: {body}")
        return body["results"]

    def answer_price(self, inquiry: dict) -> Stats:
        """Answer a price inquiry with a figure within ±10 % of the reported value (deterministic by seed,
        platform and inquiry), or, with no reported value, one drawn from the asset's identifier."""
        stats = Stats(requests_seen=1)
        if self.skips(inquiry):
            stats.requests_skipped = 1
            return stats
        if self.slow:
            self.sleep(self.slow)
        path = f"{PRICE_PREFIX}{inquiry['id']}/answer/"
        body = {"amount": simulated_price(seed=self.seed, agency=self.agency, inquiry=inquiry)}
        for _send in range(2 if self.duplicate else 1):
            status, receipt = self.transport.post(path, body)
            if status != 200:
                stats.errors.append(f"POST {path} answered {status}: {receipt}")
                self.log(stats.errors[-1])
                return stats
        stats.requests_answered = 1
        self.log(f"price inquiry {inquiry['id']}: answered {body['amount']}")
        return stats

    def poll_once(self) -> Stats:
        """One pass: list what is pending and answer each (or leave it, if flaky)."""
        stats = Stats(polls=1)
        self._keys_fresh = False  # a rotation or revocation since the last pass is seen on this one
        for request in self.pending():
            stats.add(self.answer(request))
        if self.prices:
            for inquiry in self.pending_price_inquiries():
                stats.add(self.answer_price(inquiry))
        self.stats.add(stats)
        return stats

    def run(self, *, once: bool = False, interval: float = 1.0, max_seconds: float = 600.0) -> Stats:
        """Poll until ``once`` pass is done or ``max_seconds`` have passed (always bounded)."""
        deadline = self.clock() + max_seconds
        while True:
            self.poll_once()
            if once or self.clock() + interval >= deadline:
                return self.stats
            self.sleep(interval)
