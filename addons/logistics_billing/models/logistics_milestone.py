from odoo import api, models

from .logistics_shipment import BILLING_CODES


class LogisticsMilestone(models.Model):
    _inherit = "logistics.milestone"

    @api.model_create_multi
    def create(self, vals_list):
        milestones = super().create(vals_list)
        milestones._touch_billing()
        return milestones

    def write(self, vals):
        result = super().write(vals)
        if "is_retracted" in vals or "document_ref" in vals:
            self._touch_billing()
        return result

    def _touch_billing(self):
        self.filtered(
            lambda m: m.milestone_code_id.code in BILLING_CODES
        ).shipment_id._billing_touch()
