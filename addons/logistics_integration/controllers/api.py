"""The runtime's own routes: message look-up, the OpenAPI document, and a
JSON answer for every other path under /logistics/v1."""

import re

from odoo import http
from odoo.http import request

from ..lib import openapi
from .base import ApiError, IntegrationController, api_route


class LogisticsApi(IntegrationController):
    @api_route("/logistics/v1/messages/<string:message_id>", methods=("GET",), scope="messages")
    def get_message(self, message_id):
        def handle(call):
            target = self._authenticate(call)
            message = request.env["logistics.integration.message"].sudo()
            if message_id.isdigit() and len(message_id) < 10:
                message = message.browse(int(message_id)).exists()
            if not message or message.backend_id.id != target.id:
                raise ApiError(404, "not_found", f"no message {message_id} of this backend")
            return self._json(200, message._api_state())

        return self._serve(handle)

    @http.route(
        "/logistics/v1/openapi.json", type="http", auth="none", methods=["GET"], save_session=False
    )
    def openapi_document(self):
        public = request.env["ir.config_parameter"].sudo().get_param("logistics.public_base_url")
        base_url = (public or request.httprequest.host_url).rstrip("/")
        document = request.env["logistics.openapi"].sudo()._document(base_url)
        return self._json(200, openapi.with_scopes(document))

    @http.route(
        "/logistics/v1/<path:rest>", type="http", auth="none", csrf=False, save_session=False
    )
    def unknown_route(self, rest):
        """Anything else: 405 naming the methods of a documented path, else 404."""

        def handle(call):
            path = f"/logistics/v1/{rest}"
            document = request.env["logistics.openapi"].sudo()._document("")
            for template, operations in document["paths"].items():
                if re.fullmatch(re.sub(r"\{[^/]+\}", "[^/]+", template), path):
                    allowed = ", ".join(sorted(method.upper() for method in operations))
                    raise ApiError(
                        405,
                        "method_not_allowed",
                        f"{request.httprequest.method} is not allowed here; use {allowed}",
                        headers={"Allow": allowed},
                    )
            raise ApiError(404, "not_found", f"no route {path}")

        return self._serve(handle)
