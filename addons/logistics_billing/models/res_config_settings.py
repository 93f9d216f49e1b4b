from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    logistics_tolerance_amount = fields.Float(
        related="company_id.logistics_tolerance_amount", readonly=False
    )
    logistics_tolerance_percent = fields.Float(
        related="company_id.logistics_tolerance_percent", readonly=False
    )
    logistics_line_tolerance_percent = fields.Float(
        related="company_id.logistics_line_tolerance_percent", readonly=False
    )
    logistics_pod_grace_hours = fields.Float(
        related="company_id.logistics_pod_grace_hours", readonly=False
    )
