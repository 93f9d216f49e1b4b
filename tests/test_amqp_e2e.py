"""The AMQP consumer (odoo-bin logistics-channels) against a real RabbitMQ and a
real multi-process Odoo on loopback: messages consumed through the door and
processed once, also when the consumer dies between storing a batch and
acknowledging it; poison dead-lettered with its reason; the broker cut off
and back (through a TCP proxy) and the consumer reconnecting by itself."""

import json
import os
import sys
import time
import uuid

import pika
import pytest
from support.channels import TIMEOUT, ChannelsProcess, scalar, wait_for
from support.odoo_server import REPO_ROOT, OdooServer

sys.path.insert(0, str(REPO_ROOT / "addons" / "logistics_amqp" / "tests"))
from tcp_proxy import TcpProxy

PORT = int(os.environ.get("LOGISTICS_AMQP_E2E_PORT", "8219"))
BROKER_PORT = 5672


@pytest.fixture(scope="module")
def server():
    db = os.environ.get("LOGISTICS_TEST_DB", "logistics_test")
    with OdooServer(db, PORT, workers=2, channels="root:2") as running:
        yield running


@pytest.fixture()
def broker():
    connection = pika.BlockingConnection(
        pika.ConnectionParameters(
            "127.0.0.1", BROKER_PORT, credentials=pika.PlainCredentials("guest", "guest")
        )
    )
    yield connection.channel()
    connection.close()


@pytest.fixture()
def consuming_backend(server, broker):
    """``make(queue, port)``: a backend consuming ``queue``; both are gone
    after the test (the broker outlives the test database)."""
    made = []

    def make(queue, port=BROKER_PORT):
        made.append((queue, create_backend(server, queue, port)))
        return made[-1][1]

    yield make
    for queue, backend in made:
        server.call("logistics.backend", "write", [backend], {"active": False})
        for name in (queue, f"{queue}.dead"):
            broker.queue_delete(name)


def create_backend(server, queue, port):
    return server.call(
        "logistics.backend",
        "create",
        {
            "name": f"Broker {queue}",
            "code": queue.replace(".", "_"),
            # not production: archived at the end without a second person's approval
            "environment": "test",
            "rate_limit_per_minute": 0,
            "amqp_consume": True,
            "amqp_url": f"amqp://127.0.0.1:{port}/%2F",
            "amqp_username": "guest",
            "amqp_password": "guest",
            "amqp_queue": queue,
            "amqp_prefetch": 20,
        },
    )


def publish(channel, queue, events, **properties):
    channel.queue_declare(queue, durable=True)
    for event in events:
        channel.basic_publish(
            "",
            queue,
            event if isinstance(event, bytes) else json.dumps(event).encode(),
            pika.BasicProperties(content_type="application/json", delivery_mode=2, **properties),
        )


def events(prefix, count):
    return [
        {
            "event_id": f"{prefix}-{n}",
            "shipment_ref": f"{prefix}-{n % 7}",
            "code": "PICKED_UP" if n % 2 else "IN_TRANSIT",
            "event_time": f"2024-05-01T{10 + n % 12:02d}:{n % 60:02d}:00Z",
        }
        for n in range(count)
    ]


def messages(db, backend_id, state=None):
    return scalar(
        db,
        "SELECT count(*) FROM logistics_integration_message WHERE backend_id = %s"
        " AND direction = 'inbound' AND (%s IS NULL OR state = %s)",
        backend_id,
        state,
        state,
    )


def queue_depth(channel, queue):
    return channel.queue_declare(queue, passive=True).method.message_count


def test_consumed_through_the_door_and_processed_once_when_the_consumer_dies(
    server, broker, consuming_backend
):
    queue = f"test.in.{uuid.uuid4().hex[:8]}"
    backend = consuming_backend(queue)
    batch = events(queue, 60)
    publish(broker, queue, batch)
    # dies after the door committed its first batch, before acknowledging it
    dying = ChannelsProcess(server, REPO_ROOT / "tests" / "support" / "amqp_consumer_dies.py")
    assert dying.process.wait(timeout=TIMEOUT) == 3, dying.log.read_text()[-3000:]
    stored = messages(server.db, backend)
    assert 0 < stored < len(batch)
    assert queue_depth(broker, queue) == len(batch), "nothing was acknowledged"

    consumer = ChannelsProcess(server)
    try:
        wait_for("queue drained", lambda: queue_depth(broker, queue) == 0)
        wait_for("all processed", lambda: messages(server.db, backend, "done") == len(batch))
    finally:
        consumer.stop()
    assert messages(server.db, backend) == len(batch), "redelivered messages stored once"
    milestones = scalar(
        server.db,
        "SELECT count(*) FROM logistics_milestone m JOIN logistics_integration_message i"
        " ON i.id = m.message_id WHERE i.backend_id = %s",
        backend,
    )
    assert milestones == len(batch), "each event applied once"


def test_poison_is_dead_lettered_with_its_reason(server, broker, consuming_backend):
    queue = f"test.in.{uuid.uuid4().hex[:8]}"
    backend = consuming_backend(queue)
    good = events(queue, 3)
    publish(broker, queue, [good[0], b'{"shipment_ref": "X", ', good[1]])
    publish(broker, queue, [{"order": 1}], type="no_such_type", message_id="poison-2")
    publish(broker, queue, [good[2]])
    consumer = ChannelsProcess(server)
    try:
        wait_for("good ones processed", lambda: messages(server.db, backend, "done") == 3)
        dead = f"{queue}.dead"
        wait_for("poison dead-lettered", lambda: queue_depth(broker, dead) == 2)
    finally:
        consumer.stop()
    reasons = []
    for _ in range(2):
        method, properties, body = broker.basic_get(dead, auto_ack=True)
        reasons.append(properties.headers["x-logistics-refusal"])
        assert properties.headers["x-logistics-message-id"] > 0
    assert "not JSON" in reasons[0]
    assert "no processor for 'no_such_type'" in reasons[1]
    assert messages(server.db, backend, "rejected") == 2, "the integration log shows both"


def test_consumer_reconnects_when_the_broker_comes_back(server, broker, consuming_backend):
    queue = f"test.in.{uuid.uuid4().hex[:8]}"
    with TcpProxy(BROKER_PORT) as proxy:
        backend = consuming_backend(queue, port=proxy.port)
        consumer = ChannelsProcess(server)
        try:
            publish(broker, queue, events(queue, 5)[:2])
            wait_for("before the cut", lambda: messages(server.db, backend, "done") == 2)
            proxy.cut()
            publish(broker, queue, events(queue, 5)[2:])
            time.sleep(2)
            assert messages(server.db, backend) == 2, "nothing arrives while the broker is away"
            proxy.start()
            wait_for("after the cut", lambda: messages(server.db, backend, "done") == 5)
        finally:
            consumer.stop()
    assert "reconnecting" in consumer.log.read_text()
