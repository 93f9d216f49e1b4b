"""A TMS dialect as data: a mapping template read, checked and applied.

A template (``schemas/template-v1.json``) says, with JMESPath expressions and
the functions of :mod:`functions`, where a TMS puts its events in a webhook
body and a feed page, what each event means in canonical terms (a
``schemas/tms-event-v1.json`` document), how our tender and cancel
documents are written in its JSON, and how our customers and locations are
sent to it in batches (and where its answer names the ones it refused). A second TMS is a second template, not
code. Templates are checked when saved; each mapped event is checked against
the event schema, and the TMS's own payload against the template's
``payload_schema`` when it gives one.
"""

import json
from dataclasses import dataclass, field
from datetime import timezone
from pathlib import Path

import jmespath
from jmespath.exceptions import JMESPathError
from jsonschema import Draft202012Validator, FormatChecker

from odoo.addons.logistics_integration.lib import json_schema

from .functions import Functions, read_time

SCHEMAS = Path(__file__).parent / "schemas"
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _has_offset(value):
    if not isinstance(value, str):
        return True  # a format speaks of strings; the type check names the rest
    moment = read_time(value)
    if moment is None or "T" not in value:
        raise ValueError(f"{value!r} is not an ISO 8601 date-time")
    return True


# Master data the hub sends to a TMS in batches: the template's section names.
MASTER_DATA = ("customers", "locations")


class TemplateError(ValueError):
    """The template itself is wrong (not the TMS's data)."""


def _validator(name):
    return json_schema.validator(SCHEMAS / name, FORMATS)


def document_problems(schema_path, document):
    """``[{"field", "message"}]`` of a JSON document against one of our schemas."""
    return json_schema.object_problems(_validator(schema_path.name), document)


@dataclass
class Mapped:
    """One TMS event read through a template."""

    event: dict
    problems: list = field(default_factory=list)
    deviations: list = field(default_factory=list)
    unmapped: list = field(default_factory=list)


class Template:
    """A compiled template: ``Template(spec)`` raises TemplateError for a bad one."""

    def __init__(self, spec):
        found = json_schema.problems(_validator("template-v1.json"), spec)
        if found:
            raise TemplateError(
                "; ".join(f"{p['field'] or 'template'}: {p['message']}" for p in found)
            )
        self.spec = spec
        self._compiled = {}
        for where, expression in self._expressions(spec):
            try:
                self._compiled[where] = jmespath.compile(expression)
            except JMESPathError as error:
                raise TemplateError(f"{where}: {expression!r} is not JMESPath ({error})") from error
        payload_schema = spec["inbound"].get("payload_schema")
        self._payload_validator = None
        if payload_schema:
            try:
                Draft202012Validator.check_schema(payload_schema)
            except Exception as error:  # jsonschema's SchemaError and friends
                raise TemplateError(f"inbound.payload_schema: {error}") from error
            self._payload_validator = Draft202012Validator(payload_schema)

    @classmethod
    def from_json(cls, text):
        try:
            spec = json.loads(text or "")
        except ValueError as error:
            raise TemplateError(f"the template is not JSON: {error}") from error
        return cls(spec)

    @staticmethod
    def _expressions(spec):
        inbound = spec["inbound"]
        yield "inbound.items", inbound["items"]
        for name, expression in inbound["fields"].items():
            yield f"inbound.fields.{name}", expression
        for key in ("items", "position", "more"):
            if (spec.get("feed") or {}).get(key):
                yield f"feed.{key}", spec["feed"][key]
        for section in ("tender", "cancel", *MASTER_DATA):
            for key in ("body", "load_id", "refused"):
                if (spec.get(section) or {}).get(key):
                    yield f"{section}.{key}", spec[section][key]

    def _search(self, where, data, options=None):
        expression = self._compiled.get(where)
        if expression is None or data is None:
            return None
        return expression.search(data, options=options)

    # --- inbound ------------------------------------------------------------------

    def events(self, body, source="webhook"):
        """The raw events of a webhook body (``source="webhook"``) or a feed page."""
        where = "feed.items" if source == "feed" else "inbound.items"
        found = self._search(where, body)
        if found is None and isinstance(body, list):
            found = body  # a body that is the list itself
        items = found if isinstance(found, list) else [found]
        return [item for item in items if isinstance(item, dict)]

    def payload_problems(self, raw):
        """What one raw event breaks in the TMS's own schema, if the template gives one."""
        if self._payload_validator is None:
            return []
        return json_schema.problems(self._payload_validator, raw)

    def identity(self, raw):
        """``(event id, order ref or load id)`` of a raw event, read without code
        tables: the door's idempotency key and lane."""
        event_id, ref, load = (
            self._search(f"inbound.fields.{name}", raw)
            for name in ("event_id", "order_ref", "load_id")
        )
        return _text(event_id), _text(ref) or _text(load)

    def map(self, raw, resolver=None):
        """One raw event as a TMS event (:class:`Mapped`); ``resolver(code_list,
        code)`` answers the template's ``lookup`` calls."""
        functions = Functions(resolver)
        options = jmespath.Options(custom_functions=functions)
        event = {}
        for name in self.spec["inbound"]["fields"]:
            value = self._search(f"inbound.fields.{name}", raw, options)
            value = _cleaned(name, value)
            if value is not None:
                event[name] = value
        found = json_schema.problems(_validator("tms-event-v1.json"), event)
        return Mapped(event, found, functions.deviations, functions.unmapped)

    # --- the change feed ------------------------------------------------------------

    def feed_position(self, raw):
        """When the TMS recorded an event (aware UTC), or None."""
        value = self._search("feed.position", raw)
        moment = read_time(value) if value not in (None, "") else None
        return moment.astimezone(timezone.utc) if moment else None

    def feed_has_more(self, page):
        more = self._search("feed.more", page)
        return more is True or str(more).strip().upper() in ("Y", "YES", "TRUE", "1")

    def feed_params(self, since, limit):
        feed = self.spec["feed"]
        value = int(since.timestamp()) if feed.get("since_format") == "epoch" else since.isoformat()
        params = {feed["since_param"]: value}
        if feed.get("limit_param"):
            params[feed["limit_param"]] = limit
        return params

    # --- outbound -------------------------------------------------------------------

    def render(self, section, document):
        """``(path, body)`` of a tender or cancel call for our ``document``."""
        spec = self.spec.get(section)
        if not spec:
            raise TemplateError(f"the template has no {section} section")
        options = jmespath.Options(custom_functions=Functions())
        body = self._search(f"{section}.body", document, options)
        path = spec["path"].replace("{reference}", str(document.get("reference", "")))
        return path, body

    def answer_load_id(self, section, answer):
        return _text(self._search(f"{section}.load_id", answer))

    def sends(self, section):
        """Does this TMS take ``section`` (customers, locations) from us?"""
        return bool(self.spec.get(section))

    def render_batch(self, section, records):
        """``(path, body)`` of one batch of master data ``records``."""
        return self.render(section, {"records": records})

    def refused(self, section, answer):
        """``{key: reason}`` of the records the TMS's answer to a batch refused."""
        found = self._search(f"{section}.refused", answer)
        refused = {}
        for item in found if isinstance(found, list) else []:
            if isinstance(item, dict) and _text(item.get("key")):
                refused[_text(item["key"])] = _text(item.get("reason")) or "refused"
        return refused


def _text(value):
    if value is None or isinstance(value, dict | list | bool):
        return ""
    return str(value).strip()


def _cleaned(name, value):
    """Partners send numbers as text and text as numbers: read them as the
    event schema wants them; leave what cannot be read for the schema to name."""
    if value in (None, "", []):
        return None
    if name in ("stop_sequence", "revision"):
        text = str(value).strip()
        return int(text) if text.isdigit() else value
    if name == "charges":
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        value = value.strip()
        return value.upper() if name == "country" else value
    return value
