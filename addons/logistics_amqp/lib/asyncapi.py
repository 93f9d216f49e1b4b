"""The event catalogue of the broker side, as an AsyncAPI 3.0 document: what
the hub consumes from a queue and what it publishes to the exchange, with the
JSON Schemas of each message (the inbound ones are the OpenAPI document's own,
so the two can never disagree)."""

ASYNCAPI_VERSION = "3.0.0"
SCHEMA_FORMAT = "application/schema+json;version=draft-2020-12"

# AMQP ``type`` property -> the OpenAPI schema of what the door takes
INBOUND = {
    "event": ("Event", "A shipment event (any accepted schema version)."),
    "order": ("TransportOrder", "A transport order (with the TMS connector)."),
}


def milestone_schema(milestone_codes):
    return {
        "type": "object",
        "required": ["event_id", "shipment_ref", "code", "classifier", "event_time", "status"],
        "properties": {
            "event_id": {"type": "string", "description": "milestone-<id>: unique, stable."},
            "shipment_ref": {"type": "string"},
            "code": {"type": "string", "enum": milestone_codes},
            "classifier": {"type": "string", "enum": ["planned", "estimated", "actual"]},
            "event_time": {"type": "string", "format": "date-time"},
            "eta": {"type": "string", "format": "date-time"},
            "status": {"type": "string", "description": "The shipment's status after it."},
            "shipment": {
                "type": "object",
                "properties": {"customer_ref": {"type": "string"}},
            },
            "location": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "code": {"type": "string"}},
            },
            "reason": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "text": {"type": "string"}},
            },
        },
    }


def exception_schema(exception_codes):
    return {
        "type": "object",
        "required": ["event", "exception_id", "code", "summary", "severity", "raised_at"],
        "properties": {
            "event": {"const": "exception.raised"},
            "exception_id": {"type": "integer"},
            "code": {"type": "string", "enum": exception_codes},
            "summary": {"type": "string"},
            "severity": {"type": "string", "enum": ["low", "medium", "high", "critical"]},
            "shipment_ref": {"type": ["string", "null"]},
            "team": {"type": ["string", "null"], "description": "The team that owns it."},
            "raised_at": {"type": "string", "format": "date-time"},
        },
    }


def _message(name, title, summary, schema, headers=None):
    message = {
        "name": name,
        "title": title,
        "summary": summary,
        "contentType": "application/json",
        "payload": {"schemaFormat": SCHEMA_FORMAT, "schema": schema},
    }
    if headers:
        message["headers"] = headers
    return message


def document(server_url, openapi_schemas, milestone_codes, exception_codes, release):
    """The catalogue; ``openapi_schemas`` are the OpenAPI document's components."""
    inbound = {
        kind: _message(
            f"inbound-{kind}",
            schema_name,
            summary + f" AMQP property type = {kind!r} (or the backend's default).",
            {"$ref": f"#/components/schemas/{schema_name}"},
        )
        for kind, (schema_name, summary) in INBOUND.items()
        if schema_name in openapi_schemas
    }
    refusal_headers = {
        "type": "object",
        "properties": {
            "x-logistics-refusal": {"type": "string", "description": "Why the hub refused it."},
            "x-logistics-message-id": {"type": "integer"},
            "x-logistics-queue": {"type": "string"},
        },
    }
    messages = {
        **inbound,
        "milestone": _message(
            "milestone",
            "Milestone",
            "A milestone of a shipment, as recorded (routing key milestone.<code>.<shipment>).",
            {"$ref": "#/components/schemas/Milestone"},
        ),
        "exception": _message(
            "exception",
            "Exception raised",
            "An exception opened for a team (routing key exception.<type>.<shipment>).",
            {"$ref": "#/components/schemas/Exception"},
        ),
    }
    inbound_refs = {kind: {"$ref": f"#/components/messages/{kind}"} for kind in inbound}
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": "Logistics integration hub: message broker",
            "version": release,
            "description": "What the hub consumes from a RabbitMQ queue and publishes to a "
            "topic exchange (AMQP 0-9-1). Inbound messages go through the same door as the "
            f"HTTP API ({server_url}/logistics/v1/openapi.json): `message_id` is the "
            "idempotency key, `correlation_id` follows the message; a refused message goes "
            "to the backend's dead-letter exchange with the reason in its headers. Outbound "
            "messages are persistent, published with confirms, in order per backend.",
        },
        "channels": {
            "inbound": {
                "address": "{queue}",
                "description": "The queue a backend consumes (set on the backend).",
                "parameters": {"queue": {"description": "The backend's queue."}},
                "messages": inbound_refs,
                "bindings": {"amqp": {"is": "queue", "queue": {"durable": True}}},
            },
            "deadLetters": {
                "address": "{queue}.dead",
                "description": "Refused messages, as sent, with the reason in the headers.",
                "parameters": {"queue": {"description": "The backend's queue."}},
                "messages": {
                    "refused": {
                        "name": "refused",
                        "summary": "A message the hub refused.",
                        "headers": refusal_headers,
                        "payload": {},
                    }
                },
            },
            "events": {
                "address": "{exchange}",
                "description": "The topic exchange the hub publishes to; routing keys "
                "<type>.<event>.<shipment>, e.g. milestone.DELIVERED.S00042: bind "
                "milestone.# for every milestone, *.*.S00042 for one shipment.",
                "parameters": {"exchange": {"default": "logistics.events"}},
                "messages": {
                    "milestone": {"$ref": "#/components/messages/milestone"},
                    "exception": {"$ref": "#/components/messages/exception"},
                },
                "bindings": {
                    "amqp": {
                        "is": "routingKey",
                        "exchange": {"name": "logistics.events", "type": "topic", "durable": True},
                    }
                },
            },
        },
        "operations": {
            "sendToHub": {
                "action": "send",
                "summary": "Send orders and events to the hub",
                "channel": {"$ref": "#/channels/inbound"},
                "messages": [
                    {"$ref": f"#/channels/inbound/messages/{kind}"} for kind in inbound_refs
                ],
                "bindings": {"amqp": {"deliveryMode": 2, "ack": True}},
            },
            "receiveFromHub": {
                "action": "receive",
                "summary": "Subscribe to milestones and exceptions",
                "channel": {"$ref": "#/channels/events"},
                "messages": [
                    {"$ref": "#/channels/events/messages/milestone"},
                    {"$ref": "#/channels/events/messages/exception"},
                ],
            },
        },
        "components": {
            "messages": messages,
            "schemas": {
                **openapi_schemas,
                "Milestone": milestone_schema(milestone_codes),
                "Exception": exception_schema(exception_codes),
            },
        },
    }
