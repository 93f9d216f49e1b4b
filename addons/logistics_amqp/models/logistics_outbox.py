from odoo import api, models


class LogisticsOutbox(models.AbstractModel):
    """Milestones are also published to the company's message brokers."""

    _inherit = "logistics.outbox"

    @api.model
    def _subscriptions(self, shipment, milestone):
        publishers = self.env["logistics.backend"]._amqp_publishers(
            shipment.company_id, shipment.environment
        )
        return super()._subscriptions(shipment, milestone) | publishers.filtered(
            lambda b: not b.subscribed_code_ids
            or milestone.milestone_code_id in b.subscribed_code_ids
        )
