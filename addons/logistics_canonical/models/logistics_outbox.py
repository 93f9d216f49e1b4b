from odoo import api, models


class LogisticsOutbox(models.AbstractModel):
    """What the shipment domain puts into the outbox: milestones for
    subscribers, and customer notifications."""

    _inherit = "logistics.outbox"

    @api.model
    def _on_milestones(self, milestones):
        """Business rule: tell subscribers and notify customers of new milestones."""
        for milestone in milestones.filtered(lambda m: not m.is_duplicate):
            shipment = milestone.shipment_id
            for backend in self._subscriptions(shipment, milestone):
                self._enqueue(
                    backend,
                    "milestone",
                    milestone._webhook_payload(),
                    f"milestone:{milestone.id}",
                    shipment_id=shipment.id,
                    parent=milestone.message_id,
                )
            # a customer is told what is new, not old news
            if shipment.customer_id and not milestone.is_late:
                self.env["logistics.notification.rule"]._notify(milestone)

    @api.model
    def _subscriptions(self, shipment, milestone):
        """The backends told of ``milestone``: the webhooks of its customer."""
        customer = shipment.customer_id.commercial_partner_id
        if (
            not customer
            or customer.id not in self.env["logistics.backend"]._subscriber_partner_ids()
        ):
            return self.env["logistics.backend"]
        subscriptions = (
            self.env["logistics.backend"]
            .sudo()
            .search(
                [
                    ("adapter", "=", "webhook"),
                    ("partner_id", "=", customer.id),
                    ("company_id", "=", shipment.company_id.id),
                    ("environment", "=", shipment.environment),
                ]
            )
        )
        return subscriptions.filtered(
            lambda b: not b.subscribed_code_ids
            or milestone.milestone_code_id in b.subscribed_code_ids
        )
