"""Rate cards, their lanes and accessorials, and fuel tables are audited."""

from datetime import date

from odoo.addons.logistics_integration.tests.common import assert_audited

from .common import BillingCase


class TestRateCardAudit(BillingCase):
    def test_price_changes_are_recorded_with_before_and_after(self):
        card = self.sell_card
        cases = [
            (card, {"date_to": date(2026, 12, 31)}),
            (card.lane_ids, {"rate": 0.55, "minimum": 320.0}),
            (card.accessorial_ids, {"amount": 80.0}),
            (self.fuel_table, {"name": "Diesel (DOE weekly)"}),
            (self.fuel_table.band_ids.sorted("price_from")[:1], {"percent": 11.0}),
        ]
        for record, values in cases:
            with self.subTest(model=record._name):
                assert_audited(self, record, values)
        trail = self.env["logistics.audit.log"].search(card.action_view_audit_trail()["domain"])
        self.assertEqual(
            set(trail.mapped("res_model")),
            {"logistics.rate.card", "logistics.rate.card.lane", "logistics.rate.card.accessorial"},
        )
        rate = self.env["logistics.audit.log"].search(
            [("res_model", "=", "logistics.rate.card.lane"), ("field_name", "=", "rate")], limit=1
        )
        self.assertEqual((rate.old_value, rate.new_value), ("0.5", "0.55"))
        # a new card's lanes are recorded field by field when created
        created = self.env["logistics.audit.log"].search(
            [
                ("res_model", "=", "logistics.rate.card.lane"),
                ("res_id", "=", self.buy_card.lane_ids.id),
                ("operation", "=", "create"),
            ]
        )
        self.assertIn("destination_zip_prefix", created.mapped("field_name"))
