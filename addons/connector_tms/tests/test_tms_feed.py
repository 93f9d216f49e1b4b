"""The change feed heals what webhooks missed, and cannot skip."""

from datetime import timedelta

from .common import TmsCase


class TestTmsFeed(TmsCase):
    def event_ids(self):
        """The TMS event ids the hub stored, each as often as it was stored."""
        keys = self.messages(message_type="tms_event").mapped("idempotency_key")
        return sorted(key.removeprefix("tms:") for key in keys)

    def test_dropped_webhooks_are_healed_by_the_next_pull_and_none_twice(self):
        orders = [self.tendered() for _ in range(5)]
        self.sandbox.drop_rate = 0.2
        for order in orders:
            self.sandbox.lifecycle(order.name)
        self.assertGreater(self.sandbox.dropped, 0)
        self.run_jobs()
        self.assertLess(len(self.event_ids()), len(self.sandbox.events))
        read, stored = self.env["logistics.tms.feed"]._pull(self.tms)
        self.assertEqual(stored, self.sandbox.dropped)
        self.run_jobs()
        self.assertEqual(self.event_ids(), sorted(e.id for e in self.sandbox.events))
        for order in orders:
            shipment = order.logistics_shipment_ids
            self.assertEqual(shipment.status, "delivered")
            codes = shipment.milestone_ids.mapped("code")
            self.assertEqual(len(codes), len(set(codes)), "a milestone applied twice")
        # a second pull reads the overlap again and stores nothing
        _read, stored = self.env["logistics.tms.feed"]._pull(self.tms)
        self.assertEqual(stored, 0)

    def test_events_held_back_by_the_visibility_lag_are_not_skipped(self):
        order = self.tendered()
        self.sandbox.hub_url = None  # no webhook at all: only the feed tells
        # a delay recorded 10 s ago that the TMS shows late (a long transaction)...
        self.sandbox.clock_offset = timedelta(seconds=-10)
        hidden = self.sandbox.emit(order.name, "delayed")
        self.sandbox.clock_offset = timedelta(0)
        hidden.visible_at = self.sandbox.now() + timedelta(seconds=20)
        # ...while later events are visible at once: the cursor moves past it
        self.sandbox.lifecycle(order.name)
        self.env["logistics.tms.feed"]._pull(self.tms)
        self.assertNotIn(hidden.id, self.event_ids())
        self.assertLess(hidden.recorded_at.replace(tzinfo=None), self.tms.tms_feed_cursor)
        # it shows up within the lag; the overlap window reads it
        self.sandbox.clock_offset = timedelta(seconds=25)
        self.env["logistics.tms.feed"]._pull(self.tms)
        self.assertEqual(self.event_ids(), sorted(e.id for e in self.sandbox.events))
        self.run_jobs()
        shipment = order.logistics_shipment_ids
        self.assertIn("DELAYED", shipment.milestone_ids.mapped("code"))
        self.assertEqual(shipment.status, "delivered")

    def test_webhooks_never_move_the_cursor(self):
        order = self.tendered()
        self.sandbox.lifecycle(order.name)
        self.run_jobs()
        self.assertFalse(self.tms.tms_feed_cursor)
        self.env["logistics.tms.feed"]._pull(self.tms)
        newest = max(e.recorded_at for e in self.sandbox.events).replace(tzinfo=None)
        self.assertAlmostEqual(self.tms.tms_feed_cursor, newest, delta=timedelta(seconds=1))

    def test_tms_down_during_a_pull_keeps_the_cursor(self):
        order = self.tendered()
        self.sandbox.lifecycle(order.name)
        self.env["logistics.tms.feed"]._pull(self.tms)
        cursor = self.tms.tms_feed_cursor
        self.sandbox.down = True
        self.env["logistics.tms.feed"]._pull(self.tms)
        self.assertEqual(self.tms.tms_feed_cursor, cursor)
        self.assertIn("503", self.tms.tms_feed_last_result)

    def test_overlap_must_exceed_the_visibility_lag(self):
        with self.assertRaisesRegex(Exception, "overlap window"):
            self.tms.write({"tms_feed_overlap": 10, "tms_feed_lag": 30})


class TestTmsFeedFlat(TestTmsFeed):
    allow_inherited_tests_method = True
    dialect = "flat"
