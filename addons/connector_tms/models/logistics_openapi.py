"""The TMS webhook, warehouse events and transport orders in the OpenAPI document."""

import json

from odoo import api, models

from odoo.addons.logistics_integration.lib.openapi import (
    CORRELATION_HEADER,
    SIGNATURE_HEADER,
    component,
    document_operation,
    error_response,
    json_body,
    json_response,
)

from ..lib.template import SCHEMAS


def paths():
    return {
        "/logistics/v1/tms/{code}/webhook": {
            "post": {
                "operationId": "postTmsWebhook",
                "summary": "A TMS's events, signed with the backend's secret",
                "description": "Authenticated by X-Logistics-Signature (HMAC-SHA256 of "
                "'<t>.<body>' with the TMS backend's signing secret), not by an API key. "
                "The body is read by the backend's mapping template; each event is stored "
                "once by its id (a webhook and the change feed bringing one event store it "
                "once). A redelivered webhook answers 200.",
                "security": [],
                "parameters": [
                    {
                        "name": "code",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": "The TMS backend's code.",
                    },
                    {**SIGNATURE_HEADER, "required": True},
                    CORRELATION_HEADER,
                ],
                "requestBody": json_body({"type": ["object", "array"]}),
                "responses": {
                    "202": json_response("Stored durably and queued.", "WebhookAccepted"),
                    "200": json_response("Already received.", "WebhookAccepted"),
                    "400": error_response("Body unreadable."),
                    "401": error_response("Signature missing, invalid or outside its window."),
                    "404": error_response("No TMS backend (with a template) with this code."),
                    "413": error_response("Body larger than the configured limit."),
                    "415": error_response("Content-Type is not application/json."),
                    "422": error_response(
                        "No event where the template looks, or an event its schema refuses."
                    ),
                    "429": error_response("Rate limit of the backend exceeded."),
                },
            }
        },
        "/logistics/v1/warehouse/events": document_operation(
            "postWarehouseEvent",
            "A warehouse system's step on one of our delivery orders",
            "WarehouseEvent",
            "event",
            "Picked (or short-picked), packed or shipped: the delivery order moves, or an "
            "exception is raised for the warehouse team when the step contradicts it. Only a "
            "backend of kind WMS may send them.",
        ),
        "/logistics/v1/orders": document_operation(
            "postTransportOrder",
            "A customer's transport order",
            "TransportOrder",
            "order",
            "Becomes a confirmed sale order of the customer, its shipment and a tender to the "
            "TMS. A higher revision of the same order (customer code and order number) replaces "
            "it and sends a revised tender; `cancel` cancels it.",
        ),
    }


class LogisticsOpenapi(models.AbstractModel):
    _inherit = "logistics.openapi"

    @api.model
    def _document(self, server_url):
        document = super()._document(server_url)
        document["paths"].update(paths())
        schemas = document["components"]["schemas"]
        for name, file in (("WarehouseEvent", "wms-event-v1"), ("TransportOrder", "order-v1")):
            schemas[name] = component(json.loads((SCHEMAS / f"{file}.json").read_text("utf-8")))
        return document
