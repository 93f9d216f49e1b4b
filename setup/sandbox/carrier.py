"""Sandbox carriers for the demo: ParcelNet (REST, signed webhooks) and
SoapLine (SOAP, polled), both served by one loopback server.

It points the demo backends "parcelnet" and "soapline" at itself, gives
ParcelNet a fresh webhook secret, creates delivery orders shipped with each
carrier (their tracking numbers are then followed by the hub) and plays each
parcel's life faster than life (--speed): a few scans over 2-4 days, some delays
and failed attempts, a delivery with its POD. ParcelNet pushes a signed
webhook for every new scan; SoapLine waits to be polled. Stops after
--duration seconds or when the hub stays unreachable.

Usage: python carrier.py --url http://127.0.0.1:8069 --db logistics_demo
"""

import json
import random
import secrets
import sys
from datetime import datetime, timezone
from pathlib import Path

from common import connect, hub_arguments, run

sys.path.insert(
    0, str(Path(__file__).resolve().parents[2] / "addons" / "connector_carrier" / "tests")
)
from sandbox_carrier import CarrierSandbox, Parcel, Scan, realistic_parcel

CARRIERS = {"parcelnet": "PN", "soapline": "SL"}
# the parcels shipped so far, so that a restarted demo carries them on
STATE = Path(__file__).resolve().parents[2] / "var" / "carrier-sandbox.json"


class Demo:
    def __init__(self, call, hub_url, sandbox, speed, rng):
        self.call, self.hub_url, self.sandbox, self.rng = call, hub_url, sandbox, rng
        self.speed = speed
        self.pushed = {}  # number: scans already pushed
        self.numbers = {code: [] for code in CARRIERS}
        self.count = 0

    def compressed(self, number):
        """A realistic parcel whose days pass in minutes: scans keep their
        order and spacing, ``speed`` times faster, in real time."""
        start = datetime.now(timezone.utc)
        parcel = realistic_parcel(self.rng, number, start)

        def real(moment):
            return start + (moment - start) / self.speed

        for scan in parcel.scans:
            scan.time = real(scan.time)
        parcel.eta = real(parcel.eta)
        return parcel

    def ship(self, code):
        """A delivery order shipped (validated) with the carrier ``code`` now."""
        self.count += 1
        number = f"{CARRIERS[code]}{self.rng.randint(10**9, 10**10 - 1)}"
        self.sandbox.add(self.compressed(number))
        call = self.call
        carrier = call(
            "delivery.carrier", "search", [("logistics_backend_id.code", "=", code)], limit=1
        )
        customers = call(
            "res.partner",
            "search",
            [("is_company", "=", True), ("logistics_scac", "=", False)],
            limit=20,
        )
        product = call("product.product", "search", [("type", "=", "consu")], limit=10)
        kind = call(
            "stock.picking.type",
            "search_read",
            [("code", "=", "outgoing")],
            ["default_location_src_id", "default_location_dest_id"],
            limit=1,
        )[0]
        picking = call(
            "stock.picking",
            "create",
            {
                "partner_id": self.rng.choice(customers),
                "picking_type_id": kind["id"],
                "carrier_id": carrier[0],
                "origin": f"DEMO-{self.count:04d}",
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "demo",
                            "product_id": self.rng.choice(product),
                            "product_uom_qty": self.rng.randint(1, 4),
                            "location_id": kind["default_location_src_id"][0],
                            "location_dest_id": kind["default_location_dest_id"][0],
                        },
                    )
                ],
            },
        )
        call("stock.picking", "action_confirm", [picking])
        moves = call(
            "stock.move", "search_read", [("picking_id", "=", picking)], ["product_uom_qty"]
        )
        for move in moves:
            call(
                "stock.move",
                "write",
                [move["id"]],
                {"quantity": move["product_uom_qty"], "picked": True},
            )
        call("stock.picking", "button_validate", [picking])
        # the label printed at the carrier: its tracking number on the delivery
        call("stock.picking", "write", [picking], {"carrier_tracking_ref": number})
        self.numbers[code].append(number)
        self.save()

    def save(self):
        parcels = [
            {
                "carrier": code,
                "number": number,
                "ship_date": self.sandbox.parcels[number].ship_date.isoformat(),
                "eta": self.sandbox.parcels[number].eta.isoformat(),
                "scans": [
                    [scan.time.isoformat(), scan.code, scan.city, scan.country, scan.reason]
                    for scan in self.sandbox.parcels[number].scans
                ],
            }
            for code, numbers in self.numbers.items()
            for number in numbers
        ]
        STATE.parent.mkdir(parents=True, exist_ok=True)
        STATE.write_text(json.dumps(parcels))

    def load(self):
        """The parcels of an earlier run: their lives go on where they were."""
        if not STATE.exists():
            return 0
        items = json.loads(STATE.read_text())
        numbers = [item["number"] for item in items]
        if not self.call("logistics.carrier.tracking", "search_count", [("number", "in", numbers)]):
            return 0  # another database: start afresh
        for item in items:
            self.sandbox.add(
                Parcel(
                    item["number"],
                    datetime.fromisoformat(item["ship_date"]),
                    [Scan(datetime.fromisoformat(t), *rest) for t, *rest in item["scans"]],
                    eta=datetime.fromisoformat(item["eta"]),
                )
            )
            self.numbers[item["carrier"]].append(item["number"])
        return len(self.sandbox.parcels)

    def tick(self):
        if self.rng.random() < 0.05:  # a new delivery order every ~100 s
            self.ship(self.rng.choice(list(CARRIERS)))
        now = datetime.now(timezone.utc)
        for number in self.numbers["parcelnet"]:
            seen = sum(1 for scan in self.sandbox.parcels[number].scans if scan.time <= now)
            if seen > self.pushed.get(number, 0):
                self.sandbox.webhook(self.hub_url, number, "hmac_base64", self.secret)
                self.pushed[number] = seen


def provision(call, sandbox):
    """Point the demo carriers at the sandbox; a fresh ParcelNet webhook secret."""
    secret = secrets.token_urlsafe(24)
    for code, base in (("parcelnet", sandbox.url), ("soapline", f"{sandbox.url}/soap?wsdl")):
        found = call("logistics.backend", "search", [("code", "=", code), ("kind", "=", "carrier")])
        if not found:
            sys.exit(
                f"carrier sandbox: no backend {code} (install connector_carrier with demo data)"
            )
        vals = {"base_url": base, "carrier_tracking_url": f"{sandbox.url}/track/{{number}}"}
        if code == "parcelnet":
            vals["signing_secret"] = secret
        call("logistics.backend", "write", found, vals)
    return secret


def main():
    parser = hub_arguments(__doc__, 5.0, 8393, "the carriers' API, on 127.0.0.1")
    parser.add_argument("--speed", type=float, default=72.0, help="sandbox clock speed-up")
    parser.add_argument("--parcels", type=int, default=8, help="delivery orders shipped at start")
    args = parser.parse_args()
    call = connect(args.url, args.db, args.login, args.password)
    sandbox = CarrierSandbox(quota_per_second=10).start(args.port)
    demo = Demo(
        call,
        f"{args.url}/logistics/v1/carriers/parcelnet/webhook",
        sandbox,
        args.speed,
        random.Random(),
    )
    demo.secret = provision(call, sandbox)
    if not demo.load():
        for index in range(args.parcels):
            demo.ship(list(CARRIERS)[index % 2])
    try:
        run(demo.tick, args.interval, args.duration, "carrier sandbox")
    finally:
        sandbox.stop()


if __name__ == "__main__":
    main()
