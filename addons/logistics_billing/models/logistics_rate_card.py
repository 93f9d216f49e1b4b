from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import rating


class LogisticsRateCard(models.Model):
    """What was agreed with a customer (sell) or a carrier (buy): lanes with
    weight or volume breaks, the accessorials' prices and the fuel table. A
    new version of a card supersedes the older ones from its validity date."""

    _name = "logistics.rate.card"
    _description = "Rate Card"
    _inherit = ["mail.thread", "logistics.audit.mixin"]
    _order = "partner_id, side, date_from desc, version desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="The customer (sell card) or the carrier (buy card) it was agreed with.",
    )
    side = fields.Selection(
        [("sell", "Sell (customer)"), ("buy", "Buy (carrier)")],
        required=True,
        default="sell",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    version = fields.Integer(default=1, required=True, tracking=True)
    date_from = fields.Date(
        string="Valid From", required=True, default=fields.Date.context_today, tracking=True
    )
    date_to = fields.Date(string="Valid To", tracking=True)
    active = fields.Boolean(default=True)
    lane_ids = fields.One2many("logistics.rate.card.lane", "card_id", string="Lanes", copy=True)
    accessorial_ids = fields.One2many(
        "logistics.rate.card.accessorial", "card_id", string="Accessorials", copy=True
    )
    fuel_table_id = fields.Many2one(
        "logistics.fuel.table",
        string="Fuel Surcharge Table",
        help="The fuel surcharge added to the linehaul, by the fuel price at pickup.",
    )
    note = fields.Text()
    source_backend_id = fields.Many2one(
        "logistics.backend",
        string="Read From",
        readonly=True,
        copy=False,
        help="The pricing system this card is synchronised from: its next change of the card "
        "replaces what is edited here.",
    )

    _sql_constraints = [
        (
            "version_unique",
            "UNIQUE (partner_id, side, company_id, version)",
            "A partner has one card of each version per side.",
        ),
    ]

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for card in self:
            if card.date_to and card.date_to < card.date_from:
                raise ValidationError(self.env._("%s ends before it starts.", card.display_name))

    def _audit_trail_records(self):
        return [self, self.lane_ids, self.accessorial_ids]

    @api.depends("name", "version")
    def _compute_display_name(self):
        for card in self:
            card.display_name = f"{card.name} v{card.version}"

    @api.model
    def _in_force(self, partner, side, company, day):
        """The card agreed with ``partner`` (or its commercial entity) that
        applies on ``day``: the highest version valid then."""
        partners = (partner | partner.commercial_partner_id).ids
        return self.search(
            [
                ("partner_id", "in", partners),
                ("side", "=", side),
                ("company_id", "=", company.id),
                ("date_from", "<=", day),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", day),
            ],
            order="version desc, date_from desc",
            limit=1,
        )

    def action_new_version(self):
        """A copy to edit, valid from today, that supersedes this one."""
        self.ensure_one()
        latest = self.search(
            [
                ("partner_id", "=", self.partner_id.id),
                ("side", "=", self.side),
                ("company_id", "=", self.company_id.id),
            ],
            order="version desc",
            limit=1,
        )
        card = self.copy(
            {"version": latest.version + 1, "date_from": fields.Date.context_today(self)}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": card.id,
            "view_mode": "form",
        }

    def _linehaul(self, shipment):
        """(lane, amount) for a shipment, or (empty, 0) when no lane applies."""
        self.ensure_one()
        rates = [lane._as_rate() for lane in self.lane_ids]
        best = rating.best_lane_rate(
            rates,
            _place(shipment.origin_id),
            _place(shipment.destination_id),
            shipment.mode or "",
            {"weight": shipment.weight_kg, "volume": shipment.volume_m3},
        )
        if best is None:
            return self.env["logistics.rate.card.lane"], 0.0
        quantity = {"weight": shipment.weight_kg, "volume": shipment.volume_m3}.get(best.basis, 0.0)
        return self.env["logistics.rate.card.lane"].browse(best.key), best.amount(quantity)

    def _accessorial_named(self, text):
        """The catalogue entry whose code or name a charge's text names."""
        self.ensure_one()
        words = (text or "").strip().lower()
        if not words:
            return self.env["logistics.rate.card.accessorial"]
        for entry in self.accessorial_ids:
            if (
                words in (entry.code.lower(), entry.name.lower())
                or entry.code.lower() in words.split()
            ):
                return entry
        return self.env["logistics.rate.card.accessorial"]


def _place(partner):
    return rating.Place(
        country=partner.country_id.code or "",
        state=partner.state_id.code or "",
        zip=partner.zip or "",
    )
