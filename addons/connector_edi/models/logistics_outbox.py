from odoo import api, fields, models


class LogisticsOutbox(models.AbstractModel):
    _inherit = "logistics.outbox"

    @api.model
    def _subscriptions(self, shipment, milestone):
        subscribers = super()._subscriptions(shipment, milestone)
        customer = shipment.customer_id.commercial_partner_id
        if customer.id in self.env["logistics.edi.partner"]._status_customer_ids():
            subscribers |= self.env["logistics.backend"]._edi_subscribers(shipment, milestone)
        return subscribers

    @api.model
    def _check_overdue_acks(self):
        """Cron: a 997 that did not come in time is an exception for the integration team."""
        overdue = (
            self.env["logistics.integration.message"]
            .sudo()
            .search(
                [("edi_ack_state", "=", "expected"), ("edi_ack_due", "<", fields.Datetime.now())]
            )
        )
        for message in overdue:
            message.edi_ack_state = "overdue"
            message._open_issue(
                "ack_overdue",
                f"no 997 from {message.backend_id.name} for group {message.edi_control}",
            )
