"""A rate card as a pricing system publishes it (``schemas/rate-card-v1.json``):
read leniently (case and padding of codes, numbers sent as text), checked
field by field, and identified by its content so an unchanged card read again
is a duplicate at the door."""

import copy
import hashlib
import json
from pathlib import Path

from odoo.addons.logistics_integration.lib import json_schema

SCHEMA_PATH = Path(__file__).parent / "schemas" / "rate-card-v1.json"
LOWER = ("side", "mode", "basis", "charge_type")
UPPER = ("country", "state", "currency", "code")


def schema():
    return json_schema.validator(SCHEMA_PATH).schema


def cards(body):
    """The cards of a published body: ``{"rate_cards": [...]}`` or the list itself."""
    if isinstance(body, dict):
        body = body.get("rate_cards")
    return body if isinstance(body, list) else None


def normalised(card):
    """A copy of ``card`` with codes in the case we store them and text unpadded."""
    return _normalised(copy.deepcopy(card))


def _normalised(value, key=None):
    if isinstance(value, dict):
        return {name: _normalised(item, name) for name, item in value.items()}
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    if isinstance(value, str):
        value = value.strip()
        if key in LOWER:
            return value.lower()
        if key in UPPER:
            return value.upper()
    return value


def problems(card):
    """``[{"field", "message"}]`` of what ``card`` breaks in the schema."""
    return json_schema.object_problems(json_schema.validator(SCHEMA_PATH), card)


def identity(card):
    """The door's idempotency key: who, which version, and what it says."""
    content = json.dumps(card, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256(content.encode()).hexdigest()[:32]
    return f"rate_card:{card['partner_ref']}:{card['side']}:{card['version']}:{digest}"


def amount(value):
    """An amount of the card (a number, or a numeric string) as a float."""
    return float(value or 0)
