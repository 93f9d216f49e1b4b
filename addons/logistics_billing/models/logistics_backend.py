from odoo import api, models


class LogisticsBackend(models.Model):
    _inherit = "logistics.backend"

    @api.model
    def _invoice_subscribers(self, move):
        """The customer's webhook subscriptions that hear of its invoices."""
        customer = move.partner_id.commercial_partner_id
        if customer.id not in self._subscriber_partner_ids():
            return self.browse()
        return self.sudo().search(
            [
                ("adapter", "=", "webhook"),
                ("partner_id", "=", customer.id),
                ("company_id", "=", move.company_id.id),
                ("environment", "in", move.logistics_shipment_ids.mapped("environment")),
            ]
        )
