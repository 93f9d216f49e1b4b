"""Event times: ISO 8601 with an explicit offset in, naive UTC plus offset stored.

Odoo stores datetimes as naive UTC. A milestone also keeps the offset its
source used, so the timeline can show the local time where the event happened.
"""

from datetime import datetime, timedelta, timezone


def parse_event_time(text):
    """Return ``(naive UTC datetime, offset in minutes)`` for an ISO 8601 string.

    The offset is mandatory ("Z" counts): an event time without one is
    ambiguous, and guessing the zone is how milestones end up out of order.
    """
    if not isinstance(text, str):
        raise ValueError("expected an ISO 8601 date-time string")
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise ValueError(f"not an ISO 8601 date-time: {text!r}") from error
    if moment.tzinfo is None:
        raise ValueError(f"date-time without UTC offset: {text!r}")
    offset = moment.utcoffset()
    utc = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return utc, int(offset.total_seconds() // 60)


def format_local(utc, offset_minutes):
    """Render a naive UTC datetime in the event's own offset: ``2024-05-01 14:03 +02:00``."""
    if not utc:
        return ""
    offset = timedelta(minutes=offset_minutes or 0)
    local = utc.replace(tzinfo=timezone.utc).astimezone(timezone(offset))
    sign = "-" if offset < timedelta(0) else "+"
    hours, minutes = divmod(abs(int(offset.total_seconds() // 60)), 60)
    return f"{local:%Y-%m-%d %H:%M} {sign}{hours:02d}:{minutes:02d}"


def to_iso(utc, offset_minutes):
    """ISO 8601 of a naive UTC datetime, written in the source's offset."""
    local = utc.replace(tzinfo=timezone.utc).astimezone(
        timezone(timedelta(minutes=offset_minutes or 0))
    )
    return local.isoformat()
