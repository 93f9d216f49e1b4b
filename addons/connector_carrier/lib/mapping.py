"""A carrier's tracking answers read through a declarative mapping.

The mapping names, with one JMESPath expression per field, where a carrier
puts each thing we need: the tracking documents in a poll answer or a webhook,
the tracking number, its events (code, text, time, reason, place), the ETA,
the proof of delivery and the freight charges. A carrier whose API looks like
one we know is then configuration, not code.

Reading is lenient: a field that is missing is simply absent, times come as
ISO 8601 (with or without offset) or unix seconds, numbers as numbers or
strings. Every liberty taken is reported as a deviation, never silently.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

import jmespath
from jmespath.exceptions import JMESPathError

# The fields of a mapping and what each one finds, in that order on the form.
FIELDS = {
    "poll_items": "the tracking documents in a poll answer",
    "webhook_items": "the tracking documents in a webhook body",
    "number": "a document's tracking number",
    "error": "a document's error (this number cannot be tracked)",
    "ship_date": "a document's ship date",
    "eta": "a document's estimated delivery",
    "events": "a document's scan events",
    "event_id": "an event's own id",
    "event_code": "an event's status code",
    "event_text": "an event's description",
    "event_time": "an event's time",
    "event_reason": "an event's reason code",
    "event_location": "an event's place name",
    "event_city": "an event's city",
    "event_country": "an event's country (ISO code)",
    "pod_url": "the proof of delivery document's URL",
    "pod_signed_by": "who signed for the delivery",
    "charges": "a document's freight charges",
    "charge_type": "a charge's type",
    "charge_stage": "whether a charge is quoted or final",
    "charge_amount": "a charge's amount",
    "charge_currency": "a charge's currency",
    "charge_description": "a charge's description",
    "charge_invoice": "the number of the carrier's invoice a charge is billed on",
}

DEFAULT = {
    "poll_items": "trackings",
    "webhook_items": "data",
    "number": "tracking_number",
    "error": "error",
    "ship_date": "ship_date",
    "eta": "estimated_delivery",
    "events": "events",
    "event_id": "id",
    "event_code": "code",
    "event_text": "description",
    "event_time": "time",
    "event_reason": "reason",
    "event_location": "location.name",
    "event_city": "location.city",
    "event_country": "location.country",
    "pod_url": "pod.url",
    "pod_signed_by": "pod.signed_by",
    "charges": "charges",
    "charge_type": "type",
    "charge_stage": "stage",
    "charge_amount": "amount",
    "charge_currency": "currency",
    "charge_description": "description",
    "charge_invoice": "invoice_number",
}


# A unix time larger than this is in milliseconds (this many seconds is year 5138).
MILLISECONDS_FROM = 10**11


class MappingError(ValueError):
    """The mapping itself is wrong (not the carrier's data)."""


@dataclass
class Event:
    code: str
    time: datetime  # aware
    event_id: str = ""
    text: str = ""
    reason: str = ""
    location: str = ""
    city: str = ""
    country: str = ""


@dataclass
class Charge:
    amount: float
    charge_type: str = ""
    stage: str = "final"
    currency: str = ""
    description: str = ""
    invoice: str = ""


@dataclass
class Tracking:
    number: str
    error: str = ""
    ship_date: datetime | None = None
    eta: datetime | None = None
    events: list = field(default_factory=list)
    pod_url: str = ""
    pod_signed_by: str = ""
    charges: list = field(default_factory=list)
    deviations: list = field(default_factory=list)


class Mapping:
    """A compiled mapping: ``Mapping(spec)`` raises MappingError for a bad one."""

    def __init__(self, spec=None):
        spec = {**DEFAULT, **(spec or {})}
        unknown = set(spec) - set(FIELDS)
        if unknown:
            raise MappingError(f"unknown mapping field(s): {', '.join(sorted(unknown))}")
        self.spec = spec
        self._compiled = {}
        for name, expression in spec.items():
            if not expression:
                continue
            try:
                self._compiled[name] = jmespath.compile(expression)
            except JMESPathError as error:
                raise MappingError(f"{name}: {expression!r} is not JMESPath ({error})") from error

    @classmethod
    def from_json(cls, text):
        if not (text or "").strip():
            return cls()
        try:
            spec = json.loads(text)
        except ValueError as error:
            raise MappingError(f"the mapping is not JSON: {error}") from error
        if not isinstance(spec, dict) or not all(isinstance(v, str) for v in spec.values()):
            raise MappingError("the mapping is a JSON object of field: JMESPath expression")
        return cls(spec)

    def _get(self, name, data):
        expression = self._compiled.get(name)
        return expression.search(data) if expression is not None and data is not None else None

    def documents(self, body, source):
        """The tracking documents of a poll answer or webhook body (``source``
        is ``poll`` or ``webhook``): a list of dicts."""
        found = self._get(f"{source}_items", body)
        if found is None and isinstance(body, dict | list):
            found = body  # the body is the document (or the list of them)
        items = found if isinstance(found, list) else [found]
        return [item for item in items if isinstance(item, dict)]

    def number_of(self, document):
        number = self._get("number", document)
        return str(number).strip() if number not in (None, "") else ""

    def parse(self, document):
        """One tracking document as a :class:`Tracking`."""
        deviations = []
        tracking = Tracking(number=self.number_of(document), deviations=deviations)
        tracking.error = _text(self._get("error", document))
        tracking.ship_date = _time(
            self._get("ship_date", document), "ship_date", deviations, date_only=True
        )
        tracking.eta = _time(self._get("eta", document), "eta", deviations)
        tracking.pod_url = _text(self._get("pod_url", document))
        tracking.pod_signed_by = _text(self._get("pod_signed_by", document))
        for index, raw in enumerate(_list(self._get("events", document))):
            event = self._event(raw, f"events[{index}]", deviations)
            if event:
                tracking.events.append(event)
        for index, raw in enumerate(_list(self._get("charges", document))):
            charge = self._charge(raw, f"charges[{index}]", deviations)
            if charge:
                tracking.charges.append(charge)
        return tracking

    def _event(self, raw, where, deviations):
        code = _text(self._get("event_code", raw))
        when = _time(self._get("event_time", raw), f"{where}.time", deviations)
        if not code or when is None:
            deviations.append(f"{where}: no status code or no time, event skipped")
            return None
        return Event(
            code=code,
            time=when,
            event_id=_text(self._get("event_id", raw)),
            text=_text(self._get("event_text", raw)),
            reason=_text(self._get("event_reason", raw)),
            location=_text(self._get("event_location", raw)),
            city=_text(self._get("event_city", raw)),
            country=_text(self._get("event_country", raw)).upper()[:2],
        )

    def _charge(self, raw, where, deviations):
        amount = _number(self._get("charge_amount", raw))
        if amount is None:
            deviations.append(f"{where}: no amount, charge skipped")
            return None
        stage = _text(self._get("charge_stage", raw)).lower() or "final"
        if stage not in ("quoted", "final"):
            deviations.append(f"{where}: stage {stage!r} read as final")
            stage = "final"
        return Charge(
            amount=amount,
            charge_type=_text(self._get("charge_type", raw)).lower(),
            stage=stage,
            currency=_text(self._get("charge_currency", raw)).upper(),
            description=_text(self._get("charge_description", raw)),
            invoice=_text(self._get("charge_invoice", raw)),
        )


def _text(value):
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def _list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip().replace(",", ""))
    except ValueError:
        return None


def _time(value, where, deviations, date_only=False):
    """An aware datetime from ISO 8601 or unix seconds; a time without offset
    is read as UTC and reported (a date, where a date is what is asked, is not)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        return _epoch(value, where, deviations)
    else:
        text = str(value).strip()
        if text.isdigit():
            return _epoch(int(text), where, deviations)
        try:
            moment = datetime.fromisoformat(text.replace(" ", "T", 1))
        except ValueError:
            deviations.append(f"{where}: {text!r} is not a date-time")
            return None
    if moment.tzinfo is None:
        if not (date_only and len(str(value).strip()) == 10):
            deviations.append(f"{where}: {moment.isoformat()} has no UTC offset, read as UTC")
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


def _epoch(value, where, deviations):
    """Unix seconds, or milliseconds (as JavaScript writes them), as UTC."""
    seconds = value / 1000 if abs(value) > MILLISECONDS_FROM else value
    try:
        return datetime.fromtimestamp(seconds, timezone.utc)
    except (ValueError, OverflowError, OSError):
        deviations.append(f"{where}: {value!r} is not a unix time")
        return None
