from odoo import api, models

from ..lib import asyncapi


class LogisticsAmqpCatalogue(models.AbstractModel):
    """The AsyncAPI document of the broker side (/logistics/v1/asyncapi.json)."""

    _name = "logistics.amqp.catalogue"
    _description = "Logistics event catalogue (AsyncAPI)"

    @api.model
    def _document(self, server_url):
        openapi = self.env["logistics.openapi"]._document(server_url)
        return asyncapi.document(
            server_url,
            openapi["components"]["schemas"],
            sorted(self.env["logistics.milestone.code"].search([]).mapped("code")),
            sorted(
                self.env["logistics.exception.type"]
                .with_context(active_test=False)
                .search([])
                .mapped("code")
            ),
            openapi["info"]["version"],
        )


class LogisticsOpenapi(models.AbstractModel):
    _inherit = "logistics.openapi"

    @api.model
    def _document(self, server_url):
        document = super()._document(server_url)
        document["info"]["x-asyncapi"] = f"{server_url}/logistics/v1/asyncapi.json"
        return document
