"""The payment event's schema, checked at the door."""

import json
from pathlib import Path

import jsonschema

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "payment-v1.json").read_text())
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def problems(document):
    """[{field, message}] for each way ``document`` breaks the schema."""
    return [
        {"field": "/".join(str(part) for part in error.absolute_path), "message": error.message}
        for error in sorted(_VALIDATOR.iter_errors(document), key=lambda e: list(e.absolute_path))
    ]
