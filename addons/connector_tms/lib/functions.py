"""The few functions a TMS mapping template may call besides JMESPath's own.

Reviewed and short on purpose: each one reads something partners send in
many spellings, and none of them reaches outside the document except
``lookup``, which asks the code tables through the resolver it is given.

- ``decimal(value)``: ``"1,250.00"``, ``"1.250,00"``, ``1250`` → 1250.0
- ``datetime(value, zone)``: an ISO 8601 time (with or without offset), a
  local wall time (``2026-05-01 08:10``, ``05/01/2026 08:10``) or unix
  seconds, as ISO 8601 with the offset of ``zone`` (an IANA name)
- ``lookup(code_list, code)``: the canonical milestone code of a source code
- ``convert(value, from_unit, to_unit)``: weights and distances
- ``concat(...)``: the non-empty arguments joined (null ones skipped)

What a function cannot read is ``null`` plus a deviation, never an error:
the template decides what is required, the event schema checks it.
"""

import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jmespath import functions

UNITS = {
    "kg": ("mass", 1.0),
    "g": ("mass", 0.001),
    "t": ("mass", 1000.0),
    "lb": ("mass", 0.45359237),
    "km": ("length", 1000.0),
    "m": ("length", 1.0),
    "mi": ("length", 1609.344),
}
LOCAL_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M", "%d.%m.%Y %H:%M")
# A unix time larger than this is in milliseconds.
MILLISECONDS_FROM = 10**11


class Functions(functions.Functions):
    """One set per mapping run: ``deviations`` and ``unmapped`` collect what
    the functions could not read, ``resolver(code_list, code)`` answers
    ``lookup`` (None when the code has no milestone)."""

    def __init__(self, resolver=None):
        super().__init__()
        self.resolver = resolver
        self.deviations = []
        self.unmapped = []

    @functions.signature({"types": ["string", "number", "null"]})
    def _func_decimal(self, value):
        number = read_decimal(value)
        if number is None and value not in (None, ""):
            self.deviations.append(f"decimal: {value!r} is not a number")
        return number

    @functions.signature({"types": ["string", "number", "null"]}, {"types": ["string"]})
    def _func_datetime(self, value, zone):
        if value in (None, ""):
            return None
        try:
            tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            self.deviations.append(f"datetime: unknown time zone {zone!r}")
            return None
        moment = read_time(value, tz)
        if moment is None:
            self.deviations.append(f"datetime: {value!r} is not a date-time")
            return None
        return moment.astimezone(tz).isoformat()

    @functions.signature({"types": ["string"]}, {"types": ["string", "number", "null"]})
    def _func_lookup(self, code_list, code):
        if code in (None, ""):
            return None
        code = str(code).strip()
        found = self.resolver(code_list, code) if self.resolver else None
        if not found:
            self.unmapped.append((code_list, code))
        return found

    @functions.signature(
        {"types": ["string", "number", "null"]}, {"types": ["string"]}, {"types": ["string"]}
    )
    def _func_convert(self, value, from_unit, to_unit):
        number = read_decimal(value)
        source, target = UNITS.get(from_unit.lower()), UNITS.get(to_unit.lower())
        if number is None:
            return None
        if not source or not target or source[0] != target[0]:
            self.deviations.append(f"convert: cannot convert {from_unit} to {to_unit}")
            return None
        return round(number * source[1] / target[1], 6)

    @functions.signature({"types": [], "variadic": True})
    def _func_concat(self, *values):
        return "".join(str(v) for v in values if v not in (None, "")).strip() or None


def read_decimal(value):
    """A number from what partners write: thousands separators, a decimal comma."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    text = re.sub(r"[\s\u00a0']", "", str(value))
    if "," in text and "." in text:
        # the separator written last is the decimal one
        thousands = "," if text.rfind(",") < text.rfind(".") else "."
        text = text.replace(thousands, "").replace(",", ".")
    elif text.count(",") == 1 and len(text.rsplit(",", 1)[1]) != 3:
        text = text.replace(",", ".")  # "12,5": a decimal comma
    else:
        text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def read_time(value, tz=timezone.utc):
    """An aware datetime: ISO 8601 (a time without offset is local to ``tz``),
    a local wall time in a common layout, or unix (milli)seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _epoch(value)
    text = str(value).strip()
    if text.isdigit():
        return _epoch(int(text))
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        moment = None
        for layout in LOCAL_FORMATS:
            try:
                moment = datetime.strptime(text, layout)
                break
            except ValueError:
                continue
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _epoch(value):
    seconds = value / 1000 if abs(value) > MILLISECONDS_FROM else value
    try:
        return datetime.fromtimestamp(seconds, timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None
