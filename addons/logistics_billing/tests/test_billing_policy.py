import itertools
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import BillingCase

CHARGES = {  # what the TMS reports: (linehaul, fuel); None: nothing, and no lane
    "match": (1000.0, 100.0),
    "variance": (1010.0, 100.0),
    "mismatch": (1200.0, 100.0),
    "missing": None,
}


@tagged("post_install", "-at_install")
class TestBillingPolicy(BillingCase):
    def make(self, pod, charges, blocking):
        if charges == "missing":
            self.destination.zip = "10001"  # outside the card: nothing to bill
        else:
            self.destination.zip = "75201"
        shipment = self.create_shipment()
        if CHARGES[charges]:
            linehaul, fuel = CHARGES[charges]
            self.charge(shipment, linehaul)
            self.charge(shipment, fuel, "fuel")
        delivered = fields.Datetime.now() - timedelta(hours=1 if pod == "missing" else 100)
        self.deliver(shipment, pod=pod == "present", when=delivered)
        if blocking:
            self.env["logistics.exception"].create(
                {
                    "name": "Damaged",
                    "exception_type_id": self.env.ref(
                        "logistics_canonical.exception_type_damaged"
                    ).id,
                    "shipment_id": shipment.id,
                }
            )
        return shipment

    def test_policy_matrix(self):
        for pod, charges, blocking in itertools.product(
            ("missing", "late", "present"), CHARGES, (False, True)
        ):
            with self.subTest(pod=pod, charges=charges, blocking=blocking):
                shipment = self.make(pod, charges, blocking)
                self.run_billing()
                reasons = [
                    *(["blocking_exception"] if blocking else []),
                    *({"missing": ["pod_missing"], "late": ["pod_late"]}.get(pod, [])),
                    *(["charges_missing"] if charges == "missing" else []),
                    *(["charge_mismatch"] if charges == "mismatch" else []),
                ]
                if reasons:
                    self.assertEqual(shipment.billing_state, "held")
                    self.assertEqual(shipment.billing_hold_reason, reasons[0])
                    self.assertFalse(self.invoices_of(shipment))
                else:
                    self.assertEqual(shipment.billing_state, "invoiced")
                    self.assertEqual(len(self.invoices_of(shipment)), 1)

    def test_not_delivered_waits_and_a_late_pod_invoices_when_it_arrives(self):
        shipment = self.create_shipment()
        self.charge(shipment, 1000.0)
        self.charge(shipment, 100.0, "fuel")
        self.report(shipment, "IN_TRANSIT", "2026-11-11T10:00:00Z")
        self.run_billing()
        self.assertEqual(shipment.billing_state, "waiting")
        self.deliver(shipment, pod=False)
        self.run_billing()
        self.assertEqual(shipment.billing_hold_reason, "pod_late")
        self.assertFalse(self.invoices_of(shipment))
        self.report(shipment, "POD_RECEIVED", "2026-11-20T10:00:00Z", source_event_id="late-pod")
        self.run_billing()
        invoice = self.invoices_of(shipment)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(shipment.pod_date, fields.Datetime.to_datetime("2026-11-20 10:00:00"))
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.amount_untaxed, 1100.0)

    def test_a_pod_is_not_waived(self):
        shipment = self.make("late", "match", False)
        self.run_billing()
        with self.assertRaises(UserError):
            shipment.action_release_hold()

    def test_a_manager_releases_a_mismatch_with_a_reason(self):
        shipment = self.make("present", "mismatch", False)
        self.run_billing()
        self.assertEqual(shipment.billing_hold_reason, "charge_mismatch")
        action = shipment.action_release_hold()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.note = "Customer agreed the extra stop by e-mail"
        wizard.save().action_release()
        self.assertEqual(shipment.billing_state, "invoiced")
        self.assertIn(
            "Customer agreed the extra stop",
            shipment.message_ids.mapped("body")[0],
        )
        # billed as reported: the manager accepted them
        self.assertEqual(self.invoices_of(shipment).amount_untaxed, 1300.0)

    def test_credit_hold_holds_until_lifted(self):
        self.customer.logistics_credit_hold = True
        shipment = self.make("present", "match", False)
        self.run_billing()
        self.assertEqual(shipment.billing_hold_reason, "credit_hold")
        self.customer.logistics_credit_hold = False
        self.run_billing()
        self.assertEqual(shipment.billing_state, "invoiced")

    def test_cancelled_is_not_billable(self):
        shipment = self.create_shipment()
        self.report(shipment, "CANCELLED", "2026-11-11T10:00:00Z")
        self.run_billing()
        self.assertEqual(shipment.billing_state, "not_billable")
