from odoo import fields, models

from odoo.addons.logistics_canonical.models.logistics_freight_charge import (
    CHARGE_TYPE_SELECTION,
)


class LogisticsRateCardAccessorial(models.Model):
    """The agreed price of an extra service (liftgate, detention…): a charge
    that names it is audited against this price."""

    _name = "logistics.rate.card.accessorial"
    _inherit = ["logistics.audit.mixin"]
    _description = "Rate Card Accessorial"
    _order = "card_id, code"

    card_id = fields.Many2one("logistics.rate.card", required=True, ondelete="cascade", index=True)
    currency_id = fields.Many2one(related="card_id.currency_id")
    code = fields.Char(required=True, help="How partners name it on a charge, e.g. LIFTGATE.")
    name = fields.Char(required=True, translate=True)
    charge_type = fields.Selection(CHARGE_TYPE_SELECTION, required=True, default="accessorial")
    amount = fields.Monetary(required=True, currency_field="currency_id")

    _sql_constraints = [
        ("code_unique", "UNIQUE (card_id, code)", "An accessorial's code is unique on its card.")
    ]
