"""The rate card a pricing system publishes, in the OpenAPI document."""

from odoo import api, models

from odoo.addons.logistics_integration.lib.openapi import component

from ..lib import rate_card_document


class LogisticsOpenapi(models.AbstractModel):
    _inherit = "logistics.openapi"

    @api.model
    def _document(self, server_url):
        document = super()._document(server_url)
        # not a route of ours: what a backend's Rate Cards Path must answer (a list of
        # these, or {"rate_cards": [...]}) for the daily sync
        document["components"]["schemas"]["RateCard"] = component(rate_card_document.schema())
        return document
