import secrets

from odoo import api, fields, models


class LogisticsShipment(models.Model):
    """A shipment as its customer sees it in the portal, and the tracking link
    anyone may follow without a login."""

    _name = "logistics.shipment"
    _inherit = ["logistics.shipment", "portal.mixin"]

    tracking_token = fields.Char(
        copy=False,
        readonly=True,
        groups="base.group_user",
        help="The secret in the public tracking link: whoever has it sees the status, the "
        "ETA and the timeline, nothing else.",
    )
    tracking_url = fields.Char(
        string="Tracking Link", compute="_compute_tracking_url", groups="base.group_user"
    )

    _sql_constraints = [
        ("tracking_token_unique", "UNIQUE (tracking_token)", "A tracking token is unique."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        # not a field default: Odoo would give every existing shipment the same one
        for vals in vals_list:
            vals.setdefault("tracking_token", new_tracking_token())
        return super().create(vals_list)

    def _compute_access_url(self):
        for shipment in self:
            shipment.access_url = f"/my/shipments/{shipment.id}"

    def _compute_tracking_url(self):
        for shipment in self:
            shipment.tracking_url = f"{shipment.get_base_url()}/track/{shipment.tracking_token}"

    def _portal_invoices(self):
        """The shipment's posted invoices (credit notes included)."""
        self.ensure_one()
        moves = (self.invoice_id | self.billing_key_ids.invoice_id).sudo()
        return moves.filtered(lambda move: move.state == "posted")

    def _public_timeline(self):
        """What the tracking link shows: status, ETA and timeline, with places
        as cities and nothing of the customer, the sources or their codes."""
        timeline = self.sudo()._timeline()
        for stop in timeline["stops"]:
            stop["place"] = stop["city"]
        timeline["milestones"] = [
            {
                key: milestone[key]
                for key in (
                    "id",
                    "time",
                    "time_local",
                    "label",
                    "icon",
                    "classifier",
                    "classifier_label",
                    "behind_plan",
                    "retracted",
                )
            }
            for milestone in timeline["milestones"]
            if not milestone["duplicate"]
        ]
        return timeline


def new_tracking_token():
    """256 random bits, URL-safe: a link nobody guesses."""
    return secrets.token_urlsafe(32)
