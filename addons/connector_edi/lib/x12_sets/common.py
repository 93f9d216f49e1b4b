"""What the X12 transaction sets share: the segments a set may hold, values
as mapped (trimmed), dates and times with their time codes, N2 amounts."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from ..x12 import Problem

# AT7-07 and G62 time codes. Standard (xS), daylight (xD) and universal codes
# are fixed offsets in hours; the plain zone codes (ET, CT...) follow the zone's
# daylight saving rules. LT (local time) and a missing code fall back to the
# partner's own offset. We write UTC ("UT"): it needs no zone rules to read.
FIXED_TIME_CODES = {
    "UT": 0,
    "GM": 0,
    "Z": 0,
    "ES": -5,
    "ED": -4,
    "CS": -6,
    "CD": -5,
    "MS": -7,
    "MD": -6,
    "PS": -8,
    "PD": -7,
    "AS": -9,
    "AD": -8,
    "HS": -10,
}
ZONE_TIME_CODES = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
    "AT": "America/Anchorage",
    "HT": "Pacific/Honolulu",
}


class Spec:
    """Which segments a transaction set may hold (every segment its standard
    allows, in 4010 and 5010), and which it must."""

    def __init__(self, mandatory, allowed):
        self.mandatory = mandatory
        self.allowed = set(allowed) | set(mandatory) | {"ST", "SE"}

    def check(self, transaction):
        """Problems: a mandatory segment missing (nothing can be read without
        it). Deviations: segments the standard does not allow here."""
        problems, seen = [], set()
        base = transaction.position
        for index, elements in enumerate(transaction.segments, 1):
            tag = elements[0]
            seen.add(tag)
            if tag not in self.allowed:
                code = "1" if not tag.isalnum() or len(tag) > 3 else "2"
                problems.append(
                    Problem(
                        "segment",
                        code,
                        f"segment {tag!r} is not part of a {transaction.id}: ignored",
                        base + index - 1,
                        tag,
                        set_position=index,
                        warning=True,
                    )
                )
        for tag in self.mandatory:
            if tag not in seen:
                problems.append(
                    Problem(
                        "segment",
                        "3",
                        f"mandatory segment {tag} missing",
                        transaction.position,
                        tag,
                        # where it was due: a beginning segment (B*) right after
                        # ST, anything else before SE
                        set_position=2 if tag.startswith("B") else len(transaction.segments),
                    )
                )
        return problems


def el(elements, index):
    """A value as mapped: trimmed (the raw payload keeps it as it came); all blanks is empty."""
    return elements[index].strip() if index < len(elements) else ""


def event_time(
    date, time_, code, default_offset_minutes=0, position=0, segment="AT7", element=5, index=0
):
    """``(ISO 8601 with offset)`` from an X12 date (CCYYMMDD), time (HHMM[SS]) and time code."""
    try:
        moment = datetime.strptime(date + (time_ or "0000")[:4], "%Y%m%d%H%M")
    except ValueError as error:
        raise ValueError(
            Problem(
                "element",
                "8",
                f"invalid date/time {date!r} {time_!r}",
                position,
                segment,
                element,
                index,
            )
        ) from error
    return moment.replace(tzinfo=_zone(code, default_offset_minutes)).isoformat()


def _zone(code, default_offset_minutes):
    if code in ZONE_TIME_CODES:
        return ZoneInfo(ZONE_TIME_CODES[code])
    hours = FIXED_TIME_CODES.get(code)
    if hours is None:
        return timezone(timedelta(minutes=default_offset_minutes))
    return timezone(timedelta(hours=hours))


def utc(iso):
    """An ISO 8601 time with offset as UTC, for writing with time code UT."""
    return datetime.fromisoformat(iso).astimezone(timezone.utc)


def n2_amount(text, implied_decimals=2):
    """X12 N2 numbers carry two implied decimals: 12345 means 123.45."""
    try:
        return (Decimal(text) / (10**implied_decimals)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
