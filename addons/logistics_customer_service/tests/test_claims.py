"""A claim's life, the accounting it books, and the invoice it holds."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.logistics_billing.tests.common import BillingCase


@tagged("post_install", "-at_install")
class TestClaims(BillingCase):
    def delivered(self, **vals):
        shipment = self.create_shipment(**vals)
        self.charge(shipment, 1000.0)
        self.charge(shipment, 100.0, "fuel")  # what the customer's rate card expects
        self.deliver(shipment)
        return shipment

    def claim(self, shipment, **vals):
        return self.env["logistics.claim"].create(
            {"shipment_id": shipment.id, "claimed_amount": 500.0, **vals}
        )

    def test_a_damage_claim_is_filed_accepted_and_settled_through_accounting(self):
        shipment = self.delivered()
        self.report(shipment, "DAMAGED", "2026-11-12T10:05:00Z", reason_text="3 pallets crushed")
        exception = shipment.exception_ids
        action = exception.action_open_claim()
        with Form(self.env["logistics.claim"].with_context(**action["context"])) as form:
            form.claimed_amount = 500.0
        claim = form.save()
        self.assertEqual((claim.claim_type, claim.exception_id), ("damage", exception))
        self.assertEqual(claim.carrier_id, self.carrier)
        self.assertEqual(claim.recovery_amount, 500.0)
        self.assertEqual(claim.deadline, claim.incident_date + timedelta(days=270))

        claim.action_file()
        self.assertEqual(claim.state, "filed")
        claim.recovered_amount = 400.0  # the carrier pays part
        claim.action_accept()
        claim.action_settle()

        self.assertEqual(claim.state, "settled")
        credit = claim.credit_note_id
        self.assertEqual(
            (credit.move_type, credit.state, credit.partner_id, credit.amount_total),
            ("out_refund", "posted", self.customer, 500.0),
        )
        recovery = claim.recovery_bill_id
        self.assertEqual(
            (recovery.move_type, recovery.state, recovery.partner_id, recovery.amount_total),
            ("in_refund", "posted", self.carrier, 400.0),
        )
        product = self.env.ref("logistics_customer_service.product_claim_settlement")
        self.assertEqual(credit.invoice_line_ids.product_id, product)
        self.assertFalse(credit.invoice_line_ids.tax_ids, "compensation carries no tax")
        self.assertEqual(exception.state, "resolved")

    def test_a_rejected_claim_credits_the_customer_and_recovers_nothing(self):
        claim = self.claim(self.delivered(), claim_type="shortage")
        claim.action_file()
        claim.action_reject()
        claim.settled_amount = 250.0  # a goodwill gesture
        claim.action_settle()
        self.assertEqual(claim.credit_note_id.amount_total, 250.0)
        self.assertFalse(claim.recovery_bill_id)

    def test_an_open_claim_holds_the_invoice_until_it_is_settled(self):
        shipment = self.delivered()
        shipment._evaluate_billing()
        self.assertEqual(shipment.billing_state, "billable", shipment.billing_hold_reason)
        claim = self.claim(shipment, claim_type="delay", carrier_liable=False)
        shipment._evaluate_billing()
        self.assertEqual(
            (shipment.billing_state, shipment.billing_hold_reason), ("held", "open_claim")
        )
        claim.action_settle()  # ours, not the carrier's: settled without filing
        self.assertFalse(claim.recovery_bill_id)
        shipment._evaluate_billing()
        self.assertEqual(shipment.billing_state, "billable", shipment.billing_hold_reason)
        shipment._invoice_ready()
        self.assertEqual(len(self.invoices_of(shipment)), 1)

    def test_the_carrier_s_claim_window_closes(self):
        self.carrier.logistics_claim_window_days = 30
        shipment = self.delivered()
        claim = self.claim(shipment, incident_date=fields.Date.today() - timedelta(days=31))
        self.assertTrue(claim.is_overdue)
        self.assertIn(claim, self.env["logistics.claim"].search([("is_overdue", "=", True)]))
        with self.assertRaisesRegex(UserError, "claim window closed"):
            claim.action_file()

    def test_steps_out_of_order_are_refused(self):
        claim = self.claim(self.delivered())
        with self.assertRaises(UserError):
            claim.action_accept()
        with self.assertRaises(UserError):
            claim.action_settle()  # the carrier is liable: file it first
        claim.action_cancel()
        with self.assertRaises(UserError):
            claim.action_file()
