from odoo.tests import tagged

from odoo.addons.connector_edi.lib import x12
from odoo.addons.connector_edi.lib import x12_sets as tx
from odoo.addons.connector_edi.tests.common import EdiCase
from odoo.addons.logistics_billing.tests.common import invoice_on_pod


@tagged("post_install", "-at_install")
class TestInvoice210(EdiCase):
    def invoice_posted(self):
        shipment = self.env["logistics.shipment"].create({"customer_id": self.customer.id})
        invoice = invoice_on_pod(shipment, {"linehaul": 900.0, "fuel": 99.5})
        invoice.action_post()
        return invoice

    def test_a_posted_invoice_goes_as_a_210_with_its_number(self):
        self.profile.send_invoices = True
        invoice = self.invoice_posted()
        [sent] = self.outbound("freight_invoice")
        [transaction] = [item for kind, item in x12.Reader(sent.payload) if kind == "set"]
        document, problems = tx.read_210(transaction)
        self.assertEqual(problems, [])
        self.assertEqual(document["invoice_number"], invoice.name)
        self.assertEqual(str(document["total"]), "999.50")
        self.assertEqual(sorted(charge["code"] for charge in document["charges"]), ["400", "FUE"])

    def test_a_customer_without_210s_gets_none(self):
        self.invoice_posted()
        self.assertFalse(self.outbound("freight_invoice"))
