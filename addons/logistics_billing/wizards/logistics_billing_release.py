from odoo import fields, models


class LogisticsBillingRelease(models.TransientModel):
    """A manager lets a held shipment be invoiced, saying why."""

    _name = "logistics.billing.release"
    _description = "Release Billing Hold"

    shipment_id = fields.Many2one("logistics.shipment", required=True, readonly=True)
    hold_reason = fields.Selection(related="shipment_id.billing_hold_reason")
    note = fields.Text(string="Why", required=True)

    def action_release(self):
        self.ensure_one()
        self.shipment_id._release_hold(self.note)
        return {"type": "ir.actions.act_window_close"}
