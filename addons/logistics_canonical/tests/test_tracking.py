from datetime import datetime, timedelta

from odoo.tests import BaseCase, tagged

from ..lib.tracking import Fact, derive

T0 = datetime(2024, 5, 1, 8, 0)


def fact(key, code, hours, rank=0, status=None, **kw):
    return Fact(
        key=key, code=code, event_time=T0 + timedelta(hours=hours), rank=rank, status=status, **kw
    )


PICKED = {"rank": 50, "status": "picked_up"}
TRANSIT = {"rank": 60, "status": "in_transit"}
DELIVERED = {"rank": 90, "status": "delivered"}


@tagged("at_install", "-post_install")
class TestDerive(BaseCase):
    """The pure derivation rule, without a database."""

    def test_empty_history_has_no_status(self):
        state = derive([])
        self.assertIsNone(state.status)
        self.assertIsNone(state.eta)

    def test_in_order_history_ends_at_the_last_status(self):
        state = derive(
            [
                fact(1, "PICKED_UP", 0, **PICKED),
                fact(2, "IN_TRANSIT", 2, **TRANSIT),
                fact(3, "DELIVERED", 9, **DELIVERED),
            ]
        )
        self.assertEqual(state.status, "delivered")
        self.assertEqual(state.status_key, 3)
        self.assertEqual(state.late, set())

    def test_late_lower_rank_never_regresses_and_is_flagged(self):
        state = derive([fact(1, "DELIVERED", 9, **DELIVERED), fact(2, "IN_TRANSIT", 5, **TRANSIT)])
        self.assertEqual(state.status, "delivered")
        self.assertEqual(state.late, {2})

    def test_received_out_of_order_gives_same_status_as_in_order(self):
        facts = [fact(1, "IN_TRANSIT", 2, **TRANSIT), fact(2, "PICKED_UP", 0, **PICKED)]
        state = derive(facts)
        self.assertEqual(state.status, "in_transit")
        self.assertEqual(state.late, {2})
        self.assertEqual(state.dates["PICKED_UP"], T0)

    def test_equal_rank_takes_the_latest_event_time_not_the_latest_received(self):
        accepted = {"rank": 20, "status": "accepted"}
        rejected = {"rank": 20, "status": "rejected"}
        state = derive(
            [fact(1, "TENDER_REJECTED", 3, **rejected), fact(2, "TENDER_ACCEPTED", 1, **accepted)]
        )
        self.assertEqual(state.status, "rejected")

    def test_duplicate_is_flagged_and_ignored(self):
        state = derive([fact(1, "IN_TRANSIT", 2, **TRANSIT), fact(2, "IN_TRANSIT", 2, **TRANSIT)])
        self.assertEqual(state.duplicates, {2})
        self.assertEqual(state.status_key, 1)

    def test_same_code_at_another_stop_is_no_duplicate(self):
        state = derive(
            [
                fact(1, "IN_TRANSIT", 2, stop=7, **TRANSIT),
                fact(2, "IN_TRANSIT", 2, stop=8, **TRANSIT),
            ]
        )
        self.assertEqual(state.duplicates, set())

    def test_retracted_fact_counts_for_nothing(self):
        state = derive(
            [
                fact(1, "IN_TRANSIT", 2, **TRANSIT),
                fact(2, "DELIVERED", 9, retracted=True, **DELIVERED),
            ]
        )
        self.assertEqual(state.status, "in_transit")
        self.assertNotIn("DELIVERED", state.dates)

    def test_estimates_do_not_set_status(self):
        state = derive([fact(1, "DELIVERED", 9, classifier="estimated", **DELIVERED)])
        self.assertIsNone(state.status)
        self.assertIsNone(state.last_event_time)

    def test_eta_follows_the_latest_estimate_by_event_time(self):
        eta_a, eta_b = T0 + timedelta(days=2), T0 + timedelta(days=3)
        state = derive(
            [
                fact(1, "ETA_UPDATED", 5, classifier="estimated", estimated_time=eta_b),
                fact(2, "ETA_UPDATED", 1, classifier="estimated", estimated_time=eta_a),
            ]
        )
        self.assertEqual(state.eta, eta_b, "an older estimate received later must not win")
        self.assertEqual(state.late, {2})

    def test_stop_times_come_from_stop_events(self):
        state = derive(
            [
                fact(
                    1,
                    "ARRIVED_PICKUP",
                    0,
                    rank=40,
                    status="at_pickup",
                    stop=3,
                    stop_event="arrival",
                ),
                fact(2, "PICKED_UP", 1, stop=3, stop_event="departure", **PICKED),
            ]
        )
        self.assertEqual(state.stop_times[(3, "arrival")], T0)
        self.assertEqual(state.stop_times[(3, "departure")], T0 + timedelta(hours=1))
