from odoo import models


class LogisticsException(models.Model):
    _inherit = "logistics.exception"

    def action_open_claim(self):
        """A claim for what this exception reports, on its shipment."""
        self.ensure_one()
        return self.shipment_id.action_open_claim(exception=self)
