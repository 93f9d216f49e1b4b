from datetime import datetime, timedelta

from odoo import api, fields, models

from ..lib.positions import distance_m

# geofence crossings as milestones, by stop type (entering, leaving)
ARRIVALS = {"pickup": "ARRIVED_PICKUP", "delivery": "ARRIVED_DELIVERY"}
DEPARTURES = {"pickup": "PICKED_UP"}
LEAVE_FACTOR = 1.2  # leaving counts beyond 1.2 radii: GPS jitter at the edge is no departure
ROAD_FACTOR = 1.25  # roads are longer than the great circle
MOVING_KMH = 5  # slower is standing (a red light, a dock)
DEFAULT_KMH = 60  # when no position of the batch moved


def _naive(iso):
    return datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")


class LogisticsShipment(models.Model):
    _inherit = "logistics.shipment"

    last_position_at = fields.Datetime(string="Last Position", readonly=True)
    last_latitude = fields.Float(digits=(10, 7), readonly=True)
    last_longitude = fields.Float(digits=(10, 7), readonly=True)
    last_speed_kmh = fields.Float(string="Speed (km/h)", digits=(6, 1), readonly=True)
    position_eta = fields.Datetime(
        string="ETA from Position",
        readonly=True,
        help="Next stop's arrival from the truck's last position: distance by road "
        f"(great circle x {ROAD_FACTOR}) at the average moving speed of its last positions.",
    )
    position_eta_stop_id = fields.Many2one(
        "logistics.shipment.stop", string="ETA for Stop", readonly=True
    )
    last_position_text = fields.Char(string="Coordinates", compute="_compute_last_position_url")
    last_position_url = fields.Char(string="On the Map", compute="_compute_last_position_url")

    def _expected_delivery(self):
        """Without a reported ETA, the one from the truck's position, once the
        delivery is the next stop."""
        last_stop = self.stop_ids.sorted("sequence")[-1:]
        from_position = self.position_eta if self.position_eta_stop_id == last_stop else False
        return super()._expected_delivery() or from_position

    @api.depends("last_latitude", "last_longitude", "last_position_at")
    def _compute_last_position_url(self):
        for shipment in self:
            lat, lon = shipment.last_latitude, shipment.last_longitude
            shipment.last_position_text = (
                f"{lat:.5f}, {lon:.5f}" if shipment.last_position_at else False
            )
            shipment.last_position_url = (
                f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=13/{lat}/{lon}"
                if shipment.last_position_at
                else False
            )

    def _telematics_follow(self, message, track):
        """Follow this shipment's truck along ``track`` (its new positions, in
        time order): geofence crossings become milestones, the last position
        and an ETA go on the shipment. Positions older than the last one known
        (a unit's buffer sent late) are history only. Returns the milestones."""
        self.ensure_one()
        if self.last_position_at:
            track = [p for p in track if _naive(p["time"]) > self.last_position_at]
        if not track:
            return self.env["logistics.milestone"]
        milestones = self._telematics_geofences(message, track)
        last = track[-1]
        eta, stop = self._telematics_eta(message.backend_id, track)
        self.write(
            {
                "last_position_at": _naive(last["time"]),
                "last_latitude": last["lat"],
                "last_longitude": last["lon"],
                "last_speed_kmh": last["speed_kmh"] or 0.0,
                "position_eta": eta,
                "position_eta_stop_id": stop.id,
            }
        )
        return milestones

    def _telematics_geofences(self, message, track):
        """Arrivals and departures where the track crosses a stop's geofence.
        A stop gets one of each at most, from whichever source told first: a
        TMS or carrier arrival already recorded makes the crossing history."""
        backend = message.backend_id
        codes = self.env["logistics.milestone.code"]
        recorded = {
            (milestone.stop_id.id, milestone.code)
            for milestone in self.milestone_ids
            if not milestone.is_retracted
        }
        vals_list = []
        for stop in self.stop_ids.filtered(lambda s: s._has_place()):
            radius = stop.geofence_radius or backend.geofence_radius
            inside = stop.geofence_inside
            for position in track:
                distance = distance_m(
                    stop.latitude, stop.longitude, position["lat"], position["lon"]
                )
                if not inside and distance <= radius:
                    inside, code, crossing = True, ARRIVALS.get(stop.stop_type), "enter"
                elif inside and distance > radius * LEAVE_FACTOR:
                    inside, code, crossing = False, DEPARTURES.get(stop.stop_type), "leave"
                else:
                    continue
                if not code or (stop.id, code) in recorded:
                    continue
                recorded.add((stop.id, code))
                vals_list.append(
                    {
                        "shipment_id": self.id,
                        "milestone_code_id": codes._id_by_code(code),
                        "classifier": "actual",
                        "event_time": _naive(position["time"]),
                        "event_utc_offset": 0,
                        "stop_id": stop.id,
                        "location_name": stop.display_name,
                        "backend_id": backend.id,
                        "message_id": message.id,
                        "source_code": f"geofence.{crossing}",
                        "source_text": f"{position['vehicle']} {distance:.0f} m from the stop",
                        "source_event_id": f"geofence:{stop.id}:{code}",
                    }
                )
            if inside != stop.geofence_inside:
                stop.geofence_inside = inside
        vals_list.sort(key=lambda vals: vals["event_time"])
        return self.env["logistics.milestone"].create(vals_list)

    def _telematics_eta(self, backend, track):
        """``(when, stop)``: when the truck reaches its next stop; a module may
        plug in a routing service by overriding this. ``(False, no stop)``
        when no stop is left or located."""
        # a stop's arrival, from any source, is on the stop (derived from the milestones)
        ahead = self.stop_ids.sorted("sequence").filtered(
            lambda s: s._has_place() and not s.actual_arrival
        )[:1]
        if not ahead:
            return False, ahead
        last = track[-1]
        moving = [p["speed_kmh"] for p in track if (p["speed_kmh"] or 0) >= MOVING_KMH]
        speed = sum(moving) / len(moving) if moving else DEFAULT_KMH
        metres = distance_m(last["lat"], last["lon"], ahead.latitude, ahead.longitude) * ROAD_FACTOR
        when = _naive(last["time"]) + timedelta(hours=metres / 1000 / speed)
        return when.replace(microsecond=0), ahead

    @api.model
    def _telematics_demo_trucks(self):
        """Demo: trucks TRK-101 and TRK-102 on two shipments not picked up yet,
        between located stops (setup/sandbox/truck.py drives them)."""
        candidates = self.search([("status", "in", ("dispatched", "accepted"))], order="id")
        located = candidates.filtered(
            lambda s: len(s.stop_ids) == 2 and all(stop._has_place() for stop in s.stop_ids)
        )
        for number, shipment in enumerate(located[:2], start=101):
            shipment.vehicle = f"TRK-{number}"
