from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.logistics_billing.tests.common import invoice_on_pod


@tagged("post_install", "-at_install")
class TestOrderInvoiced(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # no TMS takes this company's orders here: the test confirms one
        cls.env["logistics.backend"].search([("kind", "=", "tms")]).tms_tender_orders = False
        cls.customer = cls.env["res.partner"].create({"name": "Order Customer"})
        cls.goods = cls.env["product.product"].create(
            {"name": "Pallet of tiles", "type": "consu", "invoice_policy": "order"}
        )
        cls.freight = cls.env.ref("logistics_billing.product_freight_linehaul")

    def test_the_order_s_freight_line_is_invoiced_by_the_shipment(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    (0, 0, {"product_id": self.goods.id, "product_uom_qty": 4, "price_unit": 50}),
                    (0, 0, {"product_id": self.freight.id, "price_unit": 900}),
                ],
            }
        )
        order.action_confirm()
        shipment = self.env["logistics.shipment"].create(
            {"customer_id": self.customer.id, "sale_order_id": order.id}
        )
        invoice = invoice_on_pod(shipment, {"linehaul": 950.0, "fuel": 95.0})
        freight_line = order.order_line.filtered(lambda line: line.product_id == self.freight)
        self.assertEqual(freight_line.qty_invoiced, 1)
        self.assertEqual(freight_line.invoice_lines.move_id, invoice)
        self.assertEqual(
            invoice.amount_untaxed, 1045.0, "the audited charges, not the order's price"
        )
        # the order still invoices its goods, and only them
        goods_invoice = order._create_invoices()
        self.assertEqual(goods_invoice.invoice_line_ids.product_id, self.goods)
        with self.assertRaises(UserError):
            order._create_invoices()
