from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LogisticsEdiPartner(models.Model):
    """A partner whose tenders are orders to us: each tender is also a sale
    order for the transport, so it is priced, invoiced and dispatched as one."""

    _inherit = "logistics.edi.partner"

    tenders_make_sale_orders = fields.Boolean(
        help="Each tender (204 / IFTMIN) creates a confirmed sale order for the partner "
        "company, a changed tender changes it, a cancelled tender cancels it.",
    )
    freight_product_id = fields.Many2one(
        "product.product",
        string="Freight Product",
        domain=[("type", "=", "service"), ("sale_ok", "=", True)],
        help="The service the tender's sale order sells, priced by its price list.",
    )

    @api.constrains("tenders_make_sale_orders", "freight_product_id", "customer_id")
    def _check_sale_order_setup(self):
        for partner in self.filtered("tenders_make_sale_orders"):
            if not (partner.freight_product_id and partner.customer_id):
                raise ValidationError(
                    self.env._(
                        "%s: tenders make sale orders only with a partner company "
                        "and a freight product to sell.",
                        partner.name,
                    )
                )
