"""One line per customer: the counts, at every grouping level, and each count
a click away from exactly the records it counts."""

from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.logistics_billing.tests.common import BillingCase

from ..models.res_partner import OVERVIEW_COUNTS as KINDS


@tagged("post_install", "-at_install")
class TestCustomerOverview(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.env["res.partner"].create({"name": "Other Overview Co", "is_company": True})
        cls.buyer = cls.env["res.partner"].create({"name": "Buyer", "parent_id": cls.customer.id})

    def overview(self, partner):
        self.env.flush_all()
        return self.env["logistics.customer.overview"].search([("partner_id", "=", partner.id)])

    def test_the_counts_add_up_and_each_opens_what_it_counts(self):
        now = fields.Datetime.now()
        late = self.create_shipment(planned_delivery=now - timedelta(hours=5))
        self.create_shipment(customer_id=self.buyer.id, planned_delivery=now + timedelta(days=2))
        billable = self.create_shipment()
        self.charge(billable, 1000.0)
        self.charge(billable, 100.0, "fuel")
        self.deliver(billable)
        held = self.create_shipment()
        self.deliver(held, pod=False)
        (billable | held)._evaluate_billing()
        self.report(late, "DAMAGED", "2026-11-11T10:00:00Z", reason_text="wet cartons")
        self.env.cr.execute(
            "UPDATE logistics_exception SET create_date = %s WHERE id IN %s",
            [now - timedelta(days=3), tuple(late.exception_ids.ids)],
        )
        self.env["logistics.claim"].create({"shipment_id": late.id, "claimed_amount": 120.0})
        self.env["logistics.shipment"].browse(billable.action_create_return()["res_id"])
        invoiced = self.create_shipment()
        self.charge(invoiced, 1000.0)
        self.charge(invoiced, 100.0, "fuel")  # what the sell card says: no audit exception
        self.deliver(invoiced)
        invoiced._evaluate_billing()
        invoiced._invoice_ready()
        invoiced.invoice_id.action_post()
        bank = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.env.company.id)], limit=1
        )
        for partner, amount in ((self.buyer, 250.0), (self.buyer, -40.0), (self.other, 90.0)):
            self.env["account.bank.statement.line"].create(
                {
                    "journal_id": bank.id,
                    "partner_id": partner.id,
                    "amount": amount,
                    "payment_ref": "unmatched",
                }
            )
        other = self.create_shipment(
            customer_id=self.other.id, planned_delivery=now - timedelta(hours=1)
        )
        self.report(other, "DELAYED", "2026-11-11T09:00:00Z")

        line = self.overview(self.customer)
        expected = {
            "open_shipments": 3,  # late, the buyer's, the return
            "late_shipments": 1,
            "open_exceptions": 1,
            "claims_in_progress": 1,
            "returns_in_progress": 1,
            "unbilled_deliveries": 2,
            "billing_holds": 1,
            "recent_invoices": 1,
            "unmatched_payments": 1,  # money in, from a contact of the customer
        }
        self.assertEqual({kind: line[kind] for kind in KINDS}, expected)
        self.assertAlmostEqual(line.oldest_exception_hours, 72.0, places=0)

        # the customer's form: the same counts, each opening exactly what it counts
        for kind, count in expected.items():
            with self.subTest(kind=kind):
                self.assertEqual(
                    self.buyer[f"logistics_{kind}"], count, "a contact shows its company's"
                )
                action = self.customer.with_context(logistics_view=kind).action_logistics_view()
                self.assertEqual(
                    self.env[action["res_model"]].search_count(action["domain"]), count
                )

        # every grouping level: sums of counts, the maximum of the oldest age
        both = self.overview(self.customer) | self.overview(self.other)
        [total] = self.env["logistics.customer.overview"].read_group(
            [("id", "in", both.ids)],
            ["open_exceptions:sum", "oldest_exception_hours:max", "unmatched_payments:sum"],
            [],
        )
        self.assertEqual((total["open_exceptions"], total["unmatched_payments"]), (2, 2))
        self.assertAlmostEqual(total["oldest_exception_hours"], 72.0, places=0)
        by_company = self.env["logistics.customer.overview"].read_group(
            [("id", "in", both.ids)], ["late_shipments:sum"], ["company_id"]
        )
        self.assertEqual([group["late_shipments"] for group in by_company], [2])

    def test_sandbox_and_finished_shipments_are_not_counted(self):
        self.create_shipment(environment="sandbox", planned_delivery=datetime(2026, 1, 1))
        done = self.create_shipment()
        self.report(done, "DELIVERED", "2026-11-12T10:00:00Z")
        self.report(done, "POD_RECEIVED", "2026-11-12T10:00:00Z")
        line = self.overview(self.customer)
        self.assertEqual((line.open_shipments, line.late_shipments), (0, 0))
