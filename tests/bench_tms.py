"""Benchmark: orders tendered to a TMS and the TMS's stream processed end to end,
against the direct XML-RPC integration it replaces.

Run:  .venv/bin/python tests/bench_tms.py [--orders 1000] [--runs 3]

In one run, on a real Odoo with 2 worker processes and the queue_job runner
(one job at a time, so a worker is always free for HTTP), against the sandbox
TMS (addons/connector_tms/tests/sandbox_tms.py, nested dialect) on loopback:
  tender      --orders sale orders created and confirmed over XML-RPC (50 per
              call); each confirmation queues a tender that the outbox sends to
              the TMS, which accepts it and says so by webhook. Tender p50/p95:
              order confirmed -> tender sent (logistics_tender.confirmed_at/sent_at).
  webhooks    for half of the loads, the TMS plays each load's life (dispatch,
              stops, transit, delivery, POD, charges: 8 events) as signed
              webhooks from 4 threads; events/s from the first webhook until
              every event is processed and every POD fetched and attached.
  feed        for the other half, the same life with webhooks off, brought by
              change-feed pulls (pages of 200); events/s likewise.
  anchor      the same updates written directly over XML-RPC, one call per
              update (a milestone per status event, a shipment write for the
              dispatch, the charges of a charge event), from 4 threads.
The median of --runs runs. Everything talks to 127.0.0.1 and stops by itself.
"""

import argparse
import secrets
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg2

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(REPO / "addons" / "connector_tms" / "tests"))
from sandbox_tms import TmsSandbox  # noqa: E402
from support.odoo_server import (  # noqa: E402
    OdooServer,
    ensure_database,
    release_orphan_jobs,
    write_config,
)

CHANNELS = (
    "root:1,root.logistics:1,root.logistics.realtime:1,root.logistics.batch:1,"
    "root.logistics.outbound:1,root.logistics.tms:1"
)
CONFIRM_BATCH = 50
THREADS = 4
TIMEOUT = 1800  # seconds any phase may take before the run is declared stuck
# what each of the TMS's event kinds is, written directly
MILESTONES = {
    "load.dispatched": "DISPATCHED",
    "stop.arrived": None,  # ARRIVED_PICKUP or ARRIVED_DELIVERY, by the stop
    "stop.departed": "PICKED_UP",
    "load.in_transit": "IN_TRANSIT",
    "load.delivered": "DELIVERED",
    "pod.available": "POD_RECEIVED",
}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def in_threads(items, work, threads=THREADS):
    """Run ``work(item)`` over ``items`` from ``threads`` threads; the first error stops the run."""
    errors, lock, queue = [], threading.Lock(), list(items)

    def worker():
        while not errors:
            with lock:
                if not queue:
                    return
                item = queue.pop()
            try:
                work(item)
            except Exception as error:  # reported below, with the run stopped
                errors.append(error)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if errors:
        raise errors[0]


class Run:
    def __init__(self, server, sandbox, run_id, orders):
        self.server, self.sandbox, self.run_id, self.orders = server, sandbox, run_id, orders
        self.db = psycopg2.connect(dbname=server.db)
        self.db.autocommit = True
        secret = secrets.token_hex(16)
        sandbox.secret = secret
        template = server.call(
            "logistics.tms.template", "search", [("code", "=", "routemaster_v2")]
        )[0]
        self.backend = server.call(
            "logistics.backend",
            "create",
            {
                "name": f"Bench TMS {run_id}",
                "code": f"bench_tms_{run_id}",
                "kind": "tms",
                "adapter": "tms",
                "environment": "production",
                "base_url": sandbox.url,
                "api_token": sandbox.token,
                "signing_secret": secret,
                "tms_template_id": template,
                "tms_feed_enabled": True,
                "tms_feed_lag": 0,
                "tms_feed_overlap": 60,
                "tms_feed_page_size": 200,
                "rate_limit_per_minute": 0,
            },
        )
        sandbox.hub_url = f"{server.url}/logistics/v1/tms/bench_tms_{run_id}/webhook"
        self.customer = server.call(
            "res.partner",
            "create",
            {"name": f"Bench customer {run_id}", "ref": f"BC{run_id}", "city": "Dallas"},
        )
        self.product = server.call(
            "product.product",
            "create",
            {"name": f"Bench pallet {run_id}", "type": "consu", "weight": 400.0},
        )

    def scalar(self, query, *params):
        with self.db.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchone()[0]

    def wait(self, what, query, expected, *params):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if self.scalar(query, *params) >= expected:
                return
            time.sleep(0.1)
        raise RuntimeError(f"{what}: not done within {TIMEOUT} s")

    # --- tender -----------------------------------------------------------------------

    def tender(self):
        """Orders confirmed, tenders sent and accepted; ``(p50 s, p95 s, order names)``."""
        names = []
        for start in range(0, self.orders, CONFIRM_BATCH):
            count = min(CONFIRM_BATCH, self.orders - start)
            ids = self.server.call(
                "sale.order",
                "create",
                [
                    {
                        "partner_id": self.customer,
                        "tms_backend_id": self.backend,
                        "order_line": [(0, 0, {"product_id": self.product, "product_uom_qty": 3})],
                    }
                    for _ in range(count)
                ],
            )
            self.server.call("sale.order", "action_confirm", ids)
            names += [row["name"] for row in self.server.call("sale.order", "read", ids, ["name"])]
        self.wait(
            "tenders answered",
            "SELECT count(*) FROM logistics_tender WHERE backend_id = %s AND state = 'accepted'",
            self.orders,
            self.backend,
        )
        with self.db.cursor() as cursor:
            cursor.execute(
                "SELECT extract(epoch FROM sent_at - confirmed_at) FROM logistics_tender"
                " WHERE backend_id = %s",
                [self.backend],
            )
            delays = [row[0] for row in cursor.fetchall()]
        return percentile(delays, 0.5), percentile(delays, 0.95), names

    # --- the TMS's stream ---------------------------------------------------------------

    def processed(self):
        return (
            "SELECT count(*) FROM logistics_integration_message WHERE backend_id = %s"
            " AND message_type = 'tms_event' AND state = 'done'"
        )

    def stream(self, names, by_webhook):
        """Play the loads' lives; events/s until all processed and PODs attached."""
        before = self.scalar(self.processed(), self.backend)
        pods_before = self.pods()
        hub_url = self.sandbox.hub_url
        self.sandbox.hub_url = hub_url if by_webhook else None
        emitted = []
        began = time.monotonic()
        try:
            in_threads(names, lambda name: emitted.extend(self.sandbox.lifecycle(name)))
        finally:
            self.sandbox.hub_url = hub_url
        if not by_webhook:
            deadline = time.monotonic() + TIMEOUT
            while (
                self.scalar(
                    "SELECT count(*) FROM logistics_integration_message WHERE backend_id = %s"
                    " AND message_type = 'tms_event'",
                    self.backend,
                )
                < before + len(emitted)
                and time.monotonic() < deadline
            ):
                self.server.call("logistics.backend", "action_tms_pull_feed", [self.backend])
        self.wait("events processed", self.processed(), before + len(emitted), self.backend)
        self.wait(
            "PODs attached",
            "SELECT count(*) FROM logistics_milestone m JOIN logistics_milestone_code c"
            " ON c.id = m.milestone_code_id WHERE c.code = 'POD_RECEIVED' AND m.backend_id = %s",
            pods_before + len(names),
            self.backend,
        )
        return len(emitted) / (time.monotonic() - began), emitted

    def pods(self):
        return self.scalar(
            "SELECT count(*) FROM logistics_milestone m JOIN logistics_milestone_code c"
            " ON c.id = m.milestone_code_id WHERE c.code = 'POD_RECEIVED' AND m.backend_id = %s",
            self.backend,
        )

    # --- the anchor: one XML-RPC call per update ----------------------------------------

    def anchor(self, events):
        shipments = dict(
            self.scalar_rows(
                "SELECT name, shipment_id FROM logistics_tender WHERE backend_id = %s",
                self.backend,
            )
        )
        codes = dict(self.scalar_rows("SELECT code, id FROM logistics_milestone_code"))
        proxies = threading.local()

        def call(model, method, *args):
            if not hasattr(proxies, "proxy"):
                proxies.proxy = self.server.proxy()
            return proxies.proxy.execute_kw(
                self.server.db, self.server.uid, self.server.password, model, method, list(args)
            )

        def write(event):
            body = event.body
            shipment = shipments[body["load"]["reference"]]
            if body["type"] == "load.dispatched":
                driver = body["driver"]
                call(
                    "logistics.shipment",
                    "write",
                    [shipment],
                    {
                        "driver_name": f"{driver['firstName']} {driver['lastName']}",
                        "vehicle": body["vehicle"]["plate"],
                    },
                )
            if body["type"] == "charges.updated":
                call(
                    "logistics.freight.charge",
                    "create",
                    [
                        {"shipment_id": shipment, "amount": float(c["amount"]), "source": "tms"}
                        for c in body["charges"]
                    ],
                )
                return
            code = MILESTONES[body["type"]] or (
                "ARRIVED_PICKUP" if body["stop"]["type"] == "PICKUP" else "ARRIVED_DELIVERY"
            )
            call(
                "logistics.milestone",
                "create",
                {
                    "shipment_id": shipment,
                    "milestone_code_id": codes[code],
                    "event_time": body["occurredAt"][:19].replace("T", " "),
                    "source_event_id": f"anchor-{body['id']}",
                },
            )

        began = time.monotonic()
        in_threads(events, write)
        return len(events) / (time.monotonic() - began)

    def scalar_rows(self, query, *params):
        with self.db.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall()


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="logistics_bench_tms")
    parser.add_argument("--port", type=int, default=8199)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--orders", type=int, default=1000)
    args = parser.parse_args()
    conf = write_config(args.db, args.port)
    ensure_database(args.db, conf, "connector_tms")
    results = {}
    sandbox = TmsSandbox("nested", token="bench-tms-token", answer_first=True).start()
    try:
        for run in range(args.runs):
            run_id = f"{int(time.time())}{run}{uuid.uuid4().hex[:4]}"
            release_orphan_jobs(args.db)
            with OdooServer(
                args.db, args.port, workers=2, channels=CHANNELS, base_conf=conf
            ) as server:
                sandbox.reset()
                bench = Run(server, sandbox, run_id, args.orders)
                began = time.monotonic()
                p50, p95, names = bench.tender()
                tender_wall = time.monotonic() - began
                half = len(names) // 2
                webhook_rate, events = bench.stream(names[:half], by_webhook=True)
                feed_rate, _feed_events = bench.stream(names[half:], by_webhook=False)
                anchor_rate = bench.anchor(events)
                for name, value in (
                    ("tender p50 s", p50),
                    ("tender p95 s", p95),
                    ("tender wall s", tender_wall),
                    ("webhooks events/s", webhook_rate),
                    ("feed events/s", feed_rate),
                    ("anchor events/s", anchor_rate),
                    ("run wall s", time.monotonic() - began),
                ):
                    results.setdefault(name, []).append(value)
            print(f"run {run + 1}/{args.runs} done", flush=True)
    finally:
        sandbox.stop()
    report(results, args)


def report(results, args):
    med = {name: statistics.median(values) for name, values in results.items()}
    print(f"\n{args.orders} orders, median of {args.runs} runs, Odoo 2 workers, 127.0.0.1\n")
    anchor = med["anchor events/s"]
    print(f"{'path':<22}{'events/s':>10}{'x anchor':>10}  target")
    print(f"{'anchor (XML-RPC)':<22}{anchor:>10.1f}{1:>10.1f}")
    for name in ("webhooks", "feed"):
        rate = med[f"{name} events/s"]
        print(f"{name:<22}{rate:>10.1f}{rate / anchor:>10.1f}  >= 10x anchor")
    print(
        f"\ntender: order confirmed -> tender sent p50 {med['tender p50 s']:.2f} s, "
        f"p95 {med['tender p95 s']:.2f} s ({args.orders} orders confirmed and tendered in "
        f"{med['tender wall s']:.0f} s); run wall time {med['run wall s']:.0f} s"
    )
    for name, values in results.items():
        print(f"  {name}: " + ", ".join(f"{v:.2f}" for v in values))


if __name__ == "__main__":
    main()
