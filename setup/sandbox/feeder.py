"""Sandbox feeder: a TMS-like client that streams canonical events into the demo.

It provisions its own backend and API key over XML-RPC (admin login), then
posts a realistic stream to /logistics/v1/events on loopback: shipments moving
from tender to proof of delivery, delays with a reason and a new ETA, some
events sent twice, some arriving late, codes from the X12 214 list, an unmapped
code now and then, and an occasional malformed payload. For loads of Blue Ridge
Freight (BRFT), the carrier's own tracking backend reports pickup and delivery
by its PRO number: the hub finds the TMS's shipment by that number. Stops after --duration
seconds or --max-events events, or when the server stays unreachable.

Usage: python feeder.py --url http://127.0.0.1:8069 --db logistics_demo
"""

import json
import random
import uuid
from datetime import datetime, timedelta, timezone

import requests
from common import connect, fresh_api_key, hub_arguments, run

BACKEND_CODE = "demo_feeder"
CARRIER_BACKEND_CODE = "carrier"  # the demo's Blue Ridge Freight tracking backend
CARRIER_SCAC = "BRFT"
# canonical code, or (X12 AT7 status code) for the steps a carrier reports in X12 terms
PATH = [
    ("TENDERED", None),
    ("TENDER_ACCEPTED", None),
    ("DISPATCHED", None),
    ("ARRIVED_PICKUP", "X3"),
    ("PICKED_UP", "AF"),
    ("IN_TRANSIT", "X6"),
    ("ARRIVED_DELIVERY", "X1"),
    ("DELIVERED", "D1"),
    ("POD_RECEIVED", None),
]
CITIES = [
    ("Chicago", "USCHI"),
    ("Indianapolis", "USIND"),
    ("Memphis", "USMEM"),
    ("Dallas", "USDAL"),
]
CARRIER_STEPS = ("PICKED_UP", "DELIVERED")  # what the carrier reports itself
DELAY_REASONS = [("AH", "Weather"), ("AO", "Traffic"), ("AJ", "Driver hours exhausted")]
# the demo's customers (their Reference in Odoo) and carriers (SCAC)
CUSTOMERS = ["NWF", "CONTOSO", "FABRIKAM", "TAILSPIN", "WWI"]
CARRIERS = ["BRFT", "PRLT", "CEXP", "EURL"]


def provision(url, db, login, password):
    """Create (once) the feeder's backend; return fresh API keys for it and, when the
    demo has one, for the carrier's tracking backend (None otherwise)."""
    call = connect(url, db, login, password)
    load_id = call("logistics.identifier.kind", "search", [("code", "=", "load_id")])[0]
    found = call("logistics.backend", "search", [("code", "=", BACKEND_CODE)])
    backend_id = (
        found[0]
        if found
        else call(
            "logistics.backend",
            "create",
            {
                "name": "Sandbox feeder (TMS)",
                "code": BACKEND_CODE,
                "environment": "production",
                "code_scheme_id": call(
                    "logistics.code.scheme", "search", [("code", "=", "x12_214_at7_status")]
                )[0],
                "reference_kind_id": load_id,  # other systems may know the load id
            },
        )
    )
    stamp = f"feeder {datetime.now():%Y-%m-%d %H:%M}"
    carrier = call("logistics.backend", "search", [("code", "=", CARRIER_BACKEND_CODE)])
    carrier_key = fresh_api_key(call, carrier[0], stamp) if carrier else None
    return fresh_api_key(call, backend_id, stamp), carrier_key


class Shipment:
    def __init__(self, rng, number):
        self.ref = f"FEED-{number:05d}"
        self.pro = f"PRO-{rng.randint(10**7, 10**8 - 1)}"
        self.step = 0
        self.clock = datetime.now(timezone.utc) - timedelta(hours=rng.randint(2, 30))
        self.offset = rng.choice([-5, -6, 1, 2])
        self.origin, self.destination = rng.sample(CITIES, 2)
        self.customer, self.carrier = rng.choice(CUSTOMERS), rng.choice(CARRIERS)
        self.planned_pickup = self.clock + timedelta(hours=rng.randint(2, 6))
        self.planned_delivery = self.planned_pickup + timedelta(hours=rng.randint(8, 30))

    def header(self):
        """The shipment as the TMS describes it: who, by whom, from where to where."""
        return {
            "customer_code": self.customer,
            "customer_ref": f"PO-{self.ref[-3:]}",
            "carrier_scac": self.carrier,
            "pro_number": self.pro,
            "bol_number": f"BOL-{self.ref[-5:]}",
            "mode": "ftl",
            "planned_pickup": self.planned_pickup.isoformat(timespec="seconds"),
            "planned_delivery": self.planned_delivery.isoformat(timespec="seconds"),
            "origin": {"name": f"{self.origin[0]} DC", "city": self.origin[0], "country": "US"},
            "destination": {
                "name": f"{self.destination[0]} DC",
                "city": self.destination[0],
                "country": "US",
            },
        }

    def time(self):
        return self.clock.astimezone(timezone(timedelta(hours=self.offset))).isoformat(
            timespec="seconds"
        )


class Feeder:
    def __init__(self, url, key, carrier_key, rng):
        self.url, self.rng = url, rng
        self.session, self.carrier_session = _session(key), carrier_key and _session(carrier_key)
        self.shipments, self.number, self.sent = [], 0, 0
        self.held_back = []  # events that will arrive late

    def next_events(self):
        """The events of one tick: one shipment moves a step (or something goes wrong)."""
        if len(self.shipments) < 8:
            self.number += 1
            self.shipments.append(Shipment(self.rng, self.number))
        shipment = self.rng.choice(self.shipments)
        code, x12 = PATH[shipment.step]
        shipment.clock += timedelta(minutes=self.rng.randint(20, 180))
        city, locode = shipment.destination if shipment.step >= 6 else shipment.origin
        event = {
            "event_id": f"{shipment.ref}-{shipment.step}",
            "shipment_ref": shipment.ref,
            "event_time": shipment.time(),
            "location": {"name": city, "code": locode, "city": city, "country": "US"},
            # the header comes with every event: the first to arrive creates the shipment
            "shipment": shipment.header(),
        }
        if x12 and self.rng.random() < 0.5:
            event["source_code"] = x12  # mapped through the X12 214 list
        else:
            event["code"] = code
        events = [event]
        roll = self.rng.random()
        if code == "IN_TRANSIT" and roll < 0.3:
            reason_code, reason_text = self.rng.choice(DELAY_REASONS)
            eta = shipment.clock + timedelta(hours=self.rng.randint(3, 12))
            events.append(
                {
                    **event,
                    "event_id": f"{shipment.ref}-delay",
                    "code": "DELAYED",
                    "reason": {"code": reason_code, "text": reason_text},
                    "eta": eta.astimezone(timezone.utc).isoformat(timespec="seconds"),
                }
            )
            events[-1].pop("source_code", None)
        elif roll < 0.06:
            events.append(dict(event))  # the same event twice
        elif roll < 0.10 and code == "IN_TRANSIT":
            self.held_back.append(event)  # this one will arrive after the delivery
            events = []
        elif roll < 0.13:
            events.append(
                {**event, "event_id": f"{shipment.ref}-odd", "source_code": "DE", "code": None}
            )
            events[-1].pop("code")  # a code with no canonical meaning yet
        elif roll < 0.15:
            events.append(
                {"shipment_ref": shipment.ref, "code": "IN_TRANSIT", "event_time": "yesterday"}
            )
        if code == "DELIVERED" and self.held_back:
            events.append(self.held_back.pop(0))
        sent_by = [self.session] * len(events)
        if self.carrier_session and shipment.carrier == CARRIER_SCAC and code in CARRIER_STEPS:
            events.append(self.carrier_event(shipment, event, x12))
            sent_by.append(self.carrier_session)
        shipment.step += 1
        if shipment.step == len(PATH):
            self.shipments.remove(shipment)
        return list(zip(sent_by, events, strict=True))

    @staticmethod
    def carrier_event(shipment, tms_event, x12):
        """The carrier's report of the same step, by its PRO, in its X12 status codes,
        a few minutes after the TMS's."""
        reported = shipment.clock + timedelta(minutes=7)
        return {
            "event_id": f"{shipment.pro}-{x12}",
            "shipment_ref": shipment.pro,
            "source_code": x12,
            "event_time": reported.astimezone(timezone.utc).isoformat(timespec="seconds"),
            "location": tms_event["location"],
        }

    def send(self, session, event):
        response = session.post(
            f"{self.url}/logistics/v1/events", data=json.dumps(event), timeout=30
        )
        self.sent += 1
        if response.status_code >= 400:
            print(f"feeder: {response.status_code} {response.json()['error']['code']}", flush=True)


def _session(key):
    session = requests.Session()
    session.headers.update({"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    return session


def main():
    parser = hub_arguments(__doc__, 2.0)
    parser.add_argument(
        "--max-events", type=int, default=0, help="stop after this many (0: no limit)"
    )
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()

    key, carrier_key = provision(args.url, args.db, args.login, args.password)
    feeder = Feeder(
        args.url,
        key,
        carrier_key,
        random.Random(args.seed if args.seed is not None else uuid.uuid4().int),
    )
    print(f"feeder: streaming events to {args.url} as backend {BACKEND_CODE}", flush=True)

    def tick():
        for session, event in feeder.next_events():
            feeder.send(session, event)

    run(
        tick,
        args.interval,
        args.duration,
        "feeder",
        done=lambda: bool(args.max_events) and feeder.sent >= args.max_events,
    )
    print(f"feeder: done, {feeder.sent} events sent", flush=True)


if __name__ == "__main__":
    main()
