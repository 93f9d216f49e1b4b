from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    logistics_tolerance_amount = fields.Float(string="Bill Tolerance (amount)", default=25.0)
    logistics_tolerance_percent = fields.Float(string="Bill Tolerance (%)", default=2.0)
    logistics_line_tolerance_percent = fields.Float(string="Line Tolerance (%)", default=5.0)
    logistics_pod_grace_hours = fields.Float(string="POD Grace (hours)", default=48.0)
