"""The OpenAPI 3.1 skeleton of the logistics API v1 and the pieces modules share.

The runtime describes what every route has in common (authentication, the
error body, the correlation header, message look-up); each module adds its
own paths and schemas (see ``logistics.openapi`` in the runtime's models).
"""

CORRELATION_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,128}$"
# The scope each route asks of API keys, by OpenAPI path (filled by the routes).
ROUTE_SCOPES = {}


FORBIDDEN = (
    "The request comes from an address the backend does not allow (address_not_allowed), "
    "the key lacks the route's scope (insufficient_scope: the message and the "
    "WWW-Authenticate header name it), or the key's backend may not use this route."
)


def with_scopes(document):
    """``document`` with each operation's required scope, as OpenAPI 3.1 lets
    a bearer scheme list them."""
    for path, operations in document["paths"].items():
        scope = ROUTE_SCOPES.get(path)
        if scope:
            for operation in operations.values():
                operation["security"] = [{"apiKey": [scope]}]
    return document


def error_response(description):
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def json_response(description, schema_name):
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
        },
    }


def component(schema):
    """One of our JSON Schema files as an OpenAPI component: without its
    ``$schema`` and ``$id``, and with its local ``#/$defs/...`` references
    written out, since inside the API document they would point at its root."""
    defs = schema.get("$defs", {})

    def inlined(value):
        if isinstance(value, dict):
            ref = value.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return inlined(defs[ref.removeprefix("#/$defs/")])
            return {key: inlined(item) for key, item in value.items()}
        if isinstance(value, list):
            return [inlined(item) for item in value]
        return value

    return {
        key: inlined(value)
        for key, value in schema.items()
        if key not in ("$schema", "$id", "$defs")
    }


def json_body(schema):
    """A required JSON request body of that schema."""
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def common_errors(media="application/json"):
    """Answers every authenticated intake route can give."""
    return {
        "400": error_response("Body unreadable, or an invalid header."),
        "401": error_response("Missing or invalid API key, or signature required and invalid."),
        "403": error_response(FORBIDDEN),
        "413": error_response("Body larger than the configured limit."),
        "415": error_response(f"Content-Type is not {media}."),
        "429": {
            **error_response("Rate limit of the backend exceeded."),
            "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}},
        },
    }


def auth_errors():
    """Answers of authenticated routes that read no body."""
    return {
        "400": error_response("An invalid header."),
        "401": error_response("Missing or invalid API key."),
        "403": error_response(FORBIDDEN),
    }


def document_operation(operation_id, summary, schema_name, what, description=""):
    """A route taking one JSON document through the door (the controllers'
    ``_intake_document``): 202 stored, 200 a duplicate, 422 naming the fields."""
    operation = {
        "operationId": operation_id,
        "summary": summary,
        "parameters": [IDEMPOTENCY_HEADER, CORRELATION_HEADER, SIGNATURE_HEADER],
        "requestBody": json_body({"$ref": f"#/components/schemas/{schema_name}"}),
        "responses": {
            "202": json_response("Stored durably and queued for processing.", "Accepted"),
            "200": json_response("Duplicate: the original message id and state.", "Accepted"),
            **common_errors(),
            "422": error_response(f"The {what} does not match the schema; errors name the fields."),
        },
    }
    if description:
        operation["description"] = description
    return {"post": operation}


CORRELATION_HEADER = {
    "name": "X-Correlation-ID",
    "in": "header",
    "required": False,
    # no "type": a header is always text, and the pattern says which text
    "schema": {"maxLength": 128, "pattern": CORRELATION_ID_PATTERN},
    "description": "Follows the message through processing and outbound calls; generated "
    "when absent. Another value is refused (400).",
}
SIGNATURE_HEADER = {
    "name": "X-Logistics-Signature",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "t=<unix time>,v1=<hex HMAC-SHA256 of '<t>.<body>'>; required when the "
    "backend asks for signatures.",
}
IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"maxLength": 255},
    "description": "Resending with the same key returns the first answer; without it (or "
    "empty), a key is derived from the content's identity.",
}


def id_parameter(name):
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def skeleton(server_url):
    """The document with the runtime's own paths and schemas."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Logistics API",
            "version": "1.0.0",
            "description": "Send shipment events and documents into Odoo. Accepted content "
            "is durable: a 202 is answered only once the raw payload is committed.",
        },
        "servers": [{"url": server_url}],
        "security": [{"apiKey": []}],
        "paths": {
            "/logistics/v1/messages/{message_id}": {
                "get": {
                    "operationId": "getMessage",
                    "summary": "State of a message you sent",
                    "parameters": [id_parameter("message_id"), CORRELATION_HEADER],
                    "responses": {
                        "200": json_response("The message's state.", "MessageState"),
                        **auth_errors(),
                        "404": error_response("No such message of this backend."),
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Accepted": {
                    "type": "object",
                    "required": ["message_id", "state", "duplicate", "correlation_id"],
                    "properties": {
                        "message_id": {"type": "integer"},
                        "state": {"type": "string"},
                        "duplicate": {"type": "boolean"},
                        "correlation_id": {"type": "string"},
                    },
                },
                "WebhookAccepted": {
                    "description": "A partner's webhook: one result per item it carried.",
                    "type": "object",
                    "required": ["correlation_id", "results"],
                    "properties": {
                        "correlation_id": {"type": "string"},
                        "results": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Accepted"},
                        },
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message"],
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                                "fields": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "field": {"type": "string"},
                                            "message": {"type": "string"},
                                        },
                                    },
                                },
                            },
                        },
                        "correlation_id": {"type": "string"},
                    },
                },
                "MessageState": {
                    "type": "object",
                    "required": ["message_id", "state", "attempts"],
                    "properties": {
                        "message_id": {"type": "integer"},
                        "state": {"type": "string"},
                        "attempts": {"type": "integer"},
                        "error_code": {"type": ["string", "null"]},
                        "error_message": {"type": ["string", "null"]},
                        "correlation_id": {"type": ["string", "null"]},
                    },
                },
            },
        },
    }
