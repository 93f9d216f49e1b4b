"""Benchmark: carrier requests and freshness of tracking strategies, on a simulated clock.

Run:  .venv/bin/python tests/bench_carrier.py [--parcels 1000] [--runs 3]

1,000 parcels ship over one day and live 2-5 days each at the sandbox carrier
(addons/connector_carrier/tests/sandbox_carrier.py: a few scans, 10 % delays,
5 % failed first attempts), a real HTTP server on loopback whose clock the
benchmark drives in 5-minute steps. Each strategy asks it over HTTP about
every parcel until its delivery is seen, and counts what the server answered:
  hourly (anchor)   every active parcel polled every hour, one request each
  daily             one run a day, one request per parcel (OCA delivery_state's cron)
  adaptive          the hub's schedule (lib/polling.py, default policy), one number per request
  adaptive, batched the hub's schedule with the policy a batch API affords (hourly before
                    the first scan and in transit), 50 numbers per request, a request
                    with room taking the numbers due within the hour (as the hub dispatches)
  webhooks          the carrier pushes each scan; the hub's safety polls (48 h of
                    silence) and the confirmation poll after delivery, batched
Printed: requests per delivered parcel, p95 freshness (carrier scan -> seen by
us, in simulated minutes), HTTP 429 answers under a quota of --quota requests per
second enforced by the sandbox (the client keeps under it like the hub's quota
pacing does: lib/pacing.py), and the wall time of each run; the median of --runs runs.
Webhook freshness is the simulated delivery (immediate); the hub's own
processing time is what tests/bench_api.py measures.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "addons" / "connector_carrier"))
sys.path.insert(0, str(REPO / "addons" / "connector_carrier" / "tests"))
from lib import polling, taxonomy  # noqa: E402
from lib.mapping import Mapping  # noqa: E402
from lib.pacing import Pacer  # noqa: E402
from sandbox_carrier import CarrierSandbox, realistic_parcel  # noqa: E402

START = datetime(2026, 12, 1, tzinfo=timezone.utc)
STEP = timedelta(minutes=5)
HORIZON = timedelta(days=12)
# what the customer waits for: out for delivery, delivered, a failed attempt
DELIVERY_DAY = ("OD", "DE", "DF")
# the sandbox carrier's codes, as its code table maps them
STATUS = {
    "PU": "picked_up",
    "AR": "in_transit",
    "IT": "in_transit",
    "DL": "delayed",
    "OD": "out_for_delivery",
    "DF": "delivery_failed",
    "DE": "delivered",
    "RS": "returned_to_sender",
}


class Follower:
    """What the hub knows of one parcel."""

    def __init__(self, number, registered):
        self.number, self.since, self.registered = number, registered, registered
        self.seen, self.stage, self.quiet, self.eta = set(), polling.PENDING, 0, None
        self.confirmed, self.delivered_seen, self.next_at = False, False, registered


class Client:
    """Polls the sandbox under its quota and records when each scan was first seen."""

    def __init__(self, sandbox, quota):
        self.sandbox, self.quota = sandbox, quota
        self.session = requests.Session()
        self.mapping = Mapping()
        self.pacer = Pacer(quota)  # the hub's pacing rule
        self.first_seen = {}  # (number, scan index) -> simulated time

    def ask(self, followers, now):
        self._keep_under_quota()
        numbers = ",".join(f.number for f in followers)
        response = self.session.get(
            f"{self.sandbox.url}/v1/tracking", params={"numbers": numbers}, timeout=10
        )
        response.raise_for_status()
        for document in self.mapping.documents(response.json(), "poll"):
            follower = next(f for f in followers if f.number == document["tracking_number"])
            self.take(follower, self.mapping.parse(document), now)

    def take(self, follower, reading, now):
        # as the hub: a poll of a delivered number is its confirmation, a POD ends it too
        follower.confirmed = (
            follower.confirmed or follower.stage == polling.DELIVERED or bool(reading.pod_url)
        )
        new = [event for event in reading.events if event.event_id not in follower.seen]
        for event in new:
            follower.seen.add(event.event_id)
            self.first_seen.setdefault(
                (follower.number, event.event_id), (now, event.time, event.code)
            )
        follower.eta = reading.eta.replace(tzinfo=None) if reading.eta else None
        if new:
            latest = max(new, key=lambda event: event.time)
            follower.stage = taxonomy.stage_of(STATUS[latest.code])
            follower.since, follower.quiet = latest.time.replace(tzinfo=None), 0
            follower.delivered_seen = follower.delivered_seen or any(e.code == "DE" for e in new)
        else:
            follower.quiet += 1

    def _keep_under_quota(self):
        self.pacer.wait()


def parcels(count, seed):
    rng = random.Random(seed)
    return [
        realistic_parcel(rng, f"BN{index:06d}", START + timedelta(hours=rng.uniform(0, 24)))
        for index in range(count)
    ]


def simulate(strategy, sandbox, quota):
    """Run one strategy over the whole horizon; its figures."""
    clock = {"now": START}
    sandbox.clock = lambda: clock["now"]
    sandbox.requests, sandbox.statuses = 0, {}
    client = Client(sandbox, quota)
    followers = [
        Follower(p.number, p.ship_date.replace(tzinfo=None)) for p in sandbox.parcels.values()
    ]
    policy = POLICIES.get(strategy, polling.Policy())
    batch = 50 if strategy in ("adaptive, batched", "webhooks") else 1
    started = time.perf_counter()
    now = START
    while now < START + HORIZON:
        clock["now"] = now
        naive = now.replace(tzinfo=None)
        if strategy == "webhooks":
            push_scans(sandbox, client, followers, now)
        active = [f for f in followers if f.registered <= naive and not done(f, strategy)]
        due = [f for f in active if f.next_at <= naive]
        upcoming = []
        if batch > 1:  # the hub's dispatch: a request with room takes numbers due within the hour
            soon = naive + timedelta(hours=1)
            upcoming = sorted(
                (f for f in active if naive < f.next_at <= soon), key=lambda f: f.next_at
            )
        polled = []
        for chunk in polling.batches(due, upcoming, batch):
            client.ask(chunk, now)
            polled += chunk
        for follower in polled:
            follower.next_at = next_poll(strategy, policy, follower, naive)
        now += STEP
    wall = time.perf_counter() - started
    delivered = sum(1 for f in followers if f.delivered_seen)
    return {
        "requests_per_parcel": sandbox.requests / max(delivered, 1),
        "p95_minutes": p95(client.first_seen.values()),
        "p95_delivery_minutes": p95(v for v in client.first_seen.values() if v[2] in DELIVERY_DAY),
        "delivered": delivered,
        "http_429": sandbox.statuses.get(429, 0),
        "wall_s": wall,
    }


def p95(observations):
    lags = sorted((seen - scanned).total_seconds() / 60 for seen, scanned, _code in observations)
    return lags[int(0.95 * (len(lags) - 1))] if lags else float("nan")


def push_scans(sandbox, client, followers, now):
    """The carrier's webhooks: every scan reaches us when it happens."""
    for follower in followers:
        parcel = sandbox.parcels[follower.number]
        if any(
            scan.time <= now and f"{parcel.number}-{i}" not in follower.seen
            for i, scan in enumerate(parcel.scans)
        ):
            document = sandbox.document(follower.number)
            reading = client.mapping.parse(document)
            for event in reading.events:
                if event.event_id not in follower.seen:
                    client.first_seen.setdefault(
                        (follower.number, event.event_id), (event.time, event.time, event.code)
                    )
            client.take(follower, reading, now)
            follower.next_at = next_poll(
                "webhooks", POLICIES["webhooks"], follower, now.replace(tzinfo=None)
            )


def done(follower, strategy):
    if strategy in ("hourly", "daily"):
        return follower.delivered_seen
    return follower.next_at is None


def next_poll(strategy, policy, follower, now):
    if strategy == "hourly":
        return now + timedelta(hours=1)
    if strategy == "daily":
        return now + timedelta(days=1)
    decision = polling.next_poll(
        policy,
        follower.stage,
        now,
        follower.since,
        follower.quiet,
        follower.eta,
        follower.confirmed,
    )
    return decision.at


STRATEGIES = ("hourly", "daily", "adaptive", "adaptive, batched", "webhooks")
POLICIES = {
    # a carrier that answers 50 numbers per request affords hourly polling in transit
    "adaptive, batched": polling.Policy(pending=60, in_transit=60, in_transit_max=120),
    "webhooks": polling.Policy(safety_hours=48),
}


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parcels", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--quota", type=int, default=2000, help="requests per second the carrier allows"
    )
    args = parser.parse_args()
    sandbox = CarrierSandbox(quota_per_second=args.quota, batch_max=50).start()
    for parcel in parcels(args.parcels, seed=1):
        sandbox.add(parcel)
    results = {name: [] for name in STRATEGIES}
    try:
        for _run in range(args.runs):
            for name in STRATEGIES:
                results[name].append(simulate(name, sandbox, args.quota))
    finally:
        sandbox.stop()
    anchor = statistics.median(r["requests_per_parcel"] for r in results["hourly"])
    print(f"{args.parcels} parcels, median of {args.runs} runs, carrier quota {args.quota}/s")
    print(
        f"{'strategy':<20}{'req/parcel':>11}{'vs hourly':>11}{'p95 all scans':>15}"
        f"{'p95 delivery day':>18}{'429s':>6}{'delivered':>10}{'wall s':>8}"
    )
    for name in STRATEGIES:
        runs = results[name]
        per_parcel = statistics.median(r["requests_per_parcel"] for r in runs)
        print(
            f"{name:<20}{per_parcel:>11.1f}{anchor / per_parcel:>10.1f}x"
            f"{statistics.median(r['p95_minutes'] for r in runs):>11.0f} min"
            f"{statistics.median(r['p95_delivery_minutes'] for r in runs):>14.0f} min"
            f"{max(r['http_429'] for r in runs):>6}{runs[0]['delivered']:>10}"
            f"{statistics.median(r['wall_s'] for r in runs):>8.1f}"
        )
    print("targets: adaptive <= 30 req/parcel at p95 <= 60 min; batched >= 20x fewer than hourly;")
    print("         webhooks <= 2 req/parcel, p95 <= 2 min; 0 HTTP 429 under the quota")


if __name__ == "__main__":
    main()
