"""A sandbox TMS (transportation management system) on loopback.

A real HTTP server (tests and the demo use it) that takes load tenders,
decides on them, and reports each load's life as events: pushed as signed
webhooks to the hub and listed in a polling feed. It speaks one of two
dialects.

``nested`` (a modern TMS API):

- ``POST /api/v2/tenders`` tenders a load (201 new, 200 revision or re-send);
- ``POST /api/v2/tenders/<reference>/cancel`` cancels it;
- ``GET /api/v2/events?updatedSince=<ISO>&limit=<n>`` is the event feed;
- ``POST /api/v2/customers:batch`` and ``/api/v2/locations:batch`` take master
  data and answer per record (``status: error`` for a US address without a
  five-digit ZIP code).

``flat`` (a legacy TMS: terse names, its own event codes, local wall times):

- ``POST /tms/load_tender`` and ``POST /tms/load_cancel`` (``{"ref_no": ...}``);
- ``GET /tms/events?since=<unix seconds>&max=<n>`` is the event feed;
- ``POST /tms/cust_upload`` and ``/tms/loc_upload`` (``{"rows": [...]}``) take
  master data as a file: one row without a ZIP code refuses the whole file
  (400, naming the row).

Both serve ``GET /pod/<load_id>.pdf`` without the token (real TMSs hand out
signed links); everything else needs ``Authorization: Bearer <token>``.

Faults, all attributes: ``down`` (every answer is 503 + Retry-After: 1),
``reject_refs`` (references always rejected), ``lag`` (each event shows up in
the feed after a random delay of up to ``lag`` seconds, so not in recorded
order), ``retention`` (seconds an event stays in the feed), ``drop_rate``
(share of webhooks never sent), ``clock_offset`` (moves the sandbox's clock).

Not imported by Odoo: plain Python, standard library plus requests.
"""

import importlib.util
import itertools
import json
import random
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit
from zoneinfo import ZoneInfo

import requests

POD_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
KG_PER_LB = 0.45359237
US_STOP_OFFSET = timezone(timedelta(hours=-5))  # the nested dialect's stop times
FLAT_ZONE = "America/Chicago"  # the flat dialect's wall clock
DEFAULT_CHARGES = (
    ("LINEHAUL", "1250.00", "USD"),
    ("FUEL", "187.50", "USD"),
    ("DETENTION", "75.00", "USD"),
)
FLAT_CHARGE_CODES = {"LINEHAUL": "LH", "FUEL": "FSC", "DETENTION": "DET"}
# an accepted load's remaining life: (time after dispatch, kind, details)
LIFECYCLE = (
    (timedelta(0), "dispatched", {}),
    (timedelta(hours=2), "arrived", {"sequence": 1}),
    (timedelta(hours=3), "departed", {"sequence": 1}),
    (timedelta(hours=8), "in_transit", {}),
    (timedelta(hours=30), "arrived", {"sequence": 2}),
    (timedelta(hours=31), "delivered", {}),
    (timedelta(hours=31, minutes=10), "pod", {}),
    (timedelta(hours=31, minutes=20), "charges", {}),
)


@dataclass
class Load:
    reference: str
    revision: int
    load_id: str
    state: str  # accepted, rejected, cancelled
    tender: dict  # the last tender body
    weight_kg: float


@dataclass
class Event:
    id: str
    reference: str
    recorded_at: datetime
    visible_at: datetime  # when the feed starts showing it
    body: dict  # in the dialect's format


class _HttpError(Exception):
    def __init__(self, status, body, headers=None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


class TmsSandbox:
    def __init__(
        self,
        dialect="nested",
        *,
        token="tms-token",
        hub_url=None,
        secret=None,
        lag=0,
        retention=3 * 86400,
        drop_rate=0.0,
        seed=0,
        max_weight_kg=24000,
        answer_first=False,
        numbers_from=0,
    ):
        self.dialect, self._api = dialect, {"nested": _Nested, "flat": _Flat}[dialect]()
        self.token, self.hub_url, self.secret = token, hub_url, secret
        self.lag, self.retention, self.drop_rate = lag, retention, drop_rate
        self.max_weight_kg = max_weight_kg
        # False (tests): the tender's answer webhook is sent before the tender is
        # answered, so a test sees both in order; True: after, as a TMS that
        # decides in the background does (the demo, the benchmark)
        self.answer_first = answer_first
        self.rng = random.Random(seed)
        self.clock_offset = timedelta(0)
        self.requests, self.loads, self.events, self.pushed = [], {}, [], []
        self.master_data = {"customers": {}, "locations": {}}  # section: {code: record}
        self.dropped, self.down, self.reject_refs = 0, False, set()
        # not reset: ids stay unique across tests sharing one sandbox
        # ``numbers_from``: a TMS restarted (the demo's) never hands out a number twice
        self._load_numbers = itertools.count(numbers_from)
        self._event_numbers = itertools.count(numbers_from * 1000)
        self._lock = threading.Lock()
        self.server = None

    # --- control ------------------------------------------------------------------

    def start(self, port=0):
        sandbox = self

        class Handler(_Handler):
            tms = sandbox

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def now(self):
        return datetime.now(timezone.utc) + self.clock_offset

    def reset(self):
        with self._lock:
            for kept in (self.loads, self.events, self.requests, self.pushed, self.reject_refs):
                kept.clear()
            for kept in self.master_data.values():
                kept.clear()
            self.dropped, self.down = 0, False

    # --- what the TMS reports -------------------------------------------------------

    def emit(self, reference, kind, at=None, **details):
        """Record one event of a load (occurred ``at``, default now) and push it.

        Returns the Event; a flat "charges" reports one row per charge, so
        there it returns the list of their Events."""
        events = self._emit(reference, kind, at, details)
        return events[0] if len(events) == 1 else events

    def lifecycle(self, reference, start=None):
        """Emit an accepted load's whole remaining life, dispatched at ``start``."""
        start = start or self.now() - timedelta(days=2)
        return [
            event
            for offset, kind, details in LIFECYCLE
            for event in self._emit(reference, kind, start + offset, details)
        ]

    def push(self, event):
        """POST one event's webhook to the hub; the status code or the exception name."""
        body = json.dumps(self._api.webhook_payload(event.body)).encode()
        headers = {"Content-Type": "application/json"}
        if self.secret:
            headers[signature.HEADER] = signature.sign(self.secret, body)
        try:
            answer = requests.post(self.hub_url, data=body, headers=headers, timeout=10)
            outcome = answer.status_code
        except requests.RequestException as error:
            outcome = type(error).__name__
        with self._lock:
            self.pushed.append((outcome, event.id))
        return outcome

    def visible_events(self, since=None):
        """Events the feed shows now, recorded at or after ``since``, by recording time."""
        now = self.now()
        oldest = now - timedelta(seconds=self.retention)
        if since is not None:
            oldest = max(oldest, _aware(since))
        with self._lock:
            shown = [e for e in self.events if e.visible_at <= now and e.recorded_at >= oldest]
        return sorted(shown, key=lambda event: event.recorded_at)

    def _emit(self, reference, kind, at, details):
        at = at or self.now()
        with self._lock:
            load = self.loads[reference]
            complete = _with_defaults(kind, at, load, self.url, details)
            events, outgoing = [], []
            for part in self._api.parts(kind, complete):
                events.append(self._record(load, at, part))
                # always roll, so the ids a seed gives do not depend on hub_url
                dropped = self.rng.random() < self.drop_rate
                if self.hub_url and dropped:
                    self.dropped += 1
                elif self.hub_url:
                    outgoing.append(events[-1])
        # never hold the lock while the hub answers: it may call us back
        for event in outgoing:
            self.push(event)
        return events

    def _record(self, load, at, part):
        now = self.now()
        # at the precision consumers see, so that a cursor equal to it includes it
        recorded_at = now.replace(microsecond=now.microsecond // 1000 * 1000)
        event_id = self._api.event_id(self.rng, next(self._event_numbers))
        body = self._api.envelope(event_id, load, at, recorded_at, part)
        delay = timedelta(seconds=self.rng.uniform(0, self.lag))
        event = Event(event_id, load.reference, recorded_at, recorded_at + delay, body)
        self.events.append(event)
        return event

    # --- serving --------------------------------------------------------------------

    def _tender(self, document):
        try:
            reference, revision, weight_kg = self._api.parse_tender(document)
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise _HttpError(400, self._api.error(f"malformed tender: {error!r}")) from error
        with self._lock:
            load = self.loads.get(reference)
            if load and revision <= load.revision:
                # a re-send: the TMS already has it (or newer)
                return self._api.tender_answer(load, created=False, replay=True)
            created = load is None
            load_id = self._api.load_id(next(self._load_numbers)) if created else load.load_id
            refusal = self._refusal(reference, weight_kg)
            state = "rejected" if refusal else "accepted"
            load = Load(reference, revision, load_id, state, document, weight_kg)
            self.loads[reference] = load
        if self.answer_first:
            threading.Thread(
                target=self._emit, args=(reference, state, None, refusal or {}), daemon=True
            ).start()
        else:
            self._emit(reference, state, None, refusal or {})
        return self._api.tender_answer(load, created=created, replay=False)

    def _refusal(self, reference, weight_kg):
        if weight_kg > self.max_weight_kg:
            return {"reason_code": "CAPACITY", "reason_text": "Over truck capacity"}
        if reference in self.reject_refs:
            return {"reason_code": "NO_EQUIPMENT", "reason_text": "No equipment available"}
        return None

    def _cancel(self, reference):
        with self._lock:
            load = self.loads.get(reference)
            if load is None:
                raise _HttpError(404, self._api.error(f"unknown tender {reference}"))
            load.state = "cancelled"
        return self._api.cancel_answer(load)

    def _master_data(self, section, document):
        try:
            records = self._api.master_records(section, document)
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise _HttpError(400, self._api.error(f"malformed upload: {error!r}")) from error
        checked = [(code, record, _zip_problem(address)) for code, record, address in records]
        status, answer = self._api.master_answer(checked)
        if status == 200:
            with self._lock:
                for code, record, problem in checked:
                    if not problem:
                        self.master_data[section][code] = record
        return status, answer

    def _feed(self, query):
        try:
            since, limit = self._api.feed_query(query)
        except ValueError as error:
            raise _HttpError(400, self._api.error(f"bad query: {error}")) from error
        events = self.visible_events(since)
        return self._api.feed_answer([event.body for event in events[:limit]], len(events) > limit)

    def _log(self, entry):
        with self._lock:
            self.requests.append(entry)


class _Handler(BaseHTTPRequestHandler):
    tms = None  # set per server
    protocol_version = "HTTP/1.1"  # keep-alive: every answer has its Content-Length
    disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms ACK wait

    def log_message(self, *args):
        pass

    def do_GET(self):
        self._serve()

    def do_POST(self):
        self._serve()

    def _serve(self):
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query))
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            status, answer, headers = self._answer(url.path, query, body)
        except _HttpError as error:
            status, answer, headers = error.status, error.body, error.headers
        self.tms._log(
            {
                "method": self.command,
                "path": url.path,
                "query": query,
                "headers": dict(self.headers),
                "body": body,
                "status": status,
            }
        )
        self._send(status, answer, headers)

    def _answer(self, path, query, body):
        tms, api = self.tms, self.tms._api
        if tms.down:
            raise _HttpError(503, {"error": "unavailable"}, {"Retry-After": "1"})
        if self.command == "GET" and path.startswith("/pod/"):
            return 200, POD_PDF, {}
        if self.headers.get("Authorization") != f"Bearer {tms.token}":
            raise _HttpError(401, {"error": "unauthorized"})
        if self.command == "GET" and path == api.feed_path:
            return 200, tms._feed(query), {}
        if self.command == "POST" and path == api.tender_path:
            status, answer = tms._tender(_json_object(body, api))
            return status, answer, {}
        if self.command == "POST" and path in api.master_paths:
            section = api.master_paths[path]
            status, answer = tms._master_data(section, _json_object(body, api))
            return status, answer, {}
        if self.command == "POST":
            reference = api.cancel_reference(path, body)
            if reference is not None:
                return 200, tms._cancel(reference), {}
        raise _HttpError(404, api.error("not found"))

    def _send(self, status, answer, headers):
        if isinstance(answer, bytes):
            data, content_type = answer, "application/pdf"
        else:
            data, content_type = json.dumps(answer).encode(), "application/json"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)


# --- the two dialects -----------------------------------------------------------------


class _Nested:
    """A modern TMS: nested JSON, ISO times with offsets, 201 on creation."""

    tender_path = "/api/v2/tenders"
    feed_path = "/api/v2/events"
    master_paths = {
        "/api/v2/customers:batch": "customers",
        "/api/v2/locations:batch": "locations",
    }
    _cancel_route = re.compile(r"/api/v2/tenders/([^/]+)/cancel")

    def load_id(self, number):
        return f"L-{100001 + number}"

    def event_id(self, rng, number):
        return f"evt_{rng.getrandbits(48):012x}"

    def error(self, message):
        return {"error": message}

    def parse_tender(self, document):
        tender = document["tender"]
        if not tender.get("reference"):
            raise ValueError("tender.reference is required")
        weight_kg = sum(_kg(item.get("weight") or {}) for item in tender.get("items") or [])
        return str(tender["reference"]), int(tender.get("revision", 1)), weight_kg

    def tender_answer(self, load, created, replay):
        status = load.state if replay else "received"
        answer = {"reference": load.reference, "revision": load.revision, "loadId": load.load_id}
        return (201 if created else 200), {"tender": {**answer, "status": status}}

    def cancel_reference(self, path, body):
        match = self._cancel_route.fullmatch(path)
        return unquote(match.group(1)) if match else None

    def cancel_answer(self, load):
        return {"tender": {"reference": load.reference, "status": "cancelled"}}

    def master_records(self, section, document):
        """``[(code, record, address)]`` of an upload."""
        return [
            (str(record["code"]), record, record.get("address") or {})
            for record in document[section]
        ]

    def master_answer(self, checked):
        """Per record: created, or an error naming what is wrong."""
        results = [
            {"code": code, "status": "error", "message": problem}
            if problem
            else {"code": code, "status": "ok"}
            for code, _record, problem in checked
        ]
        return 200, {"results": results}

    def feed_query(self, query):
        since = query.get("updatedSince")
        since = _aware(datetime.fromisoformat(since)) if since else None
        return since, _limit(query.get("limit"))

    def feed_answer(self, bodies, more):
        return {"events": bodies, "hasMore": more}

    def webhook_payload(self, body):
        return {"events": [body]}

    def parts(self, kind, d):
        return [NESTED_PARTS[kind](d)]

    def envelope(self, event_id, load, at, recorded_at, part):
        body = {
            "id": event_id,
            "type": part["type"],
            "occurredAt": _offset_iso(at),
            "recordedAt": recorded_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "load": {"id": load.load_id, "reference": load.reference},
        }
        body.update(part)
        return body


class _Flat:
    """A legacy TMS: one flat row per event, its own codes, Chicago wall times."""

    tender_path = "/tms/load_tender"
    feed_path = "/tms/events"
    master_paths = {"/tms/cust_upload": "customers", "/tms/loc_upload": "locations"}

    def load_id(self, number):
        return str(884201 + number)

    def event_id(self, rng, number):
        return str(1000 + number)

    def error(self, message):
        return {"result": "ERR", "msg": message}

    def parse_tender(self, document):
        if not document.get("ref_no"):
            raise ValueError("ref_no is required")
        weight_kg = float(document.get("wgt_lb") or 0) * KG_PER_LB
        return str(document["ref_no"]), int(document.get("rev", 1)), weight_kg

    def tender_answer(self, load, created, replay):
        # rejections come as TR events: the answer is OK either way
        return 200, {"result": "OK", "load_no": load.load_id, "ref_no": load.reference}

    def cancel_reference(self, path, body):
        if path != "/tms/load_cancel":
            return None
        reference = _json_object(body, self).get("ref_no")
        if not reference:
            raise _HttpError(400, self.error("ref_no is required"))
        return str(reference)

    def cancel_answer(self, load):
        return {"result": "OK"}

    def master_records(self, section, document):
        code = "cust_cd" if section == "customers" else "loc_cd"
        return [
            (str(row[code]), row, {"postalCode": row.get("zip"), "country": row.get("ctry")})
            for row in document["rows"]
        ]

    def master_answer(self, checked):
        """A file: all rows taken, or none (the first bad row named)."""
        for number, (code, _row, problem) in enumerate(checked, start=1):
            if problem:
                return 400, self.error(f"row {number} ({code}): {problem}")
        return 200, {"result": "OK", "rows": len(checked)}

    def feed_query(self, query):
        since = query.get("since")
        since = datetime.fromtimestamp(int(since), timezone.utc) if since is not None else None
        return since, _limit(query.get("max"))

    def feed_answer(self, bodies, more):
        return {"rows": bodies, "more": "Y" if more else "N"}

    def webhook_payload(self, body):
        return [body]

    def parts(self, kind, d):
        if kind == "charges":
            # one row per charge, each its own event
            return [
                {
                    "evt": "CH",
                    "chg_cd": FLAT_CHARGE_CODES.get(charge.upper(), charge.upper()),
                    "amt": f"{Decimal(str(amount)):,.2f}",
                    "cur": currency,
                }
                for charge, amount, currency in d["charges"]
            ]
        return [FLAT_PARTS[kind](d)]

    def envelope(self, event_id, load, at, recorded_at, part):
        row = {
            "evt_id": event_id,
            "evt": part["evt"],
            "load_no": load.load_id,
            "ref_no": load.reference,
            "evt_dt": _wall(at),
            "evt_tz": FLAT_ZONE,
            "rec_ts": int(recorded_at.timestamp()),
        }
        row.update(part)
        return row


NESTED_PARTS = {
    "accepted": lambda d: {"type": "tender.accepted", "tender": {"revision": d["revision"]}},
    "rejected": lambda d: {"type": "tender.rejected", "reason": _reason(d)},
    "dispatched": lambda d: {
        "type": "load.dispatched",
        "driver": {
            "firstName": d["driver_first"],
            "lastName": d["driver_last"],
            "phone": d["phone"],
        },
        "vehicle": {"plate": d["plate"], "type": "53ft dry van"},
        "plannedPickup": _offset_iso(d["planned_pickup"]),
        "plannedDelivery": _offset_iso(d["planned_delivery"]),
    },
    "arrived": lambda d: {"type": "stop.arrived", "stop": _stop(d)},
    "departed": lambda d: {"type": "stop.departed", "stop": _stop(d)},
    "in_transit": lambda d: {
        "type": "load.in_transit",
        "position": {"city": d["city"], "country": d["country"]},
    },
    "delayed": lambda d: {
        "type": "load.delayed",
        "reason": _reason(d),
        "eta": _offset_iso(d["eta"]),
    },
    "delivered": lambda d: {"type": "load.delivered", "stop": _stop(d)},
    "pod": lambda d: {
        "type": "pod.available",
        "document": {"url": d["url"], "signedBy": d["signed_by"], "mimeType": "application/pdf"},
    },
    "charges": lambda d: {
        "type": "charges.updated",
        "charges": [
            {"type": kind.upper(), "amount": f"{Decimal(str(amount)):.2f}", "currency": currency}
            for kind, amount, currency in d["charges"]
        ],
    },
}

FLAT_PARTS = {
    "accepted": lambda d: {"evt": "TA", "rev": d["revision"]},
    "rejected": lambda d: {"evt": "TR", "rsn_cd": d["reason_code"], "rsn_txt": d["reason_text"]},
    "dispatched": lambda d: {
        "evt": "DS",
        "drv_first": d["driver_first"],
        "drv_last": d["driver_last"],
        "drv_phone": d["phone"],
        "truck": d["plate"],
        "pu_eta": _wall(d["planned_pickup"]),
        "del_eta": _wall(d["planned_delivery"]),
    },
    "arrived": lambda d: {"evt": "X3" if _at_pickup(d) else "X1", "stop_no": d["sequence"]},
    "departed": lambda d: {"evt": "AF" if _at_pickup(d) else "CD", "stop_no": d["sequence"]},
    "in_transit": lambda d: {"evt": "IT", "city": d["city"]},
    "delayed": lambda d: {
        "evt": "SD",
        "rsn_cd": d["reason_code"],
        "rsn_txt": d["reason_text"],
        "del_eta": _wall(d["eta"]),
    },
    "delivered": lambda d: {"evt": "D1", "stop_no": d["sequence"]},
    "pod": lambda d: {"evt": "PD", "pod_link": d["url"], "signer": d["signed_by"]},
}


# --- helpers --------------------------------------------------------------------------


def _with_defaults(kind, at, load, base_url, details):
    """An event's details, dialect-neutral, with realistic defaults filled in."""
    defaults = {
        "accepted": {"revision": load.revision},
        "rejected": {"reason_code": "CAPACITY", "reason_text": "Over truck capacity"},
        "dispatched": {
            "driver_first": "Maria",
            "driver_last": "Lopez",
            "phone": "+1 312 555 0147",
            "plate": "IL 4829137",
            "planned_pickup": at + timedelta(hours=2),
            "planned_delivery": at + timedelta(hours=30),
        },
        "arrived": {"sequence": 1},
        "departed": {"sequence": 1},
        "in_transit": {"city": "Indianapolis", "country": "US"},
        "delayed": {
            "reason_code": "WEATHER",
            "reason_text": "Snow storm",
            "eta": at + timedelta(hours=12),
        },
        "delivered": {"sequence": 2},
        "pod": {"url": f"{base_url}/pod/{load.load_id}.pdf", "signed_by": "J. Doe"},
        "charges": {"charges": DEFAULT_CHARGES},
    }
    if kind not in defaults:
        raise ValueError(f"unknown event kind {kind!r}")
    complete = {**defaults[kind], **details}
    if "sequence" in complete:
        complete.setdefault("stop_type", "pickup" if complete["sequence"] == 1 else "delivery")
    return complete


def _stop(d):
    return {"sequence": d["sequence"], "type": d["stop_type"].upper()}


def _at_pickup(d):
    return d["stop_type"].lower() == "pickup"


def _reason(d):
    return {"code": d["reason_code"], "text": d["reason_text"]}


def _kg(weight):
    value = float(weight.get("value") or 0)
    return value * KG_PER_LB if str(weight.get("unit", "kg")).lower() == "lb" else value


def _zip_problem(address):
    """The sandbox's one address rule: a US address has a five-digit ZIP code."""
    postal_code = str(address.get("postalCode") or "").strip()
    if not postal_code:
        return "ZIP code required"
    if str(address.get("country") or "").upper() == "US" and not re.fullmatch(
        r"\d{5}(-\d{4})?", postal_code
    ):
        return f"{postal_code!r} is not a US ZIP code"
    return None


def _limit(raw):
    return min(max(int(raw), 1), 500) if raw else 100


def _aware(moment):
    """Naive datetimes (Odoo's) are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _offset_iso(moment):
    return _aware(moment).astimezone(US_STOP_OFFSET).isoformat(timespec="seconds")


def _wall(moment):
    """Local wall time without an offset, as the flat TMS writes it."""
    return _aware(moment).astimezone(ZoneInfo(FLAT_ZONE)).strftime("%Y-%m-%d %H:%M")


def _json_object(body, api):
    try:
        document = json.loads(body)
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise _HttpError(400, api.error("the body is not a JSON object"))
    return document


def _load_signature():
    """The hub's signature code, loaded from its file: the sandbox also runs as
    a plain script beside Odoo (the demo)."""
    path = Path(__file__).resolve().parents[2] / "logistics_integration" / "lib" / "signature.py"
    spec = importlib.util.spec_from_file_location("tms_sandbox_signature", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


signature = _load_signature()
