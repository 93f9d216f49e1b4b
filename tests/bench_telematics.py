"""Benchmark: truck positions ingested over MQTT, against one XML-RPC write per position.

Run:  .venv/bin/python tests/bench_telematics.py [--positions 20000] [--runs 3]

In one run, on a real Odoo with 2 worker processes and the queue_job runner,
with ``odoo-bin logistics-channels`` beside it and the local Mosquitto:
  mqtt        --positions positions of 50 trucks, one ping per MQTT message at
              QoS 1 (the broker waits for our acknowledgment of each), published
              from 4 threads in bursts of 4,000 messages, each stored before the
              next (the broker's backlog per subscriber is bounded); positions/s
              from the first publish until every position is stored (through
              the door, drained, geofences checked).
  mqtt lists  the same with each truck's unit sending 10 positions per message
              (a unit that buffers, or reports every 10 s with a fix a second).
  anchor      --anchor positions written directly over XML-RPC, one
              ``logistics.vehicle.position`` create per position, 4 threads.
  transport   the same one-ping publishing to the hub's MQTT subscriber
              (addons/logistics_telematics/lib/mqtt.py) storing nothing: what
              the MQTT clients themselves allow on this machine.
The median of --runs runs. Everything talks to 127.0.0.1 and stops by itself.
"""

import argparse
import json
import statistics
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import paho.mqtt.client as paho

sys.path.insert(
    0, str(Path(__file__).resolve().parent.parent / "addons" / "logistics_telematics" / "lib")
)
from mqtt import Subscriber

sys.path.insert(0, str(Path(__file__).resolve().parent))
from support.channels import ChannelsProcess, scalar, wait_for
from support.odoo_server import (
    OdooServer,
    ensure_database,
    release_orphan_jobs,
    write_config,
)

TRUCKS = 50
THREADS = 4
BURST = 4000  # messages published before waiting for them to be stored


def positions(count, start):
    """``count`` distinct positions of TRUCKS trucks, one second apart per truck."""
    began = datetime(2026, 5, 4) + timedelta(days=start)
    return [
        {
            "vehicle": f"B{n % TRUCKS:03d}",
            "lat": 32.0 + (n % 997) * 0.001,
            "lon": -96.0 - (n % 991) * 0.001,
            "speed": 80,
            "time": (began + timedelta(seconds=n // TRUCKS)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        for n in range(count)
    ]


def in_threads(chunks, work):
    threads = [threading.Thread(target=work, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def publish(topic, bodies):
    """Publish ``bodies`` at QoS 1 from THREADS connections; wait until the broker has them."""

    def send(part):
        client = paho.Client(
            paho.CallbackAPIVersion.VERSION2, client_id=f"bench-{uuid.uuid4().hex[:8]}"
        )
        client.max_queued_messages_set(0)
        client.connect("127.0.0.1", 1883)
        client.loop_start()
        infos = [client.publish(topic, body, qos=1) for body in part]
        for info in infos:
            info.wait_for_publish(60)
        client.loop_stop()
        client.disconnect()

    in_threads([bodies[i::THREADS] for i in range(THREADS)], send)


def mqtt_rate(server, backend, prefix, count, per_message, start):
    """Positions/s in bursts of at most BURST messages, each stored before the
    next: a broker keeps a bounded backlog per subscriber (Mosquitto: the
    subscriber's Receive Maximum in flight plus 1,000 queued) and drops the rest."""
    recorded = positions(count, start)
    bodies = [
        json.dumps(recorded[i] if per_message == 1 else recorded[i : i + per_message])
        for i in range(0, len(recorded), per_message)
    ]
    began = time.monotonic()
    for first in range(0, len(bodies), BURST):
        burst = bodies[first : first + BURST]
        expected = stored(server, backend) + min(
            count - first * per_message, len(burst) * per_message
        )
        publish(f"{prefix}/all/position", burst)
        wait_for(
            "positions stored (none lost)", lambda e=expected: stored(server, backend) >= e, 300
        )
    return count / (time.monotonic() - began)


def transport_rate(count):
    """One ping per message through publishers and our subscriber, stored nowhere."""
    topic, got, stop = f"bench-transport-{uuid.uuid4().hex[:8]}", [0], threading.Event()

    def count_batch(batch):
        got[0] += len(batch)

    subscriber = Subscriber(
        "mqtt://127.0.0.1:1883", f"{topic}/+/position", count_batch, topic, stop=stop
    )
    thread = threading.Thread(target=subscriber.run)
    thread.start()
    time.sleep(1)  # subscribed
    bodies = [json.dumps(position) for position in positions(count, 3)]
    began = time.monotonic()
    for first in range(0, count, BURST):
        publish(f"{topic}/all/position", bodies[first : first + BURST])
        expected = min(count, first + BURST)
        wait_for("transport", lambda e=expected: got[0] >= e, 300)
    rate = count / (time.monotonic() - began)
    stop.set()
    thread.join()
    return rate


def anchor_rate(server, backend, count, start):
    recorded = positions(count, start)
    proxies = threading.local()

    def write(part):
        proxies.proxy = server.proxy()
        for position in part:
            proxies.proxy.execute_kw(
                server.db,
                server.uid,
                server.password,
                "logistics.vehicle.position",
                "create",
                [
                    {
                        "backend_id": backend,
                        "company_id": 1,
                        "vehicle": position["vehicle"],
                        "latitude": position["lat"],
                        "longitude": position["lon"],
                        "speed_kmh": position["speed"],
                        "position_time": position["time"].replace("T", " ").rstrip("Z"),
                    }
                ],
            )

    began = time.monotonic()
    in_threads([recorded[i::THREADS] for i in range(THREADS)], write)
    return count / (time.monotonic() - began)


def stored(server, backend):
    return scalar(
        server.db, "SELECT count(*) FROM logistics_vehicle_position WHERE backend_id = %s", backend
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="logistics_bench_telematics")
    parser.add_argument("--port", type=int, default=8239)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--positions", type=int, default=20000)
    parser.add_argument("--anchor", type=int, default=2000)
    args = parser.parse_args()
    conf = write_config(args.db, args.port)
    ensure_database(args.db, conf, "logistics_telematics")
    results = {}
    for run in range(args.runs):
        release_orphan_jobs(args.db)
        with OdooServer(args.db, args.port, workers=2, channels="root:2", base_conf=conf) as server:
            prefix = f"bench-{uuid.uuid4().hex[:8]}"
            backend = server.call(
                "logistics.backend",
                "create",
                {
                    "name": f"Bench fleet {prefix}",
                    "code": prefix,
                    "kind": "telematics",
                    "environment": "test",
                    "rate_limit_per_minute": 0,
                    "mqtt_url": "mqtt://127.0.0.1:1883",
                    "mqtt_topic": f"{prefix}/+/position",
                },
            )
            channels = ChannelsProcess(server)
            try:
                wait_for(
                    "subscribed", lambda log=channels.log: "MQTT subscriber of" in log.read_text()
                )
                for name, value in (
                    ("mqtt", mqtt_rate(server, backend, prefix, args.positions, 1, 0)),
                    ("mqtt lists", mqtt_rate(server, backend, prefix, args.positions, 10, 1)),
                    ("anchor", anchor_rate(server, backend, args.anchor, 2)),
                    ("transport", transport_rate(args.positions)),
                ):
                    results.setdefault(name, []).append(value)
            finally:
                channels.stop()
            server.call("logistics.backend", "write", [backend], {"active": False})
        print(f"run {run + 1}/{args.runs} done", flush=True)
    report(results, args)


def report(results, args):
    med = {name: statistics.median(values) for name, values in results.items()}
    anchor = med["anchor"]
    print(
        f"\n{args.positions} positions of {TRUCKS} trucks, median of {args.runs} runs, "
        "Odoo 2 workers, Mosquitto, 127.0.0.1\n"
    )
    print(f"{'path':<34}{'positions/s':>12}{'x anchor':>10}  target")
    print(f"{'anchor (XML-RPC, one per call)':<34}{anchor:>12.1f}{1:>10.1f}")
    for name, label in (
        ("mqtt", "MQTT, one ping per message"),
        ("mqtt lists", "MQTT, 10 per message"),
    ):
        print(f"{label:<34}{med[name]:>12.1f}{med[name] / anchor:>10.1f}  >= 50x anchor")
    print(
        f"{'MQTT transport alone (no store)':<34}{med['transport']:>12.1f}{med['transport'] / anchor:>10.1f}"
    )
    for name, values in results.items():
        print(f"  {name}: " + ", ".join(f"{v:.1f}" for v in values))


if __name__ == "__main__":
    main()
