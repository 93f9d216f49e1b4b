"""The broker side's event catalogue, next to the OpenAPI document."""

from odoo import http
from odoo.http import request

from odoo.addons.logistics_integration.controllers.base import IntegrationController


class LogisticsAsyncapi(IntegrationController):
    @http.route(
        "/logistics/v1/asyncapi.json", type="http", auth="none", methods=["GET"], save_session=False
    )
    def asyncapi_document(self):
        public = request.env["ir.config_parameter"].sudo().get_param("logistics.public_base_url")
        base_url = (public or request.httprequest.host_url).rstrip("/")
        return self._json(200, request.env["logistics.amqp.catalogue"].sudo()._document(base_url))
