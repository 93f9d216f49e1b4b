from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _logistics_announce(self):
        """A posted shipment invoice also goes, per shipment, as a 210 to the
        customer's EDI partner when it receives freight invoices."""
        result = super()._logistics_announce()
        for move in self:
            for shipment in move.logistics_shipment_ids:
                lines = move.invoice_line_ids.filtered(
                    lambda line, s=shipment: line.logistics_shipment_id == s
                )
                shipment._send_freight_invoice(
                    move.name,
                    [
                        (
                            line.product_id.logistics_charge_type or "other",
                            line.price_subtotal,
                            line.name,
                        )
                        for line in lines
                    ],
                    f"210:invoice:{move.id}:{shipment.id}",
                )
        return result
