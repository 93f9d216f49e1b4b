"""The canonical event, in each schema version: validation with field-level
errors, the upgrade of newer versions to the form the hub processes, identity.

Each version is validated against ``schemas/event-v<N>.json`` (Draft 2020-12),
the documents the OpenAPI description publishes. Version 1 is the form the hub
processes; version 2 groups the same facts (``shipment``, ``milestone``) and is
read by upgrading it to version 1, so a v1 event stays valid while v2 exists.
A document without ``schema_version`` is version 1 (``DEFAULT_VERSION``); the
door records the version a message was accepted under, and processing and
replays use that record. Date-times must carry a UTC offset (checked by
:func:`timeutil.parse_event_time`). A valid event is recognised by
`jsonschema_rs` (7 µs an event, against 178 µs for `jsonschema`: most events are
valid, and a batch of 100 spent 18 ms on it); only an invalid one goes through
`jsonschema`, whose errors name the field.
"""

import hashlib
import json
import re
from functools import cache
from pathlib import Path
from typing import NamedTuple

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker

from odoo.addons.logistics_integration.lib import json_schema

from .timeutil import parse_event_time

SCHEMA_DIR = Path(__file__).parent / "schemas"
FORMATS = FormatChecker(formats=())
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class Version(NamedTuple):
    released: str
    deprecated: str | None  # after this date the version may be refused


VERSIONS = {
    "1": Version(released="2026-01-15", deprecated="2027-12-31"),
    "2": Version(released="2026-12-05", deprecated=None),
}
DEFAULT_VERSION = "1"  # what a document without schema_version is read as
CURRENT_VERSION = "2"  # what new integrations should send


@FORMATS.checks("date-time", raises=(ValueError, OverflowError))
def _is_date_time(value):
    parse_event_time(value)
    return True


@cache
def schema(version=DEFAULT_VERSION):
    return json.loads((SCHEMA_DIR / f"event-v{version}.json").read_text(encoding="utf-8"))


@cache
def _validator(version):
    return Draft202012Validator(schema(version), format_checker=FORMATS)


def _has_offset(value):
    try:
        parse_event_time(value)
    except (ValueError, OverflowError):
        return False
    return True


@cache
def _fast_validator(version):
    return jsonschema_rs.Draft202012Validator(
        schema(version), formats={"date-time": _has_offset}, validate_formats=True
    )


def version_of(event):
    """The schema version ``event`` says it follows ("2.0" is "2"), or the default."""
    declared = event.get("schema_version") if isinstance(event, dict) else None
    return str(declared).split(".")[0] if declared else DEFAULT_VERSION


def errors(event, version=None):
    """Return a list of ``{"field", "message"}`` for what is wrong with ``event``
    as a document of schema ``version`` (default: the one it declares); empty:
    valid."""
    if not isinstance(event, dict):
        return [{"field": "", "message": "an event is a JSON object"}]
    version = version or version_of(event)
    if version not in VERSIONS:
        known = ", ".join(VERSIONS)
        return [
            {"field": "schema_version", "message": f"unknown version {version!r}; known: {known}"}
        ]
    found = _unstorable_text(event)
    if not found and _fast_validator(version).is_valid(event):
        return []
    for error in sorted(
        _validator(version).iter_errors(event), key=lambda e: list(e.absolute_path)
    ):
        path = "/".join(str(part) for part in error.absolute_path)
        if error.validator == "anyOf" and path in ("", "milestone"):
            field = f"{path}/code" if path else "code"
            found.append({"field": field, "message": "either code or source_code is required"})
        else:
            found.append(json_schema.problem(error))
    return found


def canonical(event, version=None):
    """``event`` (valid in ``version``) in the form the hub processes: version 1."""
    if (version or version_of(event)) == "1":
        return event
    shipment = dict(event["shipment"])
    milestone = event["milestone"]
    upgraded = {
        "shipment_ref": shipment.pop("ref"),
        "identifiers": shipment.pop("identifiers", None),
        "shipment": shipment or None,
        "code": milestone.get("code"),
        "source_code": milestone.get("source_code"),
        "code_list": milestone.get("code_list"),
        "source_text": milestone.get("text"),
        "classifier": milestone.get("classifier"),
        **{k: v for k, v in event.items() if k not in ("schema_version", "shipment", "milestone")},
    }
    return {key: value for key, value in upgraded.items() if value is not None}


def _unstorable_text(value, path=()):
    """Fields holding text no database column can store: NUL, lone surrogates."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    elif isinstance(value, str) and UNSTORABLE.search(value):
        field = "/".join(str(part) for part in path)
        return [{"field": field, "message": "contains a NUL character or a lone surrogate"}]
    else:
        return []
    return [problem for key, item in items for problem in _unstorable_text(item, (*path, key))]


def identity(event):
    """A stable idempotency key: the same event sent twice, under any key, maps here.

    The source's event_id when given; otherwise what makes the event itself
    (shipment, code, classifier, instant, stop, location), with the event time
    normalised to UTC so "+02:00" and "Z" spellings of one instant agree.
    """
    event = canonical(event)  # one event is one key, whichever version it was sent in
    if event.get("event_id"):
        basis = ["id", event["event_id"]]
    else:
        event_time, _offset = parse_event_time(event["event_time"])
        basis = [
            event["shipment_ref"],
            event.get("code") or "",
            event.get("source_code") or "",
            event.get("code_list") or "",
            event.get("classifier") or "",
            event_time.isoformat(),
            (event.get("stop") or {}).get("sequence") or "",
            (event.get("location") or {}).get("code") or "",
        ]
    return "evt:" + hashlib.sha256(json.dumps(basis).encode()).hexdigest()[:40]
