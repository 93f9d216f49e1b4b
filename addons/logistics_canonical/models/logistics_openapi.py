"""What the shipment domain adds to the OpenAPI document: events, batches
and webhook subscriptions.

Built from the same JSON Schema the routes validate with, so the document
cannot drift from what the routes accept.
"""

import json

from odoo import api, models

from odoo.addons.logistics_integration.lib.documents import KEPT_TYPES
from odoo.addons.logistics_integration.lib.openapi import (
    CORRELATION_HEADER,
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    auth_errors,
    common_errors,
    component,
    document_operation,
    error_response,
    id_parameter,
    json_body,
    json_response,
)

from ..lib import event_schema
from .logistics_backend import URL_PATTERN
from .logistics_processor_document import SCHEMA as DOCUMENT_SCHEMA
from .logistics_processor_document import SHIPMENT_REF


def paths(batch_max, milestone_codes):
    return {
        "/logistics/v1/events": document_operation("postEvent", "Send one event", "Event", "event"),
        "/logistics/v1/events/batch": {
            "post": {
                "operationId": "postEvents",
                "summary": f"Send up to {batch_max} events, each answered on its own",
                "parameters": [CORRELATION_HEADER, SIGNATURE_HEADER],
                "requestBody": json_body(
                    {
                        "type": "object",
                        "required": ["events"],
                        "properties": {
                            "events": {
                                "type": "array",
                                "minItems": 1,
                                "maxItems": batch_max,
                                "items": {
                                    "type": "object",
                                    "description": "An Event; each is validated on "
                                    "its own and answered in its result.",
                                },
                            }
                        },
                    }
                ),
                "responses": {
                    "200": json_response("One result per event, in order.", "BatchResult"),
                    **common_errors(),
                    "422": error_response(
                        "Not an object with a non-empty 'events' array within the limit."
                    ),
                },
            }
        },
        "/logistics/v1/shipments/{shipment_ref}/documents": {
            "post": {
                "operationId": "postShipmentDocument",
                "summary": "Send a document taken in the field: a POD, a signature, a photo",
                "description": "The file is an image (JPEG, PNG, GIF, TIFF, WebP) or a PDF, "
                "told by its content, within the configured size. As JSON, the file is in "
                "`content_base64`; as a multipart form, in a part named `file`, with the "
                "other fields as form fields. A POD records *POD received* at `taken_at`. "
                "Sent again (same `document_id`, or the same file), it is stored once.",
                "parameters": [
                    {
                        "name": "shipment_ref",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": f"^{SHIPMENT_REF}$"},
                        "description": "The shipment: our reference, or the one your system "
                        "uses for it.",
                    },
                    IDEMPOTENCY_HEADER,
                    CORRELATION_HEADER,
                    SIGNATURE_HEADER,
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/ShipmentDocument"}
                        },
                        "multipart/form-data": {
                            "schema": {"$ref": "#/components/schemas/ShipmentDocumentForm"},
                            "encoding": {"file": {"contentType": ", ".join(KEPT_TYPES)}},
                        },
                    },
                },
                "responses": {
                    "202": json_response("Stored durably and queued for processing.", "Accepted"),
                    "200": json_response(
                        "Duplicate: the original message id and state.", "Accepted"
                    ),
                    **common_errors("application/json or multipart/form-data"),
                    "422": error_response(
                        "Fields missing or wrong, or the file is not an image or a PDF by "
                        "its content, or larger than allowed; errors name the fields."
                    ),
                },
            }
        },
        "/logistics/v1/subscriptions": {
            "get": {
                "operationId": "listSubscriptions",
                "summary": "Your webhooks for the milestones of your shipments",
                "parameters": [CORRELATION_HEADER],
                "responses": {
                    "200": json_response("Your subscriptions.", "SubscriptionList"),
                    **auth_errors(),
                },
            },
            "post": {
                "operationId": "subscribe",
                "summary": "Have the milestones of your shipments posted to a URL, signed",
                "parameters": [CORRELATION_HEADER],
                "requestBody": json_body(
                    {
                        "type": "object",
                        "required": ["url"],
                        "additionalProperties": False,
                        "properties": {
                            "url": {
                                "type": "string",
                                "format": "uri",
                                "pattern": URL_PATTERN,
                            },
                            "milestones": {
                                "type": "array",
                                "items": {"enum": milestone_codes},
                                "uniqueItems": True,
                                "description": "Canonical codes to receive; empty: all.",
                            },
                        },
                    }
                ),
                "responses": {
                    "201": json_response(
                        "Created. The signing secret is shown once: deliveries carry "
                        "X-Logistics-Signature computed with it.",
                        "NewSubscription",
                    ),
                    **common_errors(),
                    "409": error_response("You have as many subscriptions as a client may."),
                    "422": error_response("Not a public http(s) URL, or unknown milestone codes."),
                },
            },
        },
        "/logistics/v1/subscriptions/{subscription_id}": {
            "delete": {
                "operationId": "unsubscribe",
                "summary": "Stop a subscription",
                "parameters": [id_parameter("subscription_id"), CORRELATION_HEADER],
                "responses": {
                    "204": {"description": "Stopped."},
                    **auth_errors(),
                    "404": error_response("No such subscription of yours."),
                },
            }
        },
    }


def event_schema_published(identifier_types, version="1"):
    """An event schema version as published: the same constraints, with "code
    or source_code" written as two complete alternatives, which generators and
    validators of every kind read alike (a bare ``anyOf`` of ``required`` is
    misread), and when the version is deprecated."""
    base = {
        k: v
        for k, v in _storable(event_schema.schema(version)).items()
        if k not in ("$schema", "$id", "anyOf")
    }
    head = {k: base.pop(k) for k in ("title", "description")}
    released, deprecated = event_schema.VERSIONS[version]
    head["x-released"] = released
    if deprecated:
        head["x-deprecation-date"] = deprecated
        head["description"] += f" Deprecated: accepted until {deprecated}."
    # where code or source_code is asked for: the event (v1), its milestone (v2)
    holder = base if version == "1" else base["properties"]["milestone"]
    shipment = base if version == "1" else base["properties"]["shipment"]
    # the identifier types configured in this database, as the door checks them
    identifier = shipment["properties"]["identifiers"]["items"]["properties"]
    identifier["type"] = {"type": "string", "enum": identifier_types}
    alternatives = [
        {**holder, "required": [*holder.get("required", ()), name]}
        for name in ("code", "source_code")
    ]
    for alternative in alternatives:
        alternative.pop("anyOf", None)
    if holder is base:
        return {**head, "anyOf": alternatives}
    base["properties"]["milestone"] = {"anyOf": alternatives}
    return {**head, **base}


def _storable(schema):
    """The schema with "no NUL character" written on every free text (what the
    validator checks in code, because no database column stores it)."""
    if isinstance(schema, list):
        return [_storable(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    copy = {key: _storable(value) for key, value in schema.items()}
    if schema.get("type") == "string" and not {"pattern", "enum", "format"} & set(schema):
        copy["pattern"] = "^[^\\u0000]*$"
    return copy


def document_schemas():
    """A document upload as JSON (the schema the door checks) and as a form."""
    document = component(json.loads(DOCUMENT_SCHEMA.read_text(encoding="utf-8")))
    form = {
        **document,
        "required": ["kind", "file", "taken_at"],
        "properties": {
            **{k: v for k, v in document["properties"].items() if k != "content_base64"},
            "file": {"type": "string", "format": "binary", "description": "The file."},
        },
    }
    return {"ShipmentDocument": document, "ShipmentDocumentForm": form}


def schemas(batch_max, identifier_types):
    subscription = {
        "type": "object",
        "required": ["subscription_id", "url", "milestones", "circuit"],
        "properties": {
            "subscription_id": {"type": "integer"},
            "url": {"type": "string"},
            "milestones": {"type": "array", "items": {"type": "string"}},
            "circuit": {"type": "string", "enum": ["closed", "open", "half_open"]},
        },
    }
    return {
        "Event": {
            "description": "A shipment event in any accepted schema version; "
            "`schema_version` says which (none: 1).",
            "oneOf": [
                {"$ref": f"#/components/schemas/EventV{version}"}
                for version in event_schema.VERSIONS
            ],
        },
        **{
            f"EventV{version}": event_schema_published(identifier_types, version)
            for version in event_schema.VERSIONS
        },
        "BatchResult": {
            "type": "object",
            "required": ["correlation_id", "results"],
            "properties": {
                "correlation_id": {"type": "string"},
                "results": {
                    "type": "array",
                    "maxItems": batch_max,
                    "items": {
                        "type": "object",
                        "required": ["index", "status"],
                        "properties": {
                            "index": {"type": "integer"},
                            "status": {"type": "integer", "enum": [200, 202, 422]},
                            "message_id": {"type": "integer"},
                            "state": {"type": "string"},
                            "duplicate": {"type": "boolean"},
                            "error": {"$ref": "#/components/schemas/Error/properties/error"},
                        },
                    },
                },
            },
        },
        "Subscription": subscription,
        **document_schemas(),
        "SubscriptionList": {
            "type": "object",
            "required": ["subscriptions"],
            "properties": {
                "subscriptions": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/Subscription"},
                }
            },
        },
        "NewSubscription": {
            "allOf": [
                {"$ref": "#/components/schemas/Subscription"},
                {
                    "type": "object",
                    "required": ["signing_secret"],
                    "properties": {"signing_secret": {"type": "string"}},
                },
            ]
        },
    }


class LogisticsOpenapi(models.AbstractModel):
    _inherit = "logistics.openapi"

    @api.model
    def _document(self, server_url):
        document = super()._document(server_url)
        batch_max = self._setting("batch_max_events")
        codes = sorted(self.env["logistics.milestone.code"].sudo().search([]).mapped("code"))
        document["paths"].update(paths(batch_max, codes))
        identifier_types = sorted(self.env["logistics.identifier.kind"]._ids_by_code())
        document["components"]["schemas"].update(schemas(batch_max, identifier_types))
        document["info"]["x-event-schema-versions"] = [
            {
                "version": version,
                "schema": f"#/components/schemas/EventV{version}",
                "released": released,
                "deprecated": deprecated,
            }
            for version, (released, deprecated) in event_schema.VERSIONS.items()
        ]
        state = document["components"]["schemas"]["MessageState"]["properties"]
        state["shipment"] = {"type": ["string", "null"], "description": "The shipment's reference."}
        return document
