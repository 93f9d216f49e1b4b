from datetime import datetime, timedelta

from odoo.tests import HttpCase, new_test_user, tagged

from ..lib.timeutil import parse_event_time


@tagged("post_install", "-at_install")
class TestShipmentTour(HttpCase):
    def test_shipment_timeline_and_exception_workbench(self):
        dispatcher = new_test_user(
            self.env, login="tour_dispatcher", groups="logistics_integration.group_logistics_user"
        )
        shipment = self.env["logistics.shipment"].create(
            {
                "customer_reference": "TOUR-PO-1",
                "customer_id": self.env["res.partner"].create({"name": "Tour Customer"}).id,
            }
        )
        codes = {c.code: c for c in self.env["logistics.milestone.code"].search([])}
        for code, when, extra in [
            ("PICKED_UP", "2024-05-01T08:00:00Z", {}),
            ("DELIVERED", "2024-05-02T09:00:00Z", {}),
            ("DAMAGED", "2024-05-02T09:05:00Z", {"reason_text": "Tour pallet 7 crushed"}),
            ("IN_TRANSIT", "2024-05-01T18:00:00Z", {}),  # arrives after delivery: late
        ]:
            event_time, offset = parse_event_time(when)
            self.env["logistics.milestone"].create(
                {
                    "shipment_id": shipment.id,
                    "milestone_code_id": codes[code].id,
                    "event_time": event_time,
                    "event_utc_offset": offset,
                    **extra,
                }
            )
        exception = shipment.exception_ids
        self.assertEqual(exception.state, "new")

        self.start_tour(
            "/odoo/action-logistics_canonical.action_shipment",
            "logistics_shipment_timeline_tour",
            login=dispatcher.login,
        )

        self.assertEqual(exception.state, "resolved")
        self.assertEqual(exception.closed_by_id, dispatcher)
        self.assertEqual(shipment.status, "delivered")


@tagged("post_install", "-at_install")
class TestTimelineTour(HttpCase):
    """The shipment form's timeline, as a dispatcher reads it."""

    def setUp(self):
        super().setUp()
        self.dispatcher = new_test_user(
            self.env,
            login="timeline_dispatcher",
            groups="logistics_integration.group_logistics_user",
        )
        places = self.env["res.partner"].create([{"name": "Chicago DC"}, {"name": "Dallas Store"}])
        self.shipment = self.env["logistics.shipment"].create(
            {
                "customer_reference": "TIMELINE-1",
                "planned_delivery": datetime(2024, 5, 2, 12),
                "stop_ids": [
                    (
                        0,
                        0,
                        _stop(
                            "pickup", places[0], datetime(2024, 5, 1, 6), datetime(2024, 5, 1, 8)
                        ),
                    ),
                    (
                        0,
                        0,
                        _stop(
                            "delivery",
                            places[1],
                            datetime(2024, 5, 2, 10),
                            datetime(2024, 5, 2, 12),
                        ),
                    ),
                ],
            }
        )
        pickup, delivery = self.shipment.stop_ids
        codes = {c.code: c for c in self.env["logistics.milestone.code"].search([])}
        reports = [
            ("ARRIVED_PICKUP", datetime(2024, 5, 1, 7, 30), {"stop_id": pickup.id}),
            ("PICKED_UP", datetime(2024, 5, 1, 8, 10), {"stop_id": pickup.id}),
        ]
        reports += [
            (
                "IN_TRANSIT",
                datetime(2024, 5, 1, 9) + timedelta(minutes=8 * ping),
                {
                    "location_name": f"Mile {ping * 5}",
                    "source_code": "X6",
                    "source_text": "En route",
                },
            )
            for ping in range(200)
        ]
        reports += [
            ("OUT_FOR_DELIVERY", datetime(2024, 5, 2, 9), {"is_retracted": True}),
            (
                "ETA_UPDATED",
                datetime(2024, 5, 2, 11),
                {"classifier": "estimated", "estimated_time": datetime(2024, 5, 2, 15)},
            ),
            ("ARRIVED_DELIVERY", datetime(2024, 5, 2, 13, 30), {"stop_id": delivery.id}),
        ]
        self.env["logistics.milestone"].create(
            [
                {
                    "shipment_id": self.shipment.id,
                    "milestone_code_id": codes[code].id,
                    "event_time": when,
                    **extra,
                }
                for code, when, extra in reports
            ]
        )

    def test_the_timeline_reads_at_a_glance(self):
        timeline = self.shipment.with_user(self.dispatcher).get_timeline()
        self.assertEqual(timeline["slip_minutes"], 180, "ETA 15:00 against 12:00 promised")
        self.assertEqual(len(timeline["milestones"]), 205)
        newest = timeline["milestones"][0]
        self.assertEqual((newest["code"], newest["behind_plan"]), ("ARRIVED_DELIVERY", True))
        self.assertEqual([stop["late"] for stop in timeline["stops"]], [False, True])
        self.start_tour(
            f"/odoo/action-logistics_canonical.action_shipment/{self.shipment.id}",
            "logistics_timeline_widget_tour",
            login=self.dispatcher.login,
        )


@tagged("post_install", "-at_install")
class TestTimelineTourMobile(TestTimelineTour):
    """The same timeline on a phone."""

    allow_inherited_tests_method = True  # Odoo's loader skips inherited tests otherwise
    browser_size = "375x740"
    touch_enabled = True


def _stop(kind, partner, start, end):
    return {"stop_type": kind, "partner_id": partner.id, "window_start": start, "window_end": end}
