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
