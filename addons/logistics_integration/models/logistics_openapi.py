from odoo import api, models

from ..lib import openapi

API_DEFAULTS = {
    "batch_max_events": 100,
    "max_body_bytes": 1024 * 1024,
    "max_document_bytes": 10 * 1024 * 1024,
}


class LogisticsOpenapi(models.AbstractModel):
    """The OpenAPI document of /logistics/v1, assembled from what each module
    contributes: the runtime's skeleton here, and every module that adds
    routes extends :meth:`_document` with its paths and schemas."""

    _name = "logistics.openapi"
    _description = "Logistics API description"

    @api.model
    def _document(self, server_url):
        return openapi.skeleton(server_url)

    @api.model
    def _setting(self, name):
        value = self.env["ir.config_parameter"].sudo().get_param(f"logistics.api.{name}")
        return int(value) if value and value.isdigit() else API_DEFAULTS[name]
