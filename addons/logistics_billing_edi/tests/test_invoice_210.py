from odoo.tests import tagged

from odoo.addons.connector_edi.lib import x12
from odoo.addons.connector_edi.lib import x12_sets as tx
from odoo.addons.connector_edi.tests.common import EdiCase


@tagged("post_install", "-at_install")
class TestInvoice210(EdiCase):
    def invoice_posted(self):
        shipment = self.env["logistics.shipment"].create({"customer_id": self.customer.id})
        for charge_type, amount in (("linehaul", 900.0), ("fuel", 99.5)):
            self.env["logistics.freight.charge"].create(
                {
                    "shipment_id": shipment.id,
                    "charge_type": charge_type,
                    "amount": amount,
                    "source": "tms",
                }
            )
        code = self.env["logistics.milestone.code"]._by_code("POD_RECEIVED")
        self.env["logistics.milestone"].create(
            {"shipment_id": shipment.id, "milestone_code_id": code.id, "event_time": "2026-11-12"}
        )
        shipment._evaluate_billing()
        shipment._invoice_ready()
        shipment.invoice_id.action_post()
        return shipment.invoice_id

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
