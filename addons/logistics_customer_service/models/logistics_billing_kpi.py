from odoo import fields, models

from .logistics_shipment import OPEN_CLAIM


class LogisticsBillingKpi(models.Model):
    _inherit = "logistics.billing.kpi"

    billing_hold_reason = fields.Selection(selection_add=OPEN_CLAIM)
