import json
import random
from datetime import timedelta

from odoo import api, fields, models

# The happy path of a road shipment, with hours after the planned pickup.
PATH = [
    ("TENDERED", -48),
    ("TENDER_ACCEPTED", -46),
    ("DISPATCHED", -3),
    ("ARRIVED_PICKUP", -0.5),
    ("PICKED_UP", 0.5),
    ("IN_TRANSIT", 6),
    ("ARRIVED_DELIVERY", 30),
    ("DELIVERED", 31),
    ("POD_RECEIVED", 33),
]
# How far along the path each demo shipment is, and what goes wrong on the way.
SCENARIOS = [
    ("delivered", None),
    ("delivered", "late_event"),
    ("delivered", "duplicate"),
    ("delivered", "damaged"),
    ("delivered", "delayed"),
    ("in_transit", None),
    ("in_transit", "delayed"),
    ("in_transit", "eta"),
    ("picked_up", None),
    ("dispatched", None),
    ("accepted", None),
    ("tendered", None),
    ("attempted", "delivery_attempted"),
    ("refused", "refused"),
    ("cancelled", None),
]
STOP_AT = {"ARRIVED_PICKUP": 0, "PICKED_UP": 0, "ARRIVED_DELIVERY": -1, "DELIVERED": -1}
LAST_STEP = {
    "delivered": "POD_RECEIVED",
    "in_transit": "IN_TRANSIT",
    "picked_up": "PICKED_UP",
    "dispatched": "DISPATCHED",
    "accepted": "TENDER_ACCEPTED",
    "tendered": "TENDERED",
    "attempted": "IN_TRANSIT",
    "refused": "ARRIVED_DELIVERY",
    "cancelled": "TENDER_ACCEPTED",
}


class LogisticsDemo(models.AbstractModel):
    """Generates the demo shipments: a living picture rather than a fixed list,
    with dates relative to the day the database is created."""

    _name = "logistics.demo"
    _description = "Logistics Demo Data Generator"

    @api.model
    def _generate_shipments(self, count=36, seed=18):
        rng = random.Random(seed)
        ref = self.env.ref
        customers = [ref(f"logistics_canonical.demo_customer_{i}") for i in range(1, 6)]
        carriers = [ref(f"logistics_canonical.demo_carrier_{i}") for i in range(1, 5)]
        sites = [ref(f"logistics_canonical.demo_site_{i}") for i in range(1, 9)]
        backends = [
            ref("logistics_canonical.demo_backend_tms"),
            ref("logistics_canonical.demo_backend_carrier"),
            ref("logistics_canonical.demo_backend_edi"),
        ]
        codes = {c.code: c for c in self.env["logistics.milestone.code"].search([])}
        now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        for index in range(count):
            progress, twist = SCENARIOS[index % len(SCENARIOS)]
            origin, destination = rng.sample(sites, 2)
            pickup = now + timedelta(hours=self._demo_pickup_offset(progress, rng))
            shipment = self.env["logistics.shipment"].create(
                {
                    "customer_id": rng.choice(customers).id,
                    "carrier_id": rng.choice(carriers).id,
                    "customer_reference": f"PO-{4500 + index * 7}",
                    "pro_number": f"PRO{rng.randint(10**8, 10**9 - 1)}",
                    "bol_number": f"BOL{700000 + index}",
                    "mode": rng.choice(["ftl", "ftl", "ltl", "parcel", "intermodal"]),
                    "origin_id": origin.id,
                    "destination_id": destination.id,
                    "planned_pickup": pickup,
                    "planned_delivery": pickup + timedelta(hours=30),
                    "weight_kg": rng.randint(2, 24) * 500,
                    "pieces": rng.randint(1, 33),
                    "stop_ids": [
                        fields.Command.create(
                            {
                                "sequence": 1,
                                "stop_type": "pickup",
                                "partner_id": origin.id,
                                "window_start": pickup - timedelta(hours=1),
                                "window_end": pickup + timedelta(hours=1),
                            }
                        ),
                        fields.Command.create(
                            {
                                "sequence": 2,
                                "stop_type": "delivery",
                                "partner_id": destination.id,
                                "window_start": pickup + timedelta(hours=29),
                                "window_end": pickup + timedelta(hours=31),
                            }
                        ),
                    ],
                    "charge_ids": [
                        fields.Command.create(
                            {
                                "charge_type": "linehaul",
                                "amount": rng.randint(8, 30) * 50,
                                "source": "rate_card",
                                "validation_state": "valid",
                            }
                        ),
                        fields.Command.create(
                            {
                                "charge_type": "fuel",
                                "amount": rng.randint(4, 20) * 10,
                                "source": "carrier_bill",
                            }
                        ),
                    ],
                }
            )
            load = f"TMS-{10000 + index}"
            self.env["logistics.external.ref"]._bind(backends[0], shipment, load, kind="load id")
            self._demo_identifiers(shipment, backends[0], load, min(pickup, now))
            self._demo_history(shipment, progress, twist, pickup, rng.choice(backends), codes, rng)
        self._demo_dead_letter(backends[0])

    @api.model
    def _demo_identifiers(self, shipment, tms, load, seen):
        """The numbers the TMS reported with its load: its load id, the carrier's
        PRO, the shipper's bill of lading and the customer's order."""
        kind = self.env["logistics.identifier.kind"]._ids_by_code()
        numbers = [
            ("load_id", load, {"scope_backend_id": tms.id}),
            ("pro", shipment.pro_number, {"scope_partner_id": shipment.carrier_id.id}),
            ("bol", shipment.bol_number, {"scope_partner_id": shipment.customer_id.id}),
            (
                "customer_order",
                shipment.customer_reference,
                {"scope_partner_id": shipment.customer_id.id},
            ),
        ]
        self.env["logistics.shipment.identifier"].create(
            [
                {
                    "shipment_id": shipment.id,
                    "kind_id": kind[code],
                    "value": value,
                    "backend_id": tms.id,
                    "last_seen": seen,
                    **scope,
                }
                for code, value, scope in numbers
            ]
        )

    @api.model
    def _demo_dead_letter(self, backend):
        """A message whose processing kept failing: what replay is for."""
        event = {
            "shipment_ref": "TMS-99001",
            "code": "PICKED_UP",
            "event_time": "2026-01-05T08:10:00-06:00",
            "location": {"name": "Chicago DC"},
        }
        trace = [
            {
                "attempt": attempt,
                "at": f"2026-01-05 14:1{attempt}:00",
                "step": step,
                "outcome": outcome,
                "ms": ms,
                "detail": detail,
            }
            for attempt in range(1, backend.max_attempts + 1)
            for step, outcome, ms, detail in (
                ("decode", "ok", 0.4, ""),
                ("map", "ok", 0.6, ""),
                ("apply", "error", 15000.0, "TransientError: TMS lookup timed out after 15 s"),
                ("result", "queued" if attempt < backend.max_attempts else "dead", 15001.0, ""),
            )
        ]
        Message = self.env["logistics.integration.message"]
        [(message_id, _state, _duplicate)] = Message._insert(
            [
                {
                    "backend_id": backend.id,
                    "company_id": backend.company_id.id,
                    "direction": "inbound",
                    "idempotency_key": "demo-dead-letter-1",
                    "correlation_id": "demo-tms-timeouts",
                    "payload": json.dumps(event),
                    "content_type": "application/json",
                    "subject_ref": event["shipment_ref"],
                    "state": "dead",
                    "attempts": backend.max_attempts,
                    "error_code": "timeout",
                    "error_message": "TMS lookup timed out after 15 s (5 attempts)",
                    "trace": json.dumps(trace),
                }
            ]
        )
        message = Message.browse(message_id)
        message._open_issue("dead_letter", "TMS lookup timed out after 15 s (5 attempts)")

    @api.model
    def _demo_pickup_offset(self, progress, rng):
        if progress in ("delivered", "refused"):
            return -rng.randint(40, 200)
        if progress in ("in_transit", "attempted"):
            return -rng.randint(8, 20)
        if progress == "picked_up":
            return -rng.randint(1, 5)
        return rng.randint(5, 72)

    @api.model
    def _demo_history(self, shipment, progress, twist, pickup, backend, codes, rng):
        stops = shipment.stop_ids.sorted("sequence")
        last = LAST_STEP[progress]
        delay = 5 if twist in ("delayed", "late_event") else 0
        vals_list = []

        def add(code, hours, **extra):
            vals = {
                "shipment_id": shipment.id,
                "milestone_code_id": codes[code].id,
                "event_time": pickup + timedelta(hours=hours, minutes=rng.randint(-20, 20)),
                "event_utc_offset": rng.choice([-300, 0, 60, 120]),
                "backend_id": backend.id,
                "location_name": (
                    stops[STOP_AT[code]].city
                    if code in STOP_AT
                    else rng.choice(
                        ["Linehaul hub", "I-80 mile 212", "Cross-dock 4", "Border crossing"]
                    )
                ),
                "stop_id": stops[STOP_AT[code]].id if code in STOP_AT else False,
                "classifier": codes[code].default_classifier,
            }
            vals.update(extra)
            vals_list.append(vals)

        for code, planned_hours in PATH:
            add(code, planned_hours + (delay if planned_hours > 0 and code != "PICKED_UP" else 0))
            if code == "IN_TRANSIT" and twist in ("delayed", "eta"):
                reason = "Weather" if twist == "delayed" else False
                if twist == "delayed":
                    add("DELAYED", 8, reason_code="AH", reason_text=reason)
                add(
                    "ETA_UPDATED",
                    9,
                    estimated_time=pickup + timedelta(hours=30 + delay + 2),
                    classifier="estimated",
                )
            if code == "IN_TRANSIT" and progress == "attempted":
                add("DELIVERY_ATTEMPTED", 30, reason_text="Consignee closed")
            if code == "ARRIVED_DELIVERY" and twist == "refused":
                add("REFUSED", 31, reason_text="Pallets damaged on arrival")
            if code == "DELIVERED" and twist == "damaged":
                add("DAMAGED", 31.2, reason_text="Two cartons crushed")
            if code == last:
                break
        if progress == "cancelled":
            add("CANCELLED", -20, reason_text="Order cancelled by customer")
        # Insert the history as it was received: in event order, so the
        # timeline flags come from real derivation, not from the demo.
        self.env["logistics.milestone"].create(sorted(vals_list, key=lambda v: v["event_time"]))
        if twist == "duplicate":
            self.env["logistics.milestone"].create(dict(vals_list[5]))
        if twist == "late_event":
            # an IN_TRANSIT report the carrier's app uploaded after delivery
            late = dict(
                vals_list[5],
                event_time=vals_list[5]["event_time"] + timedelta(hours=3),
                location_name="Truck stop, delayed upload",
            )
            self.env["logistics.milestone"].create(late)
