"""JSON Schema checks that tell a partner which field is wrong and how.

Every connector checks the documents it admits against a JSON Schema (Draft
2020-12); this is the one place that turns `jsonschema`'s errors into the
door's ``{"field", "message"}`` problems, so a missing field is named rather
than its parent, and an unknown one is named too.
"""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker


@cache
def validator(path, format_checker=None):
    """A validator of the schema file at ``path`` (read once per process).
    Without ``format_checker`` the standard formats are checked."""
    schema = json.loads(Path(path).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=format_checker or FormatChecker())


def problem(error):
    """One ``{"field", "message"}`` for one validation error."""
    path = [str(part) for part in error.absolute_path]
    message = error.message
    if error.validator == "required":
        path.append(error.message.split("'")[1])
        message = "is required"
    elif error.validator == "additionalProperties":
        unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        path.extend(unknown[:1])
        message = "unknown field" if len(unknown) == 1 else f"unknown fields: {', '.join(unknown)}"
    elif error.validator == "format" and error.cause:
        message = str(error.cause)
    return {"field": "/".join(path), "message": message}


def problems(validator, document):
    """What ``document`` breaks in ``validator``, in field order."""
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    return [problem(error) for error in errors]


def object_problems(validator, document):
    """Like :func:`problems`, for a document that must be a JSON object."""
    if not isinstance(document, dict):
        return [{"field": "", "message": "expected a JSON object"}]
    return problems(validator, document)


def problems_text(problems):
    """Problems as one line for a person: ``field: message; field: message``."""
    return "; ".join(
        f"{problem['field']}: {problem['message']}" if problem.get("field") else problem["message"]
        for problem in problems
    )
