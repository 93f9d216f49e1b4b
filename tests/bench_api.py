"""Benchmark: the logistics API against the direct XML-RPC integration it replaces.

Run:  .venv/bin/python tests/bench_api.py [--runs 3] [--duration 5] [--e2e-only]

In one run, on a real Odoo with 2 worker processes and the queue_job runner:
  anchor      one XML-RPC ``create`` of a milestone per event (direct integration)
  single      POST /logistics/v1/events, one event per request
  batch       POST /logistics/v1/events/batch, 100 events per request
  end-to-end  events accepted by the batch API until processed into shipments,
              then again with every event carrying a PRO and a bill of lading
              (shipment identity resolved on each)
  raw PG      INSERT ... ON CONFLICT DO NOTHING, 100 rows per statement, committed
Each figure is at 1 and 4 concurrent clients (end-to-end and raw PG: 4 and 1),
the median of --runs runs. Accept figures are taken with the job runner paused
(the inbox absorbing a burst); "single, while processing" repeats the 4-client
single-event measurement while the runner works through the queue. Everything
talks to 127.0.0.1 and stops by itself.
"""

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
import uuid
import xmlrpc.client
from pathlib import Path

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent))
from support.odoo_server import OdooServer, ensure_database, release_orphan_jobs, write_config

BATCH = 100


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def drive(clients, duration, make_client):
    """Run ``clients`` threads for ``duration`` s; each calls its operation in a
    loop. Return (events per second, p50 ms, p95 ms) over all calls."""
    latencies, counts, errors = [], [], []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def worker(index):
        operation = make_client(index)
        local_latencies, events = [], 0
        start.wait()
        while time.monotonic() < deadline[0]:
            began = time.monotonic()
            try:
                events += operation()
            except Exception as error:  # report, do not hide
                errors.append(repr(error))
                break
            local_latencies.append((time.monotonic() - began) * 1000)
        with lock:
            latencies.extend(local_latencies)
            counts.append(events)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + duration
    began = time.monotonic()
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    if errors:
        raise RuntimeError(f"{len(errors)} client error(s), first: {errors[0]}")
    return sum(counts) / elapsed, percentile(latencies, 0.5), percentile(latencies, 0.95)


class Bench:
    def __init__(self, server, run_id):
        self.server, self.run_id = server, run_id
        self.backend_id, self.key = server.api_backend(
            f"bench_{run_id}", rate_limit_per_minute=10**9, environment="production"
        )
        self.shipment_id = server.call(
            "logistics.shipment", "create", {"customer_reference": f"bench {run_id}"}
        )
        self.code_id = server.call(
            "logistics.milestone.code", "search", [("code", "=", "IN_TRANSIT")]
        )[0]
        self.counter = 0
        self.lock = threading.Lock()
        self.with_identifiers = False

    def next_event(self, per_shipment=8):
        """A new event; every ``per_shipment`` events belong to a new shipment,
        about the history length of a real road shipment."""
        with self.lock:
            self.counter += 1
            n = self.counter
        minute, second = divmod(n % 3600, 60)
        event = {
            "event_id": f"{self.run_id}-{n}",
            "shipment_ref": f"B{self.run_id}-{n // per_shipment}",
            "code": "IN_TRANSIT",
            "event_time": f"2024-05-01T{10 + n // 3600 % 10:02d}:{minute:02d}:{second:02d}+02:00",
            "location": {"name": "Hub 4", "code": "USCHI"},
            "reason": {"code": "NS", "text": "Normal status"},
        }
        if self.with_identifiers:
            load = n // per_shipment
            event["shipment"] = {
                "pro_number": f"PRO{self.run_id}-{load}",
                "bol_number": f"BOL{self.run_id}-{load}",
            }
        return event

    def anchor_client(self, _index):
        proxy = xmlrpc.client.ServerProxy(f"{self.server.url}/xmlrpc/2/object", allow_none=True)
        uid, password, db = self.server.uid, self.server.password, self.server.db

        def create():
            proxy.execute_kw(
                db,
                uid,
                password,
                "logistics.milestone",
                "create",
                [
                    {
                        "shipment_id": self.shipment_id,
                        "milestone_code_id": self.code_id,
                        "event_time": "2024-05-01 10:00:00",
                        "location_name": "Hub 4",
                        "source_code": self.next_event()["event_id"],
                    }
                ],
            )
            return 1

        return create

    def _post(self, path, document):
        """One POST over http.client, the HTTP stack xmlrpc.client (the anchor) uses."""
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        try:
            connection.request(
                "POST",
                path,
                body=json.dumps(document),
                headers={"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def single_client(self, _index):
        def post():
            status, body = self._post("/logistics/v1/events", self.next_event())
            if status != 202:
                raise RuntimeError(f"{status} {body[:200]}")
            return 1

        return post

    def batch_client(self, _index):
        def post():
            status, body = self._post(
                "/logistics/v1/events/batch", {"events": [self.next_event() for _ in range(BATCH)]}
            )
            if status != 200 or any(r["status"] != 202 for r in json.loads(body)["results"]):
                raise RuntimeError(f"{status} {body[:200]}")
            return BATCH

        return post

    def states(self, cursor):
        cursor.execute(
            "SELECT state, count(*) FROM logistics_integration_message"
            " WHERE backend_id = %s AND direction = 'inbound' GROUP BY state",
            [self.backend_id],
        )
        return dict(cursor.fetchall())

    def wait_processed(self, cursor, expected_total, timeout=900):
        """Wait until ``expected_total`` messages exist and none is queued."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            states = self.states(cursor)
            if sum(states.values()) >= expected_total and not states.get("queued"):
                return states
            time.sleep(0.05)
        raise RuntimeError(f"not processed within {timeout} s: {self.states(cursor)}")

    def end_to_end(self, events, clients=4):
        """Events/s from the first accept to the last one processed."""
        connection = psycopg2.connect(dbname=self.server.db)
        connection.autocommit = True
        cursor = connection.cursor()
        # the load of the other measurements is processed first, untimed
        before = sum(self.wait_processed(cursor, 0).values())
        per_client = events // BATCH // clients
        began = time.monotonic()
        threads = []
        for index in range(clients):
            post = self.batch_client(index)
            thread = threading.Thread(target=lambda post=post: [post() for _ in range(per_client)])
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join()
        sent = per_client * clients * BATCH
        states = self.wait_processed(cursor, before + sent)
        elapsed = time.monotonic() - began
        connection.close()
        if set(states) != {"done"}:
            raise RuntimeError(f"not everything was processed: {states}")
        return sent / elapsed


def raw_insert(db, duration, run_id):
    """Rows/s of idempotent inserts of 100 rows per statement, each committed."""
    connection = psycopg2.connect(dbname=db)
    cursor = connection.cursor()
    cursor.execute(
        "CREATE TEMP TABLE bench_inbox (LIKE logistics_integration_message INCLUDING DEFAULTS INCLUDING INDEXES)"
    )
    payload = json.dumps(
        {"shipment_ref": "B-1", "code": "IN_TRANSIT", "event_time": "2024-05-01T10:00:00Z"}
    )
    connection.commit()
    rows, n = 0, 0
    deadline = time.monotonic() + duration
    began = time.monotonic()
    while time.monotonic() < deadline:
        values = []
        for _ in range(BATCH):
            n += 1
            values.append(
                (
                    1,
                    1,
                    "inbound",
                    "event",
                    "json",
                    f"{run_id}-{n}",
                    payload,
                    "queued",
                    "realtime",
                    0,
                )
            )
        args = ",".join(
            cursor.mogrify("(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,now(),now(),now())", v).decode()
            for v in values
        )
        cursor.execute(
            "INSERT INTO bench_inbox (backend_id, company_id, direction, message_type, payload_format,"
            " idempotency_key, payload, state, channel, lane, received_at, create_date, write_date)"
            f" VALUES {args} ON CONFLICT DO NOTHING"
        )
        connection.commit()
        rows += BATCH
    elapsed = time.monotonic() - began
    connection.close()
    return rows / elapsed


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="logistics_bench")
    parser.add_argument("--port", type=int, default=8199)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--e2e-events", type=int, default=4000)
    parser.add_argument(
        "--e2e-only", action="store_true", help="only the end-to-end figures (no accept, no raw)"
    )
    args = parser.parse_args()
    conf = write_config(args.db, args.port)
    ensure_database(args.db, conf, "logistics_canonical")
    results = {}

    def record(name, value):
        results.setdefault(name, []).append(value)

    # one job at a time: with 2 workers, one is always free for the API
    channels = "root:1,root.logistics:1,root.logistics.realtime:1,root.logistics.batch:1,root.logistics.outbound:1"
    for run in range(args.runs):
        run_id = f"{int(time.time())}{run}{uuid.uuid4().hex[:4]}"
        # accept: the inbox absorbing a burst, the job runner paused
        with OdooServer(args.db, args.port, workers=2, job_runner=False, base_conf=conf) as server:
            bench = Bench(server, run_id)
            for clients in () if args.e2e_only else (1, 4):
                for name, factory in (
                    ("anchor", bench.anchor_client),
                    ("single", bench.single_client),
                    ("batch", bench.batch_client),
                ):
                    rate, p50, p95 = drive(clients, args.duration, factory)
                    record((name, clients, "rate"), rate)
                    record((name, clients, "p50"), p50)
                    record((name, clients, "p95"), p95)
            if not args.e2e_only:
                record(("raw", 1, "rate"), raw_insert(args.db, args.duration, run_id))
        # end-to-end: the runner processes the burst above (untimed), then a timed one
        release_orphan_jobs(args.db)
        with OdooServer(args.db, args.port, workers=2, channels=channels, base_conf=conf) as server:
            bench.server = server
            bench.end_to_end(4 * BATCH)  # warm-up, untimed: the first burst after a start is slow
            # alternate which goes first: the database grows during a run
            for with_identifiers in (False, True) if run % 2 == 0 else (True, False):
                bench.with_identifiers = with_identifiers
                name = "e2e_ids" if with_identifiers else "e2e"
                record((name, 4, "rate"), bench.end_to_end(args.e2e_events))
            bench.with_identifiers = False
            if not args.e2e_only:
                rate, p50, p95 = drive(4, args.duration, bench.single_client)
                record(("single_loaded", 4, "rate"), rate)
                record(("single_loaded", 4, "p95"), p95)
        print(f"run {run + 1}/{args.runs} done", flush=True)
    report(results, args)


# The targets, as ratios measured in the same run.
TARGETS = {
    ("single", 4): ">= 8x anchor",
    ("batch", 4): ">= 120x anchor",
    "e2e": ">= 15x anchor",
    "loaded_p95": "p95 <= 30 ms",
    "raw_share": ">= 40% of raw",
    "e2e_ids": ">= 90% of end-to-end",
}


def report(results, args):
    med = {key: statistics.median(values) for key, values in results.items()}
    print(
        f"\nmedian of {args.runs} runs, {args.duration:.0f} s per measurement, Odoo 2 workers, 127.0.0.1\n"
    )
    print(
        f"{'path':<28}{'clients':>8}{'events/s':>11}{'p50 ms':>9}{'p95 ms':>9}{'x anchor':>10}"
        f"  target"
    )
    e2e, e2e_ids = med[("e2e", 4, "rate")], med[("e2e_ids", 4, "rate")]
    if args.e2e_only:
        print(f"{'end-to-end (accept→done)':<28}{4:>8}{e2e:>11.0f}")
    else:
        report_accept(med, e2e)
    print(
        f"{'end-to-end, PRO+BOL each':<28}{4:>8}{e2e_ids:>11.0f}{'':>9}{'':>9}{'':>10}"
        f"  {100 * e2e_ids / e2e:.0f}% of end-to-end ({TARGETS['e2e_ids']})"
    )


def report_accept(med, e2e):
    anchor4 = med[("anchor", 4, "rate")]
    for name, label in (
        ("anchor", "anchor: XML-RPC create"),
        ("single", "API single event"),
        ("batch", f"API batch of {BATCH}"),
    ):
        for clients in (1, 4):
            rate = med[(name, clients, "rate")]
            ratio = rate / med[("anchor", clients, "rate")]
            print(
                f"{label:<28}{clients:>8}{rate:>11.0f}{med[(name, clients, 'p50')]:>9.1f}"
                f"{med[(name, clients, 'p95')]:>9.1f}{ratio:>10.1f}  {TARGETS.get((name, clients), '')}"
            )
    print(
        f"{'end-to-end (accept→done)':<28}{4:>8}{e2e:>11.0f}{'':>9}{'':>9}"
        f"{e2e / anchor4:>10.1f}  {TARGETS['e2e']}"
    )
    loaded = med[("single_loaded", 4, "rate")]
    print(
        f"{'single, while processing':<28}{4:>8}{loaded:>11.0f}{'':>9}"
        f"{med[('single_loaded', 4, 'p95')]:>9.1f}{loaded / anchor4:>10.1f}  {TARGETS['loaded_p95']}"
    )
    raw = med[("raw", 1, "rate")]
    print(f"{'raw PG insert, 100/stmt':<28}{1:>8}{raw:>11.0f}")
    best_batch = max(med[("batch", 1, "rate")], med[("batch", 4, "rate")])
    print(
        f"\nbatch accept reaches {100 * best_batch / raw:.0f}% of the raw PostgreSQL insert rate"
        f"  (target {TARGETS['raw_share']})"
    )


if __name__ == "__main__":
    main()
