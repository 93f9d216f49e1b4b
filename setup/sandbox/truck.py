"""Sandbox trucks: the demo's trucks drive their shipments and report positions
over MQTT, the way a telematics unit does.

Each shipment with a vehicle of the demo (TRK-101, TRK-102) is driven from its
pickup to its delivery along the straight line, at a speed many times that of a
real truck, with a stop of a few ticks at each end; the truck publishes its
position to ``fleet/<vehicle>/position`` on the local Mosquitto each tick. The
hub's telematics channel turns entering and leaving the stops' geofences into
milestones. After the delivery the truck starts over (the geofences record one
arrival and one departure per stop, so a second lap only moves the position).

Run:  python setup/sandbox/truck.py --db logistics_demo
"""

import json
import math
import time
from datetime import datetime, timezone

import paho.mqtt.client as paho
from common import connect, hub_arguments, run

STEPS = 120  # positions from pickup to delivery
DWELL = 5  # positions standing at each end


def route(pickup, delivery):
    """Positions from ``pickup`` to ``delivery`` ((lat, lon) pairs), with the
    dwell at both ends and the speed the truck would have."""
    (lat1, lon1), (lat2, lon2) = pickup, delivery
    points = [(lat1, lon1, 0.0)] * DWELL
    for step in range(1, STEPS + 1):
        share = step / STEPS
        wobble = math.sin(share * math.pi * 6) * 0.01  # roads are not straight
        points.append((lat1 + (lat2 - lat1) * share + wobble, lon1 + (lon2 - lon1) * share, 88.0))
    return points + [(lat2, lon2, 0.0)] * DWELL


def main():
    parser = hub_arguments(__doc__, interval=2.0)
    parser.add_argument("--broker", default="127.0.0.1")
    parser.add_argument("--broker-port", type=int, default=1883)
    args = parser.parse_args()
    call = connect(args.url, args.db, args.login, args.password)
    shipments = call(
        "logistics.shipment",
        "search_read",
        [("vehicle", "like", "TRK-1%")],
        ["vehicle", "stop_ids"],
    )
    trucks = []
    for shipment in shipments:
        stops = call(
            "logistics.shipment.stop",
            "read",
            shipment["stop_ids"],
            ["sequence", "latitude", "longitude"],
        )
        stops.sort(key=lambda stop: stop["sequence"])
        if len(stops) >= 2:
            ends = [
                (stops[0]["latitude"], stops[0]["longitude"]),
                (stops[-1]["latitude"], stops[-1]["longitude"]),
            ]
            trucks.append({"vehicle": shipment["vehicle"], "route": route(*ends), "at": 0})
    if not trucks:
        print("truck: no demo shipment has a truck", flush=True)
        return
    client = paho.Client(paho.CallbackAPIVersion.VERSION2, client_id="sandbox-trucks")
    client.connect(args.broker, args.broker_port)
    client.loop_start()

    def tick():
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        for truck in trucks:
            lat, lon, speed = truck["route"][truck["at"]]
            truck["at"] = (truck["at"] + 1) % len(truck["route"])
            position = {"lat": round(lat, 6), "lon": round(lon, 6), "speed": speed, "time": now}
            client.publish(f"fleet/{truck['vehicle']}/position", json.dumps(position), qos=1)

    try:
        run(tick, args.interval, args.duration, "truck")
    finally:
        client.loop_stop()
        client.disconnect()
        time.sleep(0.1)


if __name__ == "__main__":
    main()
