"""The payment event's schema, checked at the door and published in the API."""

from pathlib import Path

from odoo.addons.logistics_integration.lib import json_schema

SCHEMA_PATH = Path(__file__).parent / "schemas" / "payment-v1.json"


def schema():
    return json_schema.validator(SCHEMA_PATH).schema


def problems(document):
    """[{field, message}] for each way ``document`` breaks the schema."""
    return json_schema.problems(json_schema.validator(SCHEMA_PATH), document)
