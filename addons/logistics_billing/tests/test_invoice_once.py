from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import BillingCase


class Crash(Exception):
    pass


@tagged("post_install", "-at_install")
class TestInvoiceOnce(BillingCase):
    def billable(self):
        shipment = self.create_shipment(customer_reference="PO-4711")
        self.charge(shipment, 1000.0)
        self.charge(shipment, 100.0, "fuel")
        self.deliver(shipment)
        shipment._evaluate_billing()
        self.assertEqual(shipment.billing_state, "billable")
        return shipment

    def test_lines_come_through_odoo_s_invoice_preparation(self):
        shipment = self.billable()
        shipment._invoice_ready()
        invoice = shipment.invoice_id
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(invoice.ref, "PO-4711")
        self.assertEqual(invoice.invoice_origin, shipment.name)
        linehaul = self.env.ref("logistics_billing.product_freight_linehaul")
        line = invoice.invoice_line_ids.filtered(lambda move_line: move_line.product_id == linehaul)
        self.assertEqual(line.price_subtotal, 1000.0)
        self.assertEqual(line.logistics_shipment_id, shipment)
        # the product's income account and taxes, not ours
        self.assertEqual(
            line.account_id, linehaul.product_tmpl_id._get_product_accounts()["income"]
        )
        self.assertEqual(
            line.tax_ids, linehaul.taxes_id.filtered(lambda t: t.company_id == invoice.company_id)
        )
        self.assertEqual(shipment.billing_key_ids.invoice_id, invoice)

    def test_ten_pod_replays_and_a_second_pod_make_one_invoice(self):
        shipment = self.billable()
        for _replay in range(10):
            shipment._billing_touch()
            self.run_billing()
            shipment._invoice_ready()
            self.env["logistics.billing.key"]._invoice(shipment)
        self.report(shipment, "POD_RECEIVED", "2026-11-13T10:00:00Z", source_event_id="carrier-pod")
        self.run_billing()
        self.assertEqual(len(self.invoices_of(shipment)), 1)
        self.assertEqual(len(shipment.billing_key_ids), 1)

    def test_a_crash_before_the_commit_leaves_neither_key_nor_invoice(self):
        shipment = self.billable()
        with mute_logger("odoo.sql_db"), self.assertRaises(Crash), self.env.cr.savepoint():
            shipment._invoice_ready()
            self.assertEqual(len(self.invoices_of(shipment)), 1)
            raise Crash()
        shipment.invalidate_recordset()
        self.assertFalse(shipment.billing_key_ids)
        self.assertFalse(self.invoices_of(shipment))
        shipment._evaluate_billing()
        shipment._invoice_ready()
        self.assertEqual(len(self.invoices_of(shipment)), 1)

    def test_a_credit_note_then_a_rerun_does_not_invoice_again(self):
        shipment = self.billable()
        shipment._invoice_ready()
        invoice = shipment.invoice_id
        invoice.action_post()
        credit_note = invoice._reverse_moves(cancel=True)
        self.assertEqual(invoice.payment_state, "reversed")
        shipment._billing_touch()
        self.run_billing()
        self.env["logistics.billing.key"]._invoice(shipment)
        self.assertEqual(self.invoices_of(shipment), invoice)
        # correcting on purpose: a new key, a new invoice
        shipment.action_invoice_again()
        self.assertEqual(len(shipment.billing_key_ids), 2)
        self.assertEqual(len(self.invoices_of(shipment)), 2)
        self.assertNotIn(shipment.invoice_id, invoice | credit_note)

    def test_consolidated_customers_get_one_invoice_per_closed_period(self):
        self.customer.write(
            {"logistics_invoice_policy": "consolidated", "logistics_invoice_period": "daily"}
        )
        shipments = self.billable() | self.billable() | self.billable()
        self.run_billing()
        self.assertEqual(set(shipments.mapped("billing_state")), {"billable"})
        moves = self.env["logistics.billing.run"]._cron_consolidate()
        mine = moves.filtered(lambda move: move.partner_id == self.customer)
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine.logistics_shipment_ids, shipments)
        self.assertEqual(mine.amount_untaxed, 3300.0)
        self.assertEqual(set(shipments.mapped("billing_state")), {"invoiced"})
        again = self.env["logistics.billing.run"]._cron_consolidate()
        self.assertFalse(again.filtered(lambda move: move.partner_id == self.customer))

    def test_posting_tells_the_customer_s_subscribers(self):
        subscriber = self.env["logistics.backend"].create(
            {
                "name": "Customer webhook",
                "code": "cust_hook",
                "adapter": "webhook",
                "environment": "production",
                "partner_id": self.customer.id,
                "base_url": "http://127.0.0.1:9/hook",
            }
        )
        shipment = self.billable()
        shipment._invoice_ready()
        shipment.invoice_id.action_post()
        message = self.env["logistics.integration.message"].search(
            [("backend_id", "=", subscriber.id), ("message_type", "=", "invoice")]
        )
        self.assertEqual(len(message), 1)
        self.assertIn(shipment.name, message.payload)
