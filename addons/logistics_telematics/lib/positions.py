"""Truck positions as telematics units send them, read leniently, and the
geometry the geofences need. No Odoo here.

A message is one position or a list of them (a unit that buffers while out of
coverage sends what it kept), each a JSON object. Names vary by vendor; the
readings are: ``lat``/``latitude``, ``lon``/``lng``/``longitude``,
``speed``/``speed_kmh`` (km/h), ``time``/``timestamp``/``ts`` (ISO 8601 with
an offset, or Unix seconds or milliseconds), ``vehicle``/``vehicle_id``/
``plate`` (else the topic level the backend names), and an optional
``shipment_ref``. What cannot be read is reported, position by position.
"""

import json
import math
from datetime import datetime, timezone

EARTH_RADIUS_M = 6_371_000.0
ALIASES = {
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "long", "longitude"),
    "speed": ("speed_kmh", "speed"),
    "time": ("time", "timestamp", "ts", "fix_time"),
    "vehicle": ("vehicle", "vehicle_id", "plate", "unit"),
}


def _first(raw, names):
    for name in names:
        if raw.get(name) not in (None, ""):
            return raw[name]
    return None


def _number(value):
    if isinstance(value, bool):
        raise ValueError("a number is expected")
    return float(str(value).strip())


def _time(value):
    """An aware UTC datetime of an ISO 8601 text or Unix seconds / milliseconds."""
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        seconds = float(value)
        seconds = seconds / 1000 if seconds > 1e11 else seconds  # milliseconds
        return datetime.fromtimestamp(seconds, timezone.utc)
    text = str(value).strip().replace("Z", "+00:00")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a time with its UTC offset is expected")
    return moment.astimezone(timezone.utc)


class Unreadable(ValueError):
    """Why a position cannot be read."""


def read_position(raw, vehicle=None):
    """``(position, problem)``: a position dict (vehicle, lat, lon, speed_kmh,
    time as 'YYYY-MM-DDTHH:MM:SSZ', shipment_ref), or the reason it is unreadable."""
    try:
        return _position(raw, vehicle), ""
    except Unreadable as error:
        return None, str(error)


def _position(raw, vehicle):
    if not isinstance(raw, dict):
        raise Unreadable("a position is a JSON object")
    got = {key: _first(raw, names) for key, names in ALIASES.items()}
    vehicle = str(got["vehicle"] or vehicle or "").strip()[:64]
    if not vehicle:
        raise Unreadable("no vehicle (field vehicle, or the topic)")
    try:
        lat, lon = _number(got["lat"]), _number(got["lon"])
    except (TypeError, ValueError) as error:
        raise Unreadable("lat and lon must be numbers") from error
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise Unreadable(f"lat {lat}, lon {lon}: outside the globe")
    if got["time"] is None:
        raise Unreadable("no time")
    try:
        moment = _time(got["time"])
    except (ValueError, OverflowError, OSError) as error:
        raise Unreadable(f"time {got['time']!r}: {error}") from error
    try:
        speed = None if got["speed"] is None else max(0.0, _number(got["speed"]))
    except ValueError as error:
        raise Unreadable("speed must be a number (km/h)") from error
    position = {
        "vehicle": vehicle,
        "lat": round(lat, 7),
        "lon": round(lon, 7),
        "speed_kmh": speed,
        "time": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if raw.get("shipment_ref"):
        position["shipment_ref"] = str(raw["shipment_ref"])[:128]
    return position


def read_message(payload, vehicle=None):
    """``(positions, problems)`` of one message's bytes."""
    try:
        document = json.loads(
            payload.decode("utf-8-sig") if isinstance(payload, bytes) else payload
        )
    except (UnicodeDecodeError, ValueError) as error:
        return [], [f"not JSON: {error}"]
    items = document if isinstance(document, list) else [document]
    positions, problems = [], []
    for index, raw in enumerate(items):
        position, problem = read_position(raw, vehicle)
        if position:
            positions.append(position)
        else:
            problems.append(f"position {index}: {problem}" if len(items) > 1 else problem)
    return positions, problems


def topic_level(topic, pattern):
    """The topic level a ``+`` of ``pattern`` matched (the vehicle, by convention)."""
    wanted = pattern.split("/")
    if "+" not in wanted:
        return None
    levels = topic.split("/")
    index = wanted.index("+")
    return levels[index] if index < len(levels) else None


def distance_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))
