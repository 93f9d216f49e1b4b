from datetime import datetime, timedelta

from odoo.tests import tagged

from .common import LogisticsCase

# Every canonical code: the status an actual milestone of it gives a new shipment.
EXPECTED_STATUS = {
    "TENDERED": "tendered",
    "TENDER_ACCEPTED": "accepted",
    "TENDER_REJECTED": "rejected",
    "DISPATCHED": "dispatched",
    "READY_FOR_PICKUP": "draft",
    "ARRIVED_PICKUP": "at_pickup",
    "PICKED_UP": "picked_up",
    "IN_TRANSIT": "in_transit",
    "ETA_UPDATED": "draft",
    "OUT_FOR_DELIVERY": "out_for_delivery",
    "ARRIVED_DELIVERY": "at_delivery",
    "DELIVERED": "delivered",
    "POD_RECEIVED": "draft",
    "DELIVERY_ATTEMPTED": "draft",
    "DELAYED": "draft",
    "DAMAGED": "draft",
    "REFUSED": "draft",
    "LOST": "lost",
    "RETURNED": "returned",
    "CANCELLED": "cancelled",
}


@tagged("post_install", "-at_install")
class TestShipmentStatus(LogisticsCase):
    def test_every_canonical_code_has_its_status(self):
        codes = self.env["logistics.milestone.code"].search([])
        self.assertEqual(
            set(codes.mapped("code")), set(EXPECTED_STATUS), "taxonomy and test disagree"
        )
        for code, status in EXPECTED_STATUS.items():
            with self.subTest(code=code):
                shipment = self.create_shipment()
                self.report(shipment, code, "2024-05-01T10:00:00+00:00", classifier="actual")
                self.assertEqual(shipment.status, status)

    def test_every_status_code_outranks_the_earlier_steps(self):
        path = [
            "TENDERED",
            "TENDER_ACCEPTED",
            "DISPATCHED",
            "ARRIVED_PICKUP",
            "PICKED_UP",
            "IN_TRANSIT",
            "OUT_FOR_DELIVERY",
            "ARRIVED_DELIVERY",
            "DELIVERED",
        ]
        ranks = [self.code(code).rank for code in path]
        self.assertEqual(ranks, sorted(ranks))
        self.assertEqual(len(set(ranks)), len(ranks))

    def test_in_order_history(self):
        shipment = self.create_shipment()
        self.report(shipment, "PICKED_UP", "2024-05-01T08:00:00+00:00")
        self.assertEqual(shipment.status, "picked_up")
        self.report(shipment, "IN_TRANSIT", "2024-05-01T12:00:00+00:00")
        self.assertEqual(shipment.status, "in_transit")
        delivered = self.report(shipment, "DELIVERED", "2024-05-02T09:30:00+00:00")
        self.assertEqual(shipment.status, "delivered")
        self.assertEqual(shipment.status_milestone_id, delivered)
        self.assertEqual(shipment.actual_pickup, datetime(2024, 5, 1, 8, 0))
        self.assertEqual(shipment.actual_delivery, datetime(2024, 5, 2, 9, 30))
        self.assertEqual(shipment.last_event_time, datetime(2024, 5, 2, 9, 30))
        self.assertFalse(any(shipment.milestone_ids.mapped("is_late")))

    def test_out_of_order_arrival_gives_the_same_result(self):
        shipment = self.create_shipment()
        self.report(shipment, "DELIVERED", "2024-05-02T09:30:00+00:00")
        self.report(shipment, "PICKED_UP", "2024-05-01T08:00:00+00:00")
        late = self.report(shipment, "IN_TRANSIT", "2024-05-01T12:00:00+00:00")
        self.assertEqual(shipment.status, "delivered")
        self.assertTrue(late.is_late)
        self.assertEqual(shipment.actual_pickup, datetime(2024, 5, 1, 8, 0))
        self.assertEqual(len(shipment.milestone_ids), 3, "a late milestone stays in the timeline")

    def test_late_milestone_never_regresses_delivered(self):
        shipment = self.create_shipment()
        self.report(shipment, "DELIVERED", "2024-05-02T09:30:00+00:00")
        late = self.report(shipment, "IN_TRANSIT", "2024-05-02T11:00:00+00:00")
        self.assertEqual(
            shipment.status, "delivered", "a later-dated but lower-ranked event does not regress"
        )
        self.assertFalse(late.is_late, "its event time is after everything received before")
        older = self.report(shipment, "IN_TRANSIT", "2024-05-01T11:00:00+00:00")
        self.assertTrue(older.is_late)
        self.assertEqual(shipment.status, "delivered")

    def test_duplicate_is_marked_and_changes_nothing(self):
        shipment = self.create_shipment()
        first = self.report(shipment, "IN_TRANSIT", "2024-05-01T12:00:00+00:00")
        self.report(shipment, "DELAYED", "2024-05-01T13:00:00+00:00")
        self.assertEqual(len(shipment.exception_ids), 1)
        again = self.report(shipment, "IN_TRANSIT", "2024-05-01T14:00:00+02:00")  # same instant
        dup_delay = self.report(shipment, "DELAYED", "2024-05-01T13:00:00Z")
        self.assertTrue(again.is_duplicate)
        self.assertTrue(dup_delay.is_duplicate)
        self.assertFalse(first.is_duplicate)
        self.assertEqual(shipment.status_milestone_id, first)
        self.assertEqual(
            len(shipment.exception_ids), 1, "a duplicate delay raises no second exception"
        )

    def test_timezone_aware_event_times_are_ordered_by_instant(self):
        shipment = self.create_shipment()
        # 09:00 in Chicago (-05:00) is 14:00 UTC; 15:30 in Paris (+02:00) is 13:30 UTC
        chicago = self.report(shipment, "IN_TRANSIT", "2024-05-01T09:00:00-05:00")
        paris = self.report(shipment, "PICKED_UP", "2024-05-01T15:30:00+02:00")
        self.assertEqual(chicago.event_time, datetime(2024, 5, 1, 14, 0))
        self.assertEqual(paris.event_time, datetime(2024, 5, 1, 13, 30))
        self.assertTrue(paris.is_late, "15:30 Paris happened before 09:00 Chicago")
        self.assertEqual(paris.event_time_local, "2024-05-01 15:30 +02:00")
        self.assertEqual(shipment.status, "in_transit")
        self.assertEqual(shipment.last_event_time, datetime(2024, 5, 1, 14, 0))

    def test_latest_eta_by_event_time(self):
        shipment = self.create_shipment(planned_delivery=datetime(2024, 5, 2, 10, 0))
        self.report(
            shipment,
            "ETA_UPDATED",
            "2024-05-01T12:00:00Z",
            estimated_time=datetime(2024, 5, 2, 9, 0),
        )
        self.assertEqual(shipment.eta, datetime(2024, 5, 2, 9, 0))
        self.assertFalse(shipment.is_delayed)
        self.report(
            shipment,
            "ETA_UPDATED",
            "2024-05-01T18:00:00Z",
            estimated_time=datetime(2024, 5, 2, 14, 0),
        )
        self.assertEqual(shipment.eta, datetime(2024, 5, 2, 14, 0))
        self.assertTrue(shipment.is_delayed)
        self.assertTrue(shipment.is_late)
        # an older estimate delivered late does not overwrite the newer one
        self.report(
            shipment,
            "ETA_UPDATED",
            "2024-05-01T15:00:00Z",
            estimated_time=datetime(2024, 5, 2, 8, 0),
        )
        self.assertEqual(shipment.eta, datetime(2024, 5, 2, 14, 0))
        self.assertEqual(shipment.status, "draft", "an estimate does not move the status")

    def test_retraction_recomputes_status(self):
        shipment = self.create_shipment()
        self.report(shipment, "IN_TRANSIT", "2024-05-01T12:00:00Z")
        wrong = self.report(shipment, "DELIVERED", "2024-05-01T13:00:00Z")
        self.assertEqual(shipment.status, "delivered")
        wrong.action_retract()
        self.assertEqual(shipment.status, "in_transit")
        self.assertFalse(shipment.actual_delivery)
        wrong.action_restore()
        self.assertEqual(shipment.status, "delivered")

    def test_deleting_a_milestone_recomputes_status(self):
        shipment = self.create_shipment()
        self.report(shipment, "PICKED_UP", "2024-05-01T08:00:00Z")
        transit = self.report(shipment, "IN_TRANSIT", "2024-05-01T12:00:00Z")
        transit.unlink()
        self.assertEqual(shipment.status, "picked_up")

    def test_stop_actuals_follow_stop_milestones(self):
        window_end = datetime(2024, 5, 1, 8, 0)
        shipment = self.create_shipment(
            stop_ids=[
                (0, 0, {"sequence": 1, "stop_type": "pickup", "window_end": window_end}),
                (0, 0, {"sequence": 2, "stop_type": "delivery"}),
            ]
        )
        pickup = shipment.stop_ids.sorted("sequence")[0]
        self.report(shipment, "ARRIVED_PICKUP", "2024-05-01T08:30:00Z", stop_id=pickup.id)
        self.assertEqual(pickup.actual_arrival, datetime(2024, 5, 1, 8, 30))
        self.assertEqual(pickup.state, "arrived")
        self.assertTrue(pickup.is_late)
        self.report(shipment, "PICKED_UP", "2024-05-01T09:10:00Z", stop_id=pickup.id)
        self.assertEqual(pickup.actual_departure, datetime(2024, 5, 1, 9, 10))
        self.assertEqual(pickup.state, "done")

    def test_status_change_is_tracked_in_the_chatter(self):
        self.env = self.env(context=dict(self.env.context, tracking_disable=False))
        shipment = self.env["logistics.shipment"].create({"customer_id": self.customer.id})
        # Tracking is written when a transaction commits, and never for a record
        # created in the same transaction: close the creation first.
        self.env.cr.precommit.run()
        self.report(shipment, "PICKED_UP", "2024-05-01T08:00:00Z")
        self.env.cr.precommit.run()
        tracked = shipment.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "status"
        )
        self.assertTrue(tracked)

    def test_record_milestone_wizard(self):
        shipment = self.create_shipment()
        wizard = self.env["logistics.milestone.record"].create(
            {
                "shipment_id": shipment.id,
                "milestone_code_id": self.code("DISPATCHED").id,
                "event_time": datetime.now() - timedelta(minutes=5),
                "note": "Driver called",
            }
        )
        wizard.action_record()
        self.assertEqual(shipment.status, "dispatched")
        self.assertEqual(shipment.milestone_ids.note, "Driver called")

    def test_references_are_unique_per_company_and_sequenced(self):
        first, second = self.create_shipment(), self.create_shipment()
        self.assertTrue(first.name.startswith("SHP/"))
        self.assertNotEqual(first.name, second.name)
