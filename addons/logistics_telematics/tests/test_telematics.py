"""A recorded truck track through the telematics channel's door: positions
stored once, geofence crossings as milestones (deduped against what a TMS
reported), the last position and an ETA on the shipment, unreadable pings
kept in the integration log, old positions summed up per day."""

import json
from datetime import datetime, timedelta

from odoo.tests import tagged

from odoo.addons.logistics_canonical.tests.common_api import ApiCase

from ..lib.mqtt import Received
from ..lib.positions import distance_m, read_message, read_position

DALLAS = (32.7767, -96.7970)
MEMPHIS = (35.1495, -90.0490)


def track(start="2026-05-04T08:00:00Z"):
    """Approach the Dallas pickup, stand there, drive to Memphis and stand there."""
    began = datetime.strptime(start, "%Y-%m-%dT%H:%M:%SZ")
    points = [(DALLAS[0] - 0.02, DALLAS[1], 40)]  # 2.2 km south
    points += [(DALLAS[0] + 0.0005, DALLAS[1], 0)] * 3  # at the dock
    points += [(DALLAS[0] + 0.05 * n, DALLAS[1] + 0.12 * n, 85) for n in range(1, 6)]
    points += [(MEMPHIS[0] - 0.0008, MEMPHIS[1], 0)] * 2
    return [
        {
            "lat": lat,
            "lon": lon,
            "speed": speed,
            "time": (began + timedelta(minutes=10 * index)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        for index, (lat, lon, speed) in enumerate(points)
    ]


@tagged("post_install", "-at_install")
class TestTelematics(ApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fleet = cls.env["logistics.backend"].create(
            {
                "name": "Fleet",
                "code": "test_fleet",
                "kind": "telematics",
                "environment": "production",
                "mqtt_url": "mqtt://127.0.0.1:1883",
                "mqtt_topic": "fleet/+/position",
                "geofence_radius": 300,
            }
        )
        cls.tms = cls.env["logistics.backend"].create({"name": "A TMS", "code": "test_geo_tms"})
        cls.shipment = cls.env["logistics.shipment"].create(
            {
                "vehicle": "TRK-9",
                "environment": "production",
                "stop_ids": [
                    (
                        0,
                        0,
                        {
                            "sequence": 1,
                            "stop_type": "pickup",
                            "latitude": DALLAS[0],
                            "longitude": DALLAS[1],
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "sequence": 2,
                            "stop_type": "delivery",
                            "latitude": MEMPHIS[0],
                            "longitude": MEMPHIS[1],
                        },
                    ),
                ],
            }
        )
        cls.pickup, cls.delivery = cls.shipment.stop_ids.sorted("sequence")

    def receive(self, *payloads, topic="fleet/TRK-9/position"):
        """MQTT messages through the channel's door, then the drains."""
        Listener = self.env["logistics.telematics.listener"]
        received = [
            Received(n, 1, topic, p if isinstance(p, bytes) else json.dumps(p).encode())
            for n, p in enumerate(payloads, 1)
        ]
        receipts = Listener._listener_receive(Listener._listener_config(self.fleet), received)
        self.run_jobs()
        return receipts

    def geofence_milestones(self):
        return self.shipment.milestone_ids.filtered(lambda m: m.backend_id == self.fleet).sorted(
            "event_time"
        )

    def positions(self):
        return self.env["logistics.vehicle.position"].search_count(
            [("backend_id", "=", self.fleet.id)]
        )

    def test_crossing_geofences_records_arrivals_and_departure(self):
        recorded = track()
        self.receive(recorded)  # a unit that buffered the whole trip sends a list
        self.assertEqual(self.positions(), len(recorded))
        milestones = self.geofence_milestones()
        self.assertEqual(
            [(m.code, m.stop_id) for m in milestones],
            [
                ("ARRIVED_PICKUP", self.pickup),
                ("PICKED_UP", self.pickup),
                ("ARRIVED_DELIVERY", self.delivery),
            ],
        )
        self.assertEqual(milestones[0].event_time, datetime(2026, 5, 4, 8, 10))
        self.assertEqual(milestones[1].source_code, "geofence.leave")
        self.assertEqual(self.shipment.status, "at_delivery")
        self.assertEqual(self.shipment.last_position_at, datetime(2026, 5, 4, 9, 40))
        self.assertAlmostEqual(self.shipment.last_latitude, MEMPHIS[0] - 0.0008, places=6)
        self.assertTrue(
            self.shipment.last_position_url.startswith("https://www.openstreetmap.org/")
        )

    def test_one_ping_per_message_over_batches_and_a_resent_batch_change_nothing(self):
        recorded = track()
        self.receive(*recorded[:6])
        self.receive(*recorded[6:])
        self.assertEqual(len(self.geofence_milestones()), 3)
        self.receive(*recorded[6:])  # the broker delivers again after a crash
        self.assertEqual(self.positions(), len(recorded))
        self.assertEqual(len(self.geofence_milestones()), 3)

    def test_an_arrival_the_tms_reported_makes_the_crossing_history(self):
        self.env["logistics.milestone"].create(
            {
                "shipment_id": self.shipment.id,
                "milestone_code_id": self.env["logistics.milestone.code"]._id_by_code(
                    "ARRIVED_PICKUP"
                ),
                "event_time": datetime(2026, 5, 4, 8, 12),
                "stop_id": self.pickup.id,
                "backend_id": self.tms.id,
            }
        )
        self.receive(track())
        self.assertEqual(
            self.geofence_milestones().mapped("code"), ["PICKED_UP", "ARRIVED_DELIVERY"]
        )
        arrivals = self.shipment.milestone_ids.filtered(lambda m: m.code == "ARRIVED_PICKUP")
        self.assertEqual(arrivals.backend_id, self.tms, "one arrival: the TMS's")

    def test_eta_from_the_last_position_and_average_speed(self):
        self.receive(track()[:4])  # at the pickup
        recorded = track()[4:7]  # then three positions on the road at 85 km/h
        self.receive(recorded)
        last = recorded[-1]
        metres = distance_m(last["lat"], last["lon"], *MEMPHIS) * 1.25
        expected = datetime.strptime(last["time"], "%Y-%m-%dT%H:%M:%SZ") + timedelta(
            hours=metres / 1000 / 85
        )
        self.assertAlmostEqual(
            self.shipment.position_eta.timestamp(), expected.timestamp(), delta=1
        )
        self.assertEqual(self.shipment.position_eta_stop_id, self.delivery)
        timeline = self.shipment._timeline()  # no ETA reported: the position's
        self.assertEqual(timeline["eta"], self.shipment.position_eta.isoformat() + "Z")

    def test_unreadable_pings_are_kept_in_the_log_and_do_not_stop_the_rest(self):
        good = track()[:1]
        self.receive(b"{not json", {"lat": 200, "lon": 0, "time": good[0]["time"]}, good)
        self.assertEqual(self.positions(), 1)
        rejected = self.env["logistics.integration.message"].search(
            [("backend_id", "=", self.fleet.id), ("state", "=", "rejected")], order="id"
        )
        self.assertEqual(len(rejected), 2)
        self.assertIn("not JSON", rejected[0].error_message)
        self.assertIn("outside the globe", rejected[1].error_message)

    def test_positions_past_retention_are_summed_up_per_day(self):
        old = (datetime.now() - timedelta(days=40)).replace(hour=10, minute=0, second=0)
        recorded = [
            {
                "lat": DALLAS[0],
                "lon": DALLAS[1],
                "speed": speed,
                "time": f"{(old + timedelta(minutes=n)).isoformat()}Z",
            }
            for n, speed in enumerate((10, 50, 90))
        ]
        self.receive(recorded, topic="fleet/TRK-OLD/position")
        self.env["logistics.vehicle.position"]._cron_sum_up_old()
        self.assertEqual(self.positions(), 0)
        day = self.env["logistics.vehicle.track"].search([("vehicle", "=", "TRK-OLD")])
        self.assertEqual((day.positions, day.max_speed_kmh, day.avg_speed_kmh), (3, 90, 50))
        self.assertEqual(day.day, old.date())

    def test_positions_are_read_as_vendors_write_them(self):
        position, problem = read_position(
            {"latitude": "32.5", "lng": -96.1, "ts": 1777881600000, "plate": " TRK-7 "}
        )
        self.assertEqual(problem, "")
        self.assertEqual(
            (position["vehicle"], position["lat"], position["time"]),
            ("TRK-7", 32.5, "2026-05-04T08:00:00Z"),
        )
        positions, problems = read_message(
            b'[{"lat": 1, "lon": 2, "time": "2026-05-04T08:00:00+02:00"}, 7]', "TRK-8"
        )
        self.assertEqual(positions[0]["time"], "2026-05-04T06:00:00Z")
        self.assertEqual(problems, ["position 1: a position is a JSON object"])
        self.assertEqual(
            read_position({"lat": 1, "lon": 2, "time": "2026-05-04T08:00:00"}, "V")[1],
            "time '2026-05-04T08:00:00': a time with its UTC offset is expected",
        )
