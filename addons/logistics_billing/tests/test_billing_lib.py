from odoo.tests import BaseCase, tagged

from ..lib import audit, rating

US_TX = rating.Place("US", "TX", "75201")


@tagged("post_install", "-at_install")
class TestRating(BaseCase):
    def lane(self, key, destination, break_from=0.0, mode="", rate=1.0, minimum=0.0):
        return rating.LaneRate(
            key,
            rating.Zone("US"),
            destination,
            mode=mode,
            break_from=break_from,
            rate=rate,
            minimum=minimum,
        )

    def test_the_closest_zone_wins(self):
        rates = [
            self.lane("country", rating.Zone("US")),
            self.lane("state", rating.Zone("US", "TX")),
            self.lane("zip", rating.Zone("US", "", "752")),
            self.lane("elsewhere", rating.Zone("US", "", "10")),
        ]
        best = rating.best_lane_rate(rates, US_TX, US_TX, "ftl", {"weight": 100})
        self.assertEqual(best.key, "zip")
        best = rating.best_lane_rate(rates, US_TX, rating.Place("US", "TX", "77001"), "ftl", {})
        self.assertEqual(best.key, "state")
        self.assertIsNone(
            rating.best_lane_rate(rates, US_TX, rating.Place("CA", "ON", "M5V"), "ftl", {})
        )

    def test_the_highest_break_reached_and_the_mode(self):
        rates = [
            self.lane("0", rating.Zone("US"), 0, rate=1.0),
            self.lane("1000", rating.Zone("US"), 1000, rate=0.8),
            self.lane("ltl", rating.Zone("US"), 0, mode="ltl", rate=2.0),
        ]
        self.assertEqual(
            rating.best_lane_rate(rates, US_TX, US_TX, "ftl", {"weight": 999}).key, "0"
        )
        self.assertEqual(
            rating.best_lane_rate(rates, US_TX, US_TX, "ftl", {"weight": 1000}).key, "1000"
        )
        self.assertEqual(
            rating.best_lane_rate(rates, US_TX, US_TX, "ltl", {"weight": 5}).key, "ltl"
        )

    def test_minimum_and_flat(self):
        lane = rating.LaneRate("k", rating.Zone(), rating.Zone(), rate=0.5, flat=20, minimum=300)
        self.assertEqual(lane.amount(100), 300)
        self.assertEqual(lane.amount(1000), 520)

    def test_fuel_bands(self):
        bands = [rating.FuelBand(3.0, 4.0, percent=10), rating.FuelBand(4.0, 0, per_km=0.2)]
        self.assertEqual(rating.fuel_surcharge(bands, 3.5, 1000, 500), 100)
        self.assertEqual(rating.fuel_surcharge(bands, 4.0, 1000, 500), 100)  # 500 km x 0.2
        self.assertEqual(rating.fuel_surcharge(bands, 2.9, 1000, 500), 0)


@tagged("post_install", "-at_install")
class TestAudit(BaseCase):
    tolerance = audit.Tolerance(amount=25, percent=2, line_percent=5)

    def test_statuses(self):
        expected = {"linehaul": 1000.0, "fuel": 100.0}
        cases = [
            ({"linehaul": 1000.0, "fuel": 100.0}, audit.MATCHED),
            ({"linehaul": 1010.0, "fuel": 100.0}, audit.WITHIN_VARIANCE),
            # each line within 5 %, but the bill 50 off: more than 25
            ({"linehaul": 1045.0, "fuel": 105.0}, audit.MISMATCHED),
            # the bill within 25, but fuel 20 % off
            ({"linehaul": 1000.0, "fuel": 120.0}, audit.MISMATCHED),
            # a charge the card does not know
            ({"linehaul": 1000.0, "fuel": 100.0, "other:pallet": 10.0}, audit.MISMATCHED),
            # a charge the card expects is missing
            ({"linehaul": 1000.0}, audit.MISMATCHED),
        ]
        for actual, status in cases:
            with self.subTest(actual=actual):
                self.assertEqual(audit.audit(expected, actual, self.tolerance).status, status)

    def test_the_table_shows_lines_side_by_side(self):
        verdict = audit.audit(
            {"linehaul": 1000.0}, {"linehaul": 1200.0}, self.tolerance, {"linehaul": "Linehaul"}
        )
        table = verdict.table()
        self.assertIn("Linehaul", table)
        self.assertIn("1000.00", table)
        self.assertIn("1200.00", table)
        self.assertIn("+200.00", table)
        self.assertIn("outside tolerance", table)
