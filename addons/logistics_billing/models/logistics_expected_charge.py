from odoo import fields, models

from odoo.addons.logistics_canonical.models.logistics_freight_charge import (
    CHARGE_TYPE_SELECTION,
)

SIDES = [("revenue", "Revenue (customer)"), ("cost", "Cost (carrier)")]


class LogisticsExpectedCharge(models.Model):
    """What a shipment should cost by the rate card in force at its pickup:
    the customer's card for revenue, the carrier's for cost."""

    _name = "logistics.expected.charge"
    _description = "Expected Freight Charge"
    _order = "shipment_id, side, sequence, id"

    shipment_id = fields.Many2one(
        "logistics.shipment", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="shipment_id.company_id", store=True)
    side = fields.Selection(SIDES, required=True)
    sequence = fields.Integer(default=10)
    audit_key = fields.Char(required=True, help="What actual charges are compared on.")
    charge_type = fields.Selection(CHARGE_TYPE_SELECTION, required=True)
    description = fields.Char()
    amount = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one("res.currency", required=True)
    card_id = fields.Many2one("logistics.rate.card", string="Rate Card", ondelete="set null")
    lane_id = fields.Many2one("logistics.rate.card.lane", ondelete="set null")
    fuel_price_id = fields.Many2one("logistics.fuel.price", ondelete="set null")
