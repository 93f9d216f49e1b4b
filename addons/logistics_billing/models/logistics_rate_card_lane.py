from odoo import fields, models

from odoo.addons.logistics_canonical.models.logistics_shipment import MODE_SELECTION

from ..lib import rating


class LogisticsRateCardLane(models.Model):
    """One lane and break of a rate card: from a zone to a zone, from a weight
    (or volume) up, a rate per unit plus a flat amount, with a minimum."""

    _name = "logistics.rate.card.lane"
    _inherit = ["logistics.audit.mixin"]
    _description = "Rate Card Lane"
    _order = "card_id, sequence, origin_country_id, destination_country_id, break_from"

    card_id = fields.Many2one("logistics.rate.card", required=True, ondelete="cascade", index=True)
    currency_id = fields.Many2one(related="card_id.currency_id")
    sequence = fields.Integer(default=10)
    origin_country_id = fields.Many2one("res.country", string="From Country")
    origin_state_id = fields.Many2one(
        "res.country.state", string="From State", domain="[('country_id', '=?', origin_country_id)]"
    )
    origin_zip_prefix = fields.Char(string="From Postcode Prefix")
    destination_country_id = fields.Many2one("res.country", string="To Country")
    destination_state_id = fields.Many2one(
        "res.country.state",
        string="To State",
        domain="[('country_id', '=?', destination_country_id)]",
    )
    destination_zip_prefix = fields.Char(string="To Postcode Prefix")
    mode = fields.Selection(MODE_SELECTION, help="Empty: any mode.")
    basis = fields.Selection(
        [("weight", "Per kg"), ("volume", "Per m³"), ("shipment", "Per shipment")],
        required=True,
        default="weight",
    )
    break_from = fields.Float(
        string="From Quantity", help="This rate applies from this weight (kg) or volume (m³) up."
    )
    rate = fields.Float(string="Rate per Unit", digits=(16, 4))
    flat = fields.Monetary(string="Flat Amount", currency_field="currency_id")
    minimum = fields.Monetary(string="Minimum Charge", currency_field="currency_id")

    def _as_rate(self):
        self.ensure_one()
        return rating.LaneRate(
            key=self.id,
            origin=rating.Zone(
                self.origin_country_id.code or "",
                self.origin_state_id.code or "",
                self.origin_zip_prefix or "",
            ),
            destination=rating.Zone(
                self.destination_country_id.code or "",
                self.destination_state_id.code or "",
                self.destination_zip_prefix or "",
            ),
            mode=self.mode or "",
            basis=self.basis,
            break_from=self.break_from,
            rate=self.rate,
            flat=self.flat,
            minimum=self.minimum,
        )

    def _compute_display_name(self):
        for lane in self:
            ends = [
                " ".join(
                    part
                    for part in (
                        lane[f"{end}_country_id"].code,
                        lane[f"{end}_state_id"].code,
                        lane[f"{end}_zip_prefix"],
                    )
                    if part
                )
                or lane.env._("anywhere")
                for end in ("origin", "destination")
            ]
            lane.display_name = " → ".join(ends)
