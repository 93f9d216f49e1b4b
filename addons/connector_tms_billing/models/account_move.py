from odoo import Command, api, models


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _logistics_invoice_vals(self, members):
        """A shipment ordered as a sale order: each invoice line of a charge type
        bills the order's freight line of that type (a delivery line is the
        linehaul), so the order shows it invoiced and never bills it again."""
        vals = super()._logistics_invoice_vals(members)
        taken = self.env["sale.order.line"]
        for command in vals["invoice_line_ids"]:
            line = command[2]
            shipment = self.env["logistics.shipment"].browse(line["logistics_shipment_id"])
            if not shipment.sale_order_id:
                continue
            charge_type = (
                self.env["product.product"].browse(line["product_id"]).logistics_charge_type
            )
            order_line = _freight_line(shipment.sale_order_id, charge_type, taken)
            if order_line:
                taken |= order_line
                line["sale_line_ids"] = [Command.link(order_line.id)]
                line["quantity"] = order_line.qty_to_invoice
                line["price_unit"] = line["price_unit"] / order_line.qty_to_invoice
        return vals


def _freight_line(order, charge_type, taken):
    """The order's line still to invoice that bills ``charge_type``."""
    for line in order.order_line - taken:
        freight = line.product_id.logistics_charge_type == charge_type or (
            charge_type == "linehaul" and line._is_delivery()
        )
        if freight and line.qty_to_invoice > 0:
            return line
    return order.order_line.browse()
