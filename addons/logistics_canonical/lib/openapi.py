"""The OpenAPI 3.1 description of the logistics API v1.

Built from the same JSON Schema the routes validate with, so the document
cannot drift from what the routes accept.
"""

from . import event_schema


def _error_response(description):
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _accepted_response():
    return {
        "description": "Stored durably and queued for processing.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Accepted"}}},
    }


def _common_errors():
    return {
        "401": _error_response("Missing or invalid API key, or signature required and invalid."),
        "403": _error_response("The key's backend may not use this route."),
        "413": _error_response("Body larger than the configured limit."),
        "415": _error_response("Content-Type is not application/json."),
        "429": {
            **_error_response("Rate limit of the backend exceeded."),
            "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}},
        },
    }


def document(server_url, batch_max):
    event = {k: v for k, v in event_schema.schema().items() if k not in ("$schema", "$id")}
    idempotency = {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "schema": {"type": "string", "maxLength": 255},
        "description": "Resending with the same key returns the first answer; without it, "
        "a key is derived from the event's identity.",
    }
    correlation = {
        "name": "X-Correlation-ID",
        "in": "header",
        "required": False,
        "schema": {"type": "string", "maxLength": 128},
        "description": "Follows the message through processing and outbound calls; generated when absent.",
    }
    signature_header = {
        "name": "X-Logistics-Signature",
        "in": "header",
        "required": False,
        "schema": {"type": "string"},
        "description": "t=<unix time>,v1=<hex HMAC-SHA256 of '<t>.<body>'>; required when the "
        "backend asks for signatures.",
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Logistics API",
            "version": "1.0.0",
            "description": "Send shipment events into Odoo. Accepted events are durable: a 202 "
            "is answered only once the raw payload is committed.",
        },
        "servers": [{"url": server_url}],
        "security": [{"apiKey": []}],
        "paths": {
            "/logistics/v1/events": {
                "post": {
                    "operationId": "postEvent",
                    "summary": "Send one event",
                    "parameters": [idempotency, correlation, signature_header],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Event"}}
                        },
                    },
                    "responses": {
                        "202": _accepted_response(),
                        "200": {
                            "description": "Duplicate: the original message id and state.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Accepted"}
                                }
                            },
                        },
                        "400": _error_response("Body is not JSON."),
                        "422": _error_response(
                            "The event does not match the schema; errors name the fields."
                        ),
                        **_common_errors(),
                    },
                }
            },
            "/logistics/v1/events/batch": {
                "post": {
                    "operationId": "postEvents",
                    "summary": f"Send up to {batch_max} events, each answered on its own",
                    "parameters": [correlation, signature_header],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["events"],
                                    "properties": {
                                        "events": {
                                            "type": "array",
                                            "minItems": 1,
                                            "maxItems": batch_max,
                                            "items": {"$ref": "#/components/schemas/Event"},
                                        }
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "One result per event, in order.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/BatchResult"}
                                }
                            },
                        },
                        "400": _error_response("Body is not JSON."),
                        "422": _error_response(
                            "Not an object with a non-empty 'events' array within the limit."
                        ),
                        **_common_errors(),
                    },
                }
            },
            "/logistics/v1/subscriptions": {
                "get": {
                    "operationId": "listSubscriptions",
                    "summary": "Your webhooks for the milestones of your shipments",
                    "responses": {
                        "200": {
                            "description": "Your subscriptions.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "subscriptions": {
                                                "type": "array",
                                                "items": {
                                                    "$ref": "#/components/schemas/Subscription"
                                                },
                                            }
                                        },
                                    }
                                }
                            },
                        },
                        "401": _error_response("Missing or invalid API key."),
                        "403": _error_response("The key's backend is not a customer or partner."),
                    },
                },
                "post": {
                    "operationId": "subscribe",
                    "summary": "Have the milestones of your shipments posted to a URL, signed",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["url"],
                                    "additionalProperties": False,
                                    "properties": {
                                        "url": {"type": "string", "format": "uri"},
                                        "milestones": {
                                            "type": "array",
                                            "items": {"type": "string"},
                                            "description": "Canonical codes to receive; empty: all.",
                                        },
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": {
                            "description": "Created. The signing secret is shown once: deliveries carry "
                            "X-Logistics-Signature computed with it.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "allOf": [
                                            {"$ref": "#/components/schemas/Subscription"},
                                            {
                                                "type": "object",
                                                "properties": {
                                                    "signing_secret": {"type": "string"}
                                                },
                                            },
                                        ],
                                    }
                                }
                            },
                        },
                        "400": _error_response("Body is not JSON."),
                        "401": _error_response("Missing or invalid API key."),
                        "403": _error_response("The key's backend is not a customer or partner."),
                        "415": _error_response("Content-Type is not application/json."),
                        "422": _error_response("Not an http(s) URL, or unknown milestone codes."),
                    },
                },
            },
            "/logistics/v1/subscriptions/{subscription_id}": {
                "delete": {
                    "operationId": "unsubscribe",
                    "summary": "Stop a subscription",
                    "parameters": [
                        {
                            "name": "subscription_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "204": {"description": "Stopped."},
                        "401": _error_response("Missing or invalid API key."),
                        "404": _error_response("No such subscription of yours."),
                    },
                }
            },
            "/logistics/v1/messages/{message_id}": {
                "get": {
                    "operationId": "getMessage",
                    "summary": "State of a message you sent",
                    "parameters": [
                        {
                            "name": "message_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The message's state.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/MessageState"}
                                }
                            },
                        },
                        "401": _error_response("Missing or invalid API key."),
                        "404": _error_response("No such message of this backend."),
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Event": event,
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
                "BatchResult": {
                    "type": "object",
                    "properties": {
                        "correlation_id": {"type": "string"},
                        "results": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["index", "status"],
                                "properties": {
                                    "index": {"type": "integer"},
                                    "status": {"type": "integer", "enum": [200, 202, 422]},
                                    "message_id": {"type": "integer"},
                                    "state": {"type": "string"},
                                    "duplicate": {"type": "boolean"},
                                    "error": {
                                        "$ref": "#/components/schemas/Error/properties/error"
                                    },
                                },
                            },
                        },
                    },
                },
                "Subscription": {
                    "type": "object",
                    "properties": {
                        "subscription_id": {"type": "integer"},
                        "url": {"type": "string"},
                        "milestones": {"type": "array", "items": {"type": "string"}},
                        "circuit": {"type": "string", "enum": ["closed", "open", "half_open"]},
                    },
                },
                "MessageState": {
                    "type": "object",
                    "properties": {
                        "message_id": {"type": "integer"},
                        "state": {"type": "string"},
                        "attempts": {"type": "integer"},
                        "error_code": {"type": ["string", "null"]},
                        "error_message": {"type": ["string", "null"]},
                        "shipment": {"type": ["string", "null"]},
                        "correlation_id": {"type": ["string", "null"]},
                    },
                },
            },
        },
    }
