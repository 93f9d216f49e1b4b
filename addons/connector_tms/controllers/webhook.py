"""TMS webhooks: signed with the backend's secret, each event stored raw through the door."""

from odoo.http import request

from odoo.addons.logistics_integration.controllers.base import (
    ApiError,
    IntegrationController,
    api_route,
)
from odoo.addons.logistics_integration.lib import signature


class TmsWebhookApi(IntegrationController):
    # Odoo merges every controller built on IntegrationController into one
    # class: a method named like another module's (post_webhook) replaces it.
    @api_route("/logistics/v1/tms/<string:code>/webhook")
    def post_tms_webhook(self, code):
        """A TMS's events (dispatch, stops, POD, charges, tender answers).
        202 once stored, 200 when every event was already received."""
        return self._serve(lambda call: self._intake_tms_webhook(call, code))

    def _intake_tms_webhook(self, call, code):
        backend = self._signing_backend(call, "tms", code, "TMS")
        if not backend.tms_template_id:
            raise ApiError(404, "unknown_tms", f"TMS backend {code!r} has no mapping template")
        body = self._read_body(call)
        # no API key comes with a webhook: the signature is the authentication
        try:
            signature.verify(
                request.httprequest.headers.get(signature.HEADER),
                body,
                call.target.secrets,
                tolerance=call.target.tolerance,
            )
        except signature.SignatureError as error:
            raise ApiError(401, "invalid_signature", str(error)) from error
        self._check_content_type()
        document = self._parse_json(body)
        self._check_rate(call, 1)
        items = request.env["logistics.tms.feed"]._items(backend, document, "webhook")
        if not items:
            raise ApiError(
                422,
                "validation_failed",
                "no event where the TMS's mapping template looks for them",
                [{"field": backend._tms_template().spec["inbound"]["items"], "message": "none"}],
            )
        return self._receive_items(call, items, "event(s) refused")
