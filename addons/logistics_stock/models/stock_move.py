from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def write(self, vals):
        result = super().write(vals)
        if vals.get("picked"):
            self.picking_id._logistics_ready()
        return result
