from odoo import api, fields, models


class LogisticsBackend(models.Model):
    _inherit = "logistics.backend"

    rate_card_path = fields.Char(
        string="Rate Cards Path",
        help="Where under the Base URL this system publishes its rate cards (JSON, see the "
        "RateCard schema of the API document). Read once a day and on Sync Now; each card "
        "replaces the version of the same partner, side and number. Empty: no sync.",
    )
    rate_card_last_sync = fields.Datetime(string="Last Rate Card Sync", readonly=True, copy=False)
    rate_card_last_result = fields.Char(string="Rate Card Sync Result", readonly=True, copy=False)

    def action_sync_rate_cards(self):
        for backend in self.filtered("rate_card_path"):
            self.env["logistics.rate.card.sync"]._enqueue(backend)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._("The rate cards will be read in a moment."),
                "type": "info",
            },
        }

    def _rate_card_sync_done(self, now, read=0, new=0, refused=0, failed=False):
        """Record how the sync went where the admin looks: the backend form."""
        self.ensure_one()
        self.rate_card_last_sync = now
        if not failed:
            self.rate_card_last_result = self.env._(
                "%(read)s card(s) read: %(new)s new or changed, %(refused)s refused",
                read=read,
                new=new,
                refused=refused,
            )
        return self.rate_card_last_result

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
