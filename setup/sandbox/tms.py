"""Sandbox TMSs for the demo: RouteMaster (nested JSON) and FlatLine (flat
rows, its own codes, local wall times), each a real HTTP server on loopback.

It points the demo backends "routemaster" and "flatline" at them with a fresh
signing secret, then confirms a sale order every few ticks for a demo customer,
alternating the two TMSs. The hub tenders each order; the TMS accepts it (or
rejects an overweight one) and plays the load's life --speed times faster than
life: dispatch, pickup, transit, delivery, POD, charges, each a signed
webhook. The warehouse picks the delivery when the truck arrives and validates
it before it leaves. FlatLine loses a fifth of its webhooks and shows events in its feed
up to 30 s late: the hub's change-feed pull heals the gap (pulled here every
two minutes, and by the cron every five). Stops after --duration seconds or
when the hub stays unreachable.

Usage: python tms.py --url http://127.0.0.1:8069 --db logistics_demo
"""

import secrets
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from common import connect, hub_arguments, run

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "addons" / "connector_tms" / "tests"))
from sandbox_tms import LIFECYCLE, TmsSandbox

DIALECTS = {"routemaster": "nested", "flatline": "flat"}
CUSTOMERS = ("base.res_partner_2", "base.res_partner_3", "base.res_partner_4")
FEED_EVERY = 120  # seconds
ORDER_EVERY = 12  # ticks
PICKUP, DELIVERY = timedelta(hours=2), timedelta(hours=30)  # after dispatch, as the sandbox plans


class Demo:
    def __init__(self, call, sandboxes, backends, speed):
        self.call, self.sandboxes, self.backends, self.speed = call, sandboxes, backends, speed
        self.product = self._ref("connector_tms.product_pallet_tiles")
        self.customers = [self._ref(xmlid) for xmlid in CUSTOMERS]
        self.loads = []  # [sandbox, reference, accepted at, events already emitted]
        self.count, self.ticks, self.last_pull = 0, 0, time.monotonic()

    def _ref(self, xmlid):
        module, name = xmlid.split(".")
        found = self.call(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            ["res_id"],
        )
        return found[0]["res_id"]

    def order(self):
        """Confirm a sale order for the next customer and TMS; every seventh is too heavy."""
        self.count += 1
        code = list(DIALECTS)[self.count % 2]
        pallets = 60 if self.count % 7 == 0 else 2 + self.count % 5
        order = self.call(
            "sale.order",
            "create",
            {
                "partner_id": self.customers[self.count % len(self.customers)],
                "tms_backend_id": self.backends[code],
                "order_line": [(0, 0, {"product_id": self.product, "product_uom_qty": pallets})],
            },
        )
        self.call("sale.order", "action_confirm", [order])
        name = self.call("sale.order", "read", [order], ["name"])[0]["name"]
        self.loads.append([self.sandboxes[code], name, None, 0])
        print(f"order {name} confirmed, tendered to {code}", flush=True)

    def warehouse_step(self, reference, kind):
        """The warehouse picks the goods when the truck arrives and validates
        the delivery before it leaves, as a storekeeper would in Odoo."""
        if kind not in ("arrived", "departed"):
            return
        pickings = self.call(
            "stock.picking",
            "search",
            [
                ("origin", "=", reference),
                ("picking_type_code", "=", "outgoing"),
                ("state", "=", "assigned"),
            ],
        )
        if not pickings:
            return
        if kind == "arrived":
            moves = self.call("stock.move", "search", [("picking_id", "in", pickings)])
            self.call("stock.move", "write", moves, {"picked": True})
        else:
            # the demo's company would ask for an SMS to the customer first
            self.call("stock.picking", "button_validate", pickings, context={"skip_sms": True})

    def tick(self):
        # six orders at start, then one every ORDER_EVERY ticks
        self.ticks += 1
        if self.count < 6 or self.ticks % ORDER_EVERY == 0:
            self.order()
        now = datetime.now(timezone.utc)
        for load in self.loads:
            sandbox, reference, start, done = load
            state = sandbox.loads.get(reference)
            if not state or state.state != "accepted":
                continue
            start = load[2] = start or now
            while done < len(LIFECYCLE):
                offset, kind, details = LIFECYCLE[done]
                if start + offset / self.speed > now:
                    break
                self.warehouse_step(reference, kind)
                at = datetime.now(timezone.utc)  # reported as it happens, after the warehouse
                if kind == "dispatched":  # planned on the demo's clock, not life's
                    details = {
                        "planned_pickup": at + PICKUP / self.speed,
                        "planned_delivery": at + DELIVERY / self.speed,
                    }
                sandbox.emit(reference, kind, at=at, **details)
                done = load[3] = done + 1
        self.loads = [load for load in self.loads if load[3] < len(LIFECYCLE)]
        if time.monotonic() - self.last_pull > FEED_EVERY:
            self.call("logistics.backend", "action_tms_pull_feed", list(self.backends.values()))
            self.last_pull = time.monotonic()


def main():
    parser = hub_arguments(__doc__, 5.0, 8394, "RouteMaster's port on 127.0.0.1 (FlatLine: +1)")
    parser.add_argument("--speed", type=float, default=72.0, help="sandbox clock speed-up")
    args = parser.parse_args()
    call = connect(args.url, args.db, args.login, args.password)
    backends, sandboxes = {}, {}
    for index, (code, dialect) in enumerate(DIALECTS.items()):
        [backend] = call("logistics.backend", "search", [("code", "=", code), ("kind", "=", "tms")])
        secret = secrets.token_hex(16)
        sandbox = TmsSandbox(
            dialect,
            token="demo-tms-token",
            secret=secret,
            hub_url=f"{args.url}/logistics/v1/tms/{code}/webhook",
            lag=30 if dialect == "flat" else 0,
            drop_rate=0.2 if dialect == "flat" else 0.0,
            answer_first=True,
            # a restarted demo TMS goes on numbering loads and events where it was
            seed=time.time_ns(),
            numbers_from=int(time.time() / 10) % 90000,
        ).start(args.port + index)
        call(
            "logistics.backend",
            "write",
            [backend],
            {"base_url": sandbox.url, "api_token": "demo-tms-token", "signing_secret": secret},
        )
        backends[code], sandboxes[code] = backend, sandbox
    try:
        run(
            Demo(call, sandboxes, backends, args.speed).tick,
            args.interval,
            args.duration,
            "tms sandbox",
        )
    finally:
        for sandbox in sandboxes.values():
            sandbox.stop()


if __name__ == "__main__":
    main()
