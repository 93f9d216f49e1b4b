from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    logistics_claim_window_days = fields.Integer(
        string="Claim Window (days)",
        default=270,
        help="How long after delivery a claim can be filed with this carrier (270 days: the "
        "nine months of the US Carmack Amendment). 0: no limit.",
    )
