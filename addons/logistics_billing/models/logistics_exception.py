from odoo import api, fields, models

from .logistics_expected_charge import SIDES


class LogisticsExceptionType(models.Model):
    _inherit = "logistics.exception.type"

    blocks_billing = fields.Boolean(
        help="While an exception of this type is open, its shipment is not invoiced."
    )


class LogisticsException(models.Model):
    _inherit = "logistics.exception"

    audit_side = fields.Selection(SIDES, readonly=True, help="The charges a mismatch is about.")

    @api.model_create_multi
    def create(self, vals_list):
        exceptions = super().create(vals_list)
        exceptions._touch_billing()
        return exceptions

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals or "exception_type_id" in vals:
            self._touch_billing()
        return result

    def _touch_billing(self):
        self.filtered(lambda e: e.exception_type_id.blocks_billing).shipment_id._billing_touch()
