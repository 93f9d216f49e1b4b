"""Carrier webhooks: signed by the carrier's own scheme, stored raw through the door."""

import hashlib

from odoo.http import request

from odoo.addons.logistics_integration.controllers.base import (
    ApiError,
    IntegrationController,
    api_route,
)

from ..lib import webhook_signature

CONTENT_TYPES = ("application/json", "text/plain")


class CarrierWebhookApi(IntegrationController):
    @api_route("/logistics/v1/carriers/<string:code>/webhook")
    def post_webhook(self, code):
        """A carrier's tracking update. 202 once stored, 200 for a delivery
        already received (carriers deliver webhooks more than once)."""
        return self._serve(lambda call: self._intake_webhook(call, code))

    def _intake_webhook(self, call, code):
        backend = self._signing_backend(call, "carrier", code, "carrier")
        body = self._read_body(call)
        try:
            webhook_id = webhook_signature.verify(
                backend.carrier_webhook_scheme,
                request.httprequest.headers,
                body,
                call.target.secrets,
                header=backend.carrier_webhook_header or "",
                prefix=backend.carrier_webhook_prefix or "",
                tolerance=backend.signature_tolerance,
            )
        except webhook_signature.SignatureError as error:
            raise ApiError(401, "invalid_signature", str(error)) from error
        self._check_content_type(CONTENT_TYPES)
        document = self._parse_json(body)
        self._check_rate(call, 1)
        mapping = backend._carrier_mapping()
        documents = mapping.documents(document, "webhook")
        if not documents:
            raise ApiError(
                422,
                "validation_failed",
                "no tracking document where the carrier's mapping looks for one",
                [{"field": mapping.spec["webhook_items"], "message": "no object found"}],
            )
        # the carrier's id of the delivery, else the body's digest: a redelivery is a duplicate
        key = f"webhook:{webhook_id}" if webhook_id else hashlib.sha256(body).hexdigest()
        payload = body.decode()
        items = [
            {
                "payload": payload,
                "message_type": "carrier_tracking",
                "idempotency_key": f"{key}:{index}" if len(documents) > 1 else key,
                "subject_ref": mapping.number_of(found),
            }
            for index, found in enumerate(documents)
        ]
        return self._receive_items(call, items, "tracking document(s) name no tracking number")
