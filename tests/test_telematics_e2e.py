"""Telematics over a real Mosquitto and a real multi-process Odoo on loopback:
a truck publishes its recorded trip, one ping per MQTT message at QoS 1, and
the channels process turns it into stored positions, geofence milestones and
the shipment's last position; positions published while the channels process
is down are delivered by the broker when it is back (persistent session)."""

import json
import os
import uuid

import paho.mqtt.client as paho
import pytest
from support.channels import ChannelsProcess, scalar, wait_for
from support.odoo_server import OdooServer

PORT = int(os.environ.get("LOGISTICS_TELEMATICS_E2E_PORT", "8229"))
DALLAS, MEMPHIS = (32.7767, -96.7970), (35.1495, -90.0490)


@pytest.fixture(scope="module")
def server():
    db = os.environ.get("LOGISTICS_TEST_DB", "logistics_test")
    with OdooServer(db, PORT, workers=2, channels="root:2") as running:
        yield running


@pytest.fixture()
def fleet(server):
    """A telematics backend on its own topic, and a shipment on its truck."""
    topic = f"test-{uuid.uuid4().hex[:8]}"
    backend = server.call(
        "logistics.backend",
        "create",
        {
            "name": f"Fleet {topic}",
            "code": topic,
            "kind": "telematics",
            "environment": "test",  # archived at the end without a second approval
            "rate_limit_per_minute": 0,
            "mqtt_url": "mqtt://127.0.0.1:1883",
            "mqtt_topic": f"{topic}/+/position",
        },
    )
    vehicle = f"TRK-{topic}"
    shipment = server.call(
        "logistics.shipment",
        "create",
        {
            "vehicle": vehicle,
            "environment": "test",
            "stop_ids": [
                (
                    0,
                    0,
                    {
                        "sequence": 1,
                        "stop_type": "pickup",
                        "latitude": DALLAS[0],
                        "longitude": DALLAS[1],
                    },
                ),
                (
                    0,
                    0,
                    {
                        "sequence": 2,
                        "stop_type": "delivery",
                        "latitude": MEMPHIS[0],
                        "longitude": MEMPHIS[1],
                    },
                ),
            ],
        },
    )
    yield {"backend": backend, "topic": topic, "vehicle": vehicle, "shipment": shipment}
    server.call("logistics.backend", "write", [backend], {"active": False})


def trip():
    """At the Dallas dock, then on the road, then at the Memphis dock."""
    points = [(DALLAS[0] + 0.0005, DALLAS[1], 0)] * 3
    points += [(DALLAS[0] + 0.05 * n, DALLAS[1] + 0.12 * n, 85) for n in range(1, 20)]
    points += [(MEMPHIS[0] - 0.0008, MEMPHIS[1], 0)] * 3
    return [
        {
            "lat": lat,
            "lon": lon,
            "speed": speed,
            "time": f"2026-05-04T{8 + n // 60:02d}:{n % 60:02d}:00Z",
        }
        for n, (lat, lon, speed) in enumerate(points)
    ]


def publish(topic, vehicle, positions):
    client = paho.Client(
        paho.CallbackAPIVersion.VERSION2, client_id=f"truck-{uuid.uuid4().hex[:6]}"
    )
    client.connect("127.0.0.1", 1883)
    client.loop_start()
    for position in positions:
        client.publish(f"{topic}/{vehicle}/position", json.dumps(position), qos=1).wait_for_publish(
            10
        )
    client.loop_stop()
    client.disconnect()


def stored(server, backend):
    return scalar(
        server.db, "SELECT count(*) FROM logistics_vehicle_position WHERE backend_id = %s", backend
    )


def geofence_codes(server, shipment):
    with_codes = server.call(
        "logistics.milestone",
        "search_read",
        [("shipment_id", "=", shipment), ("source_code", "like", "geofence.")],
        ["code"],
        order="event_time",
    )
    return [row["code"] for row in with_codes]


def test_a_trip_over_mqtt_becomes_positions_and_geofence_milestones(server, fleet):
    recorded = trip()
    channels = ChannelsProcess(server)
    try:
        # the subscriber's first connection creates its persistent session
        wait_for("subscribed", lambda: "MQTT subscriber of" in channels.log.read_text())
        publish(fleet["topic"], fleet["vehicle"], recorded[:10])
        wait_for("first part stored", lambda: stored(server, fleet["backend"]) == 10)
        channels.stop()  # the channels process goes away; the truck goes on
        publish(fleet["topic"], fleet["vehicle"], recorded[10:])
        channels = ChannelsProcess(server)
        wait_for("all stored", lambda: stored(server, fleet["backend"]) == len(recorded))
        wait_for(
            "milestones",
            lambda: len(geofence_codes(server, fleet["shipment"])) == 3,
        )
    finally:
        channels.stop()
    assert geofence_codes(server, fleet["shipment"]) == [
        "ARRIVED_PICKUP",
        "PICKED_UP",
        "ARRIVED_DELIVERY",
    ]
    [shipment] = server.call(
        "logistics.shipment", "read", [fleet["shipment"]], ["last_position_at", "status"]
    )
    assert shipment["last_position_at"] == "2026-05-04 08:24:00"
    assert shipment["status"] == "at_delivery"
