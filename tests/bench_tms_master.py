"""Benchmark: customers and locations sent to a TMS in batches (master data),
against the same records sent one per request.

Run:  .venv/bin/python tests/bench_tms_master.py [--customers 2000] [--runs 3]

The database holds --customers customers, each with one delivery address, so a
TMS that has nothing yet gets about twice as many records (customers, their
delivery addresses, the company's warehouses). In one run, on a real Odoo with
2 worker processes and the queue_job runner, against the sandbox TMS
(addons/connector_tms/tests/sandbox_tms.py) on loopback:
  batched     a new TMS backend in the given --dialect, batches of 500 (the
              default): Send Now queues the job on the batch channel; records
              per minute from the click until the job has recorded every one.
  unchanged   Send Now again on that TMS: nothing changed, nothing is sent;
              the wall time of the check.
  anchor      another new TMS backend sending the same records one per request
              (batch size 1); records per minute likewise.
The median of --runs runs. Everything talks to 127.0.0.1 and stops by itself.
"""

import argparse
import statistics
import sys
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

CHANNELS = "root:1,root.logistics:1,root.logistics.batch:1"
TEMPLATES = {"nested": "routemaster_v2", "flat": "flatline"}
CREATE_BATCH = 200
TIMEOUT = 1800  # seconds a sync may take before the run is declared stuck


class Run:
    def __init__(self, server, sandbox, dialect):
        self.server, self.sandbox = server, sandbox
        self.db = psycopg2.connect(dbname=server.db)
        self.db.autocommit = True
        self.template = server.call(
            "logistics.tms.template", "search", [("code", "=", TEMPLATES[dialect])]
        )[0]

    def scalar(self, query, *params):
        with self.db.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchone()[0]

    def backend(self, batch_size):
        code = f"bench_master_{uuid.uuid4().hex[:8]}"
        return self.server.call(
            "logistics.backend",
            "create",
            {
                "name": f"Bench master data {code}",
                "code": code,
                "kind": "tms",
                "adapter": "tms",
                "environment": "production",
                "base_url": self.sandbox.url,
                "api_token": self.sandbox.token,
                "tms_template_id": self.template,
                "tms_send_master_data": True,
                "tms_master_batch_size": batch_size,
                "rate_limit_per_minute": 0,
            },
        )

    def send(self, backend):
        """Send Now, wait for the job's result; ``(wall s, records recorded, result)``."""
        self.server.call("logistics.backend", "write", [backend], {"tms_master_last_sync": False})
        began = time.monotonic()
        self.server.call("logistics.backend", "action_tms_send_master_data", [backend])
        deadline = began + TIMEOUT
        while time.monotonic() < deadline:
            if self.scalar(
                "SELECT tms_master_last_sync IS NOT NULL FROM logistics_backend WHERE id = %s",
                backend,
            ):
                break
            time.sleep(0.1)
        else:
            raise RuntimeError(f"master data of backend {backend}: not done within {TIMEOUT} s")
        wall = time.monotonic() - began
        sent = self.scalar(
            "SELECT count(*) FROM logistics_tms_master_record "
            "WHERE backend_id = %s AND state = 'sent'",
            backend,
        )
        result = self.scalar(
            "SELECT tms_master_last_result FROM logistics_backend WHERE id = %s", backend
        )
        return wall, sent, result


def ensure_customers(server, count):
    """``count`` bench customers, each with a delivery address (US, with a ZIP)."""
    have = server.call(
        "res.partner", "search_count", [("ref", "=like", "BENCHM-%"), ("parent_id", "=", False)]
    )
    us = server.call("res.country", "search", [("code", "=", "US")])[0]
    for start in range(have, count, CREATE_BATCH):
        numbers = range(start, min(start + CREATE_BATCH, count))
        customers = server.call(
            "res.partner",
            "create",
            [
                {
                    "name": f"Bench customer {n}",
                    "ref": f"BENCHM-{n}",
                    "is_company": True,
                    "customer_rank": 1,
                    "street": f"{n} Main St",
                    "city": "Dallas",
                    "zip": "75201",
                    "country_id": us,
                }
                for n in numbers
            ],
        )
        server.call(
            "res.partner",
            "create",
            [
                {
                    "parent_id": customer,
                    "type": "delivery",
                    "name": f"Dock {n}",
                    "street": f"{n} Dock Rd",
                    "city": "Fort Worth",
                    "zip": "76102",
                    "country_id": us,
                }
                for customer, n in zip(customers, numbers, strict=True)
            ],
        )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="logistics_bench_tms")
    parser.add_argument("--port", type=int, default=8199)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--dialect", choices=sorted(TEMPLATES), default="nested")
    args = parser.parse_args()
    conf = write_config(args.db, args.port)
    ensure_database(args.db, conf, "connector_tms")
    results = {}
    sandbox = TmsSandbox(args.dialect, token="bench-tms-token").start()
    try:
        for run in range(args.runs):
            release_orphan_jobs(args.db)
            with OdooServer(
                args.db, args.port, workers=2, channels=CHANNELS, base_conf=conf
            ) as server:
                ensure_customers(server, args.customers)
                sandbox.reset()
                bench = Run(server, sandbox, args.dialect)
                batched = bench.backend(500)
                wall, sent, result = bench.send(batched)
                again, _sent, again_result = bench.send(batched)
                anchor_wall, anchor_sent, _result = bench.send(bench.backend(1))
                if anchor_sent != sent:
                    raise RuntimeError(f"batched sent {sent}, one by one {anchor_sent}")
                print(f"run {run + 1}/{args.runs}: {result}; again: {again_result}", flush=True)
                for name, value in (
                    ("records", sent),
                    ("batched records/min", sent / wall * 60),
                    ("batched wall s", wall),
                    ("unchanged wall s", again),
                    ("anchor records/min", anchor_sent / anchor_wall * 60),
                    ("anchor wall s", anchor_wall),
                ):
                    results.setdefault(name, []).append(value)
    finally:
        sandbox.stop()
    report(results, args)


def report(results, args):
    med = {name: statistics.median(values) for name, values in results.items()}
    anchor = med["anchor records/min"]
    print(
        f"\n{med['records']:.0f} records ({args.customers} customers with a delivery address, "
        f"the warehouses), {args.dialect} dialect, median of {args.runs} runs, "
        "Odoo 2 workers, 127.0.0.1\n"
    )
    print(f"{'path':<28}{'records/min':>12}{'wall s':>9}{'x anchor':>10}  target")
    print(f"{'anchor (one per request)':<28}{anchor:>12.0f}{med['anchor wall s']:>9.1f}{1:>10.1f}")
    rate = med["batched records/min"]
    print(
        f"{'batches of 500':<28}{rate:>12.0f}{med['batched wall s']:>9.1f}"
        f"{rate / anchor:>10.1f}  >= 1,000 records/min"
    )
    print(f"\nnothing changed, checked again in {med['unchanged wall s']:.1f} s")
    for name, values in results.items():
        print(f"  {name}: " + ", ".join(f"{v:.2f}" for v in values))


if __name__ == "__main__":
    main()
