from odoo import api, fields, models


class LogisticsMilestoneCode(models.Model):
    _inherit = "logistics.milestone.code"

    customer_visible = fields.Boolean(
        string="Offered to Customers",
        default=True,
        help="Customers can subscribe to it in the portal (e-mails and webhooks).",
    )

    @api.model
    def _portal_codes(self):
        return self.sudo().search([("customer_visible", "=", True)], order="sequence, id")
