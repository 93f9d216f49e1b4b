from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    logistics_credit_hold = fields.Boolean(
        string="Credit Hold",
        tracking=True,
        help="Shipments of this customer are not invoiced until the hold is lifted.",
    )
    logistics_invoice_policy = fields.Selection(
        [("per_shipment", "One invoice per shipment, on POD"), ("consolidated", "Consolidated")],
        string="Freight Invoicing",
        default="per_shipment",
    )
    logistics_invoice_period = fields.Selection(
        [("daily", "Daily"), ("weekly", "Weekly"), ("monthly", "Monthly")],
        string="Consolidation Period",
        default="weekly",
        help="Consolidated: the shipments proven delivered in a closed period go on one invoice.",
    )
    logistics_tolerance_amount = fields.Float(
        string="Bill Tolerance (amount)", help="0: the company's default."
    )
    logistics_tolerance_percent = fields.Float(
        string="Bill Tolerance (%)", help="0: the company's default."
    )
    logistics_line_tolerance_percent = fields.Float(
        string="Line Tolerance (%)", help="0: the company's default."
    )
    logistics_rate_card_ids = fields.One2many(
        "logistics.rate.card", "partner_id", string="Rate Cards"
    )

    def write(self, vals):
        result = super().write(vals)
        if "logistics_credit_hold" in vals:
            shipments = self.env["logistics.shipment"].search(
                [
                    ("customer_id", "child_of", self.commercial_partner_id.ids),
                    ("billing_state", "in", ("held", "billable")),
                ]
            )
            shipments._billing_touch()
        return result
