from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.logistics_canonical.models.logistics_freight_charge import (
    CHARGE_TYPE_SELECTION,
)


class ProductTemplate(models.Model):
    _inherit = "product.template"

    logistics_charge_type = fields.Selection(
        CHARGE_TYPE_SELECTION,
        string="Invoices Freight Charge",
        help="Shipment invoices bill charges of this type with this product (its taxes, "
        "income account and analytic rules apply).",
    )


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.model
    def _logistics_product_for(self, charge_type):
        product = self.search(
            [("logistics_charge_type", "in", (charge_type, "other"))],
            order="id",
            limit=2,
        )
        exact = product.filtered(lambda p: p.logistics_charge_type == charge_type)
        found = exact[:1] or product[:1]
        if not found:
            raise UserError(
                self.env._("No product invoices freight charges of type %s.", charge_type)
            )
        return found
