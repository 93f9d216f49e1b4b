from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestCarrierBill(BillingCase):
    def billed(self, number, linehaul, fuel=80.0, shipment=None):
        """What an EDI 210 or a carrier API leaves: cost charges with the bill's number."""
        shipment = shipment or self.create_shipment()
        self.charge(shipment, linehaul, source="carrier_bill", bill_ref=number)
        self.charge(shipment, fuel, "fuel", source="carrier_bill", bill_ref=number)
        self.run_billing()
        return shipment, self.env["logistics.carrier.bill"].search([("name", "=", number)])

    def test_within_tolerance_it_approves_itself_as_a_draft_vendor_bill(self):
        shipment, bill = self.billed("INV-1", 805.0)
        self.assertEqual(bill.carrier_id, self.carrier)
        self.assertEqual(bill.state, "approved")
        self.assertTrue(bill.auto_approved)
        self.assertEqual(bill.expected_total, 880.0)
        self.assertEqual(bill.variance, 5.0)
        vendor_bill = bill.vendor_bill_id
        self.assertEqual(vendor_bill.move_type, "in_invoice")
        self.assertEqual(vendor_bill.state, "draft")
        self.assertEqual(vendor_bill.partner_id, self.carrier)
        self.assertEqual(vendor_bill.ref, "INV-1")
        self.assertEqual(vendor_bill.amount_untaxed, 885.0)
        self.assertEqual(vendor_bill.invoice_line_ids.logistics_shipment_id, shipment)

    def test_over_tolerance_is_held_until_approved_with_a_reason(self):
        _shipment, bill = self.billed("INV-2", 950.0)
        self.assertEqual(bill.state, "held")
        linehaul = bill.line_ids.filtered(lambda line: line.charge_type == "linehaul")
        self.assertEqual(linehaul.hold_reason, "over_tolerance")
        self.assertEqual(linehaul.expected_amount, 800.0)
        self.assertFalse(bill.vendor_bill_id)
        with self.assertRaises(UserError):
            bill.action_approve()
        bill.approval_note = "Detention agreed by phone"
        bill.action_approve()
        self.assertEqual(bill.state, "approved")
        self.assertFalse(bill.auto_approved)
        self.assertEqual(bill.vendor_bill_id.amount_untaxed, 1030.0)

    def test_without_the_carrier_s_card_lines_are_held(self):
        self.buy_card.active = False
        _shipment, bill = self.billed("INV-3", 800.0)
        self.assertEqual(bill.state, "held")
        self.assertEqual(set(bill.line_ids.mapped("hold_reason")), {"no_expected_cost"})

    def test_a_bill_after_the_customer_invoice_is_still_matched(self):
        shipment = self.create_shipment()
        self.charge(shipment, 1000.0)
        self.charge(shipment, 100.0, "fuel")
        self.deliver(shipment)
        self.run_billing()
        self.assertEqual(shipment.billing_state, "invoiced")
        _shipment, bill = self.billed("INV-4", 800.0, shipment=shipment)
        self.assertEqual(bill.state, "approved")
        self.assertEqual(
            len(self.invoices_of(shipment).filtered(lambda m: m.move_type == "out_invoice")), 1
        )

    def test_auto_approved_share_is_a_ratio_at_every_level(self):
        other = self.env["res.partner"].create(
            {"name": "Other Carrier", "is_logistics_carrier": True}
        )
        self.billed("A-1", 800.0)
        self.billed("A-2", 800.0)
        self.billed("A-3", 999.0)  # held
        self.billed("B-1", 800.0, shipment=self.create_shipment(carrier_id=other.id))  # no card
        Bill = self.env["logistics.carrier.bill"]
        domain = [("name", "in", ["A-1", "A-2", "A-3", "B-1"])]
        [(total,)] = Bill._read_group(domain, [], ["auto_approved_share:max"])
        self.assertAlmostEqual(total, 50.0)  # 2 of 4, not the mean of 66.7 and 0
        shares = dict(Bill._read_group(domain, ["carrier_id"], ["auto_approved_share:max"]))
        self.assertAlmostEqual(shares[self.carrier], 200 / 3)
        self.assertAlmostEqual(shares[other], 0.0)
