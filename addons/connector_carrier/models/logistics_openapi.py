"""The carrier webhook in the OpenAPI document."""

from odoo import api, models

from odoo.addons.logistics_integration.lib.openapi import (
    CORRELATION_HEADER,
    error_response,
    json_response,
)


def paths():
    return {
        "/logistics/v1/carriers/{code}/webhook": {
            "post": {
                "operationId": "postCarrierWebhook",
                "summary": "A carrier's tracking update, signed with the carrier's own scheme",
                "description": "Authenticated by the signature the carrier backend is configured "
                "for (base64 or hex HMAC-SHA256 of the raw body in a header, or Standard "
                "Webhooks), not by an API key. A redelivered webhook answers 200.",
                "security": [],
                "parameters": [
                    {
                        "name": "code",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": "The carrier backend's code.",
                    },
                    CORRELATION_HEADER,
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"type": "object"}},
                        "text/plain": {"schema": {"type": "string"}},
                    },
                },
                "responses": {
                    "202": json_response("Stored durably and queued.", "WebhookAccepted"),
                    "200": json_response("Already received.", "WebhookAccepted"),
                    "400": error_response("Body unreadable."),
                    "401": error_response("Signature missing, invalid or outside its window."),
                    "404": error_response("No carrier backend with this code."),
                    "413": error_response("Body larger than the configured limit."),
                    "415": error_response(
                        "Content-Type is neither application/json nor text/plain."
                    ),
                    "422": error_response("No tracking document or tracking number found."),
                    "429": error_response("Rate limit of the backend exceeded."),
                },
            }
        }
    }


class LogisticsOpenapi(models.AbstractModel):
    _inherit = "logistics.openapi"

    @api.model
    def _document(self, server_url):
        document = super()._document(server_url)
        document["paths"].update(paths())
        return document
