from datetime import date

from odoo.tests import tagged

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestRatingAudit(BillingCase):
    def expected(self, shipment, side="revenue"):
        lines = shipment.expected_charge_ids.filtered(lambda e: e.side == side)
        return {line.audit_key: round(line.amount, 2) for line in lines}

    def test_expected_charges_from_the_cards_in_force_at_pickup(self):
        shipment = self.create_shipment()
        shipment._evaluate_billing()
        # 2000 kg x 0.50, fuel at 3.50 is in the 10 % band
        self.assertEqual(self.expected(shipment), {"linehaul": 1000.0, "fuel": 100.0})
        self.assertEqual(self.expected(shipment, "cost"), {"linehaul": 800.0, "fuel": 80.0})
        # a newer version from December does not re-rate a November pickup...
        self.sell_card.action_new_version()
        newer = self.env["logistics.rate.card"].search(
            [("partner_id", "=", self.customer.id), ("version", "=", 2)]
        )
        newer.write({"date_from": date(2026, 12, 1)})
        newer.lane_ids.rate = 0.6
        shipment._evaluate_billing()
        self.assertEqual(self.expected(shipment)["linehaul"], 1000.0)
        # ...but rates a December one
        december = self.create_shipment(planned_pickup="2026-12-02 08:00:00")
        december._evaluate_billing()
        self.assertEqual(self.expected(december)["linehaul"], 1200.0)

    def test_minimum_charge_and_lane_outside_the_card(self):
        light = self.create_shipment(weight_kg=100)
        light._evaluate_billing()
        self.assertEqual(self.expected(light)["linehaul"], 300.0)
        self.destination.zip = "10001"  # the card's lane ends in 75xxx
        far = self.create_shipment()
        far._evaluate_billing()
        self.assertFalse(far.expected_charge_ids)

    def test_matched_within_variance_and_mismatched(self):
        cases = [
            ((1000.0, 100.0), "matched", "matched"),
            ((1010.0, 100.0), "within_variance", "within_variance"),
            ((1200.0, 100.0), "mismatched", "mismatched"),
        ]
        for (linehaul, fuel), status, state in cases:
            with self.subTest(status=status):
                shipment = self.create_shipment()
                self.charge(shipment, linehaul)
                self.charge(shipment, fuel, "fuel")
                shipment._evaluate_billing()
                self.assertEqual(shipment.revenue_audit, status)
                self.assertEqual(shipment.cost_audit, "none")
                linehaul_charge = shipment.charge_ids.filtered(
                    lambda c: c.charge_type == "linehaul"
                )
                self.assertEqual(linehaul_charge.audit_status, state)
                self.assertEqual(linehaul_charge.validation_state, "pending", "finance's to set")
                self.assertEqual(linehaul_charge.expected_amount, 1000.0)

    def test_a_mismatch_is_finance_s_exception_until_the_charges_pass(self):
        shipment = self.create_shipment()
        linehaul = self.charge(shipment, 1200.0)
        self.charge(shipment, 100.0, "fuel")
        shipment._evaluate_billing()
        exception = shipment.exception_ids.filtered(
            lambda e: e.exception_type_id.code == "charge_mismatch"
        )
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.team_id, self.env.ref("logistics_canonical.team_finance"))
        self.assertEqual(exception.audit_side, "revenue")
        self.assertIn("1000.00", exception.description)
        self.assertIn("1200.00", exception.description)
        shipment._evaluate_billing()  # again: still one exception
        self.assertEqual(len(shipment.exception_ids), 1)
        linehaul.amount = 1000.0
        shipment._evaluate_billing()
        self.assertEqual(exception.state, "resolved")
        self.assertEqual(shipment.revenue_audit, "matched")

    def test_accessorials_are_priced_by_the_catalogue(self):
        shipment = self.create_shipment()
        self.charge(shipment, 1000.0)
        self.charge(shipment, 100.0, "fuel")
        liftgate = self.charge(shipment, 75.0, "accessorial", description="LIFTGATE")
        shipment._evaluate_billing()
        self.assertEqual(shipment.revenue_audit, "matched")
        self.assertEqual(liftgate.audit_key, "accessorial:LIFTGATE")
        unknown = self.charge(shipment, 40.0, "accessorial", description="Inside delivery")
        shipment._evaluate_billing()
        self.assertEqual(shipment.revenue_audit, "mismatched")
        self.assertEqual(unknown.audit_status, "mismatched")

    def test_carrier_charges_are_audited_against_the_carrier_s_card(self):
        shipment = self.create_shipment()
        cost = self.charge(shipment, 800.0, source="carrier_bill")
        self.charge(shipment, 80.0, "fuel", source="carrier_bill")
        shipment._evaluate_billing()
        self.assertEqual(cost.side, "cost")
        self.assertEqual(shipment.cost_audit, "matched")
        self.assertEqual(shipment.revenue_audit, "none")
        cost.amount = 900.0
        shipment._evaluate_billing()
        self.assertEqual(shipment.cost_audit, "mismatched")
        self.assertEqual(shipment.cost_variance, 100.0)

    def test_partner_tolerance_overrides_the_company_s(self):
        shipment = self.create_shipment()
        self.charge(shipment, 1040.0)
        self.charge(shipment, 100.0, "fuel")
        shipment._evaluate_billing()
        self.assertEqual(shipment.revenue_audit, "mismatched")  # 40 > 25
        self.customer.write({"logistics_tolerance_amount": 50, "logistics_tolerance_percent": 5})
        shipment._evaluate_billing()
        self.assertEqual(shipment.revenue_audit, "within_variance")

    def test_without_a_card_charges_are_taken_as_reported(self):
        self.sell_card.active = False
        shipment = self.create_shipment()
        charge = self.charge(shipment, 1234.0)
        shipment._evaluate_billing()
        self.assertEqual(shipment.revenue_audit, "no_card")
        self.assertEqual(charge.audit_status, "no_card")
