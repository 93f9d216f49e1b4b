from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        """A tendered delivery that leaves with part of its order: the rest,
        on a backorder, is tendered as a delivery of its own."""
        result = super()._action_done()
        for picking in self.filtered(
            lambda p: p.picking_type_code == "outgoing"
            and p.sale_id
            and p.logistics_shipment_id.tender_ids
        ):
            backorders = self.search(
                [
                    ("backorder_id", "=", picking.id),
                    ("logistics_shipment_id", "=", False),
                    ("state", "not in", ("done", "cancel")),
                ]
            )
            if backorders:
                self.env["logistics.tender"].sudo()._tender_backorders(picking, backorders)
        return result
