"""Milestones and exceptions published to a real RabbitMQ on loopback, with
publisher confirms; the broker cut off by a TCP proxy to prove nothing is
lost and order holds when it comes back."""

import json
import uuid

import jsonschema
import pika

from odoo.tests import tagged

from odoo.addons.logistics_canonical.tests.common_api import ApiCase

from ..lib.amqp import routing_key
from .tcp_proxy import TcpProxy

BROKER_PORT = 5672


def broker():
    return pika.BlockingConnection(
        pika.ConnectionParameters(
            "127.0.0.1", BROKER_PORT, credentials=pika.PlainCredentials("guest", "guest")
        )
    )


@tagged("post_install", "-at_install")
class TestAmqpPublish(ApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shipment = cls.env["logistics.shipment"].create(
            {"customer_id": cls.env["res.partner"].create({"name": "Broker Customer"}).id}
        )
        cls.env["logistics.external.ref"]._bind(cls.backend, cls.shipment, "AMQP-1")

    def setUp(self):
        super().setUp()
        # a publisher made by a test is rolled back, not the per-worker cache that knew it
        self.addCleanup(self.registry.clear_cache)
        self.exchange = f"test.events.{uuid.uuid4().hex[:8]}"
        self.connection = broker()
        self.channel = self.connection.channel()
        self.channel.exchange_declare(self.exchange, exchange_type="topic", durable=True)
        self.queue = self.channel.queue_declare("", exclusive=True).method.queue
        self.channel.queue_bind(self.queue, self.exchange, routing_key="#")
        self.addCleanup(self.connection.close)
        self.addCleanup(self.channel.exchange_delete, self.exchange)

    def publisher(self, port=BROKER_PORT, **vals):
        return self.env["logistics.backend"].create(
            {
                "name": "Event bus",
                "code": f"bus_{uuid.uuid4().hex[:6]}",
                "adapter": "amqp",
                "environment": "production",
                "amqp_url": f"amqp://127.0.0.1:{port}/%2F",
                "amqp_username": "guest",
                "amqp_password": "guest",
                "amqp_exchange": self.exchange,
                "circuit_threshold": 2,
                **vals,
            }
        )

    def report(self, *codes):
        for hour, code in enumerate(codes):
            response = self.post(
                self.event(ref="AMQP-1", code=code, when=f"2024-05-01T{10 + hour}:00:00Z")
            )
            self.assertEqual(response.status_code, 202, response.text)
        self.run_jobs()

    def received(self):
        """What reached the test's queue, in order: ``(routing key, properties, body)``."""
        seen = []
        while True:
            method, properties, body = self.channel.basic_get(self.queue, auto_ack=True)
            if method is None:
                return seen
            seen.append((method.routing_key, properties, json.loads(body)))

    def outbound(self, backend):
        return self.env["logistics.integration.message"].search(
            [("backend_id", "=", backend.id), ("direction", "=", "outbound")], order="id"
        )

    def test_milestones_are_published_persistent_in_order_with_topic_keys(self):
        bus = self.publisher()
        self.report("PICKED_UP", "IN_TRANSIT", "DELIVERED")
        got = self.received()
        ref = self.shipment.name
        self.assertEqual(
            [key for key, _p, _b in got],
            [f"milestone.{code}.{ref}" for code in ("PICKED_UP", "IN_TRANSIT", "DELIVERED")],
        )
        key, properties, body = got[-1]
        self.assertEqual((body["shipment_ref"], body["code"]), (ref, "DELIVERED"))
        self.assertEqual(properties.delivery_mode, 2)  # persistent
        self.assertEqual(properties.type, "milestone")
        messages = self.outbound(bus)
        self.assertEqual(messages.mapped("state"), ["done"] * 3)
        self.assertEqual(properties.message_id, messages[-1].idempotency_key)
        self.assertEqual(messages[-1].routing_key, key)

    def test_broker_down_queues_then_publishes_in_order_once(self):
        with TcpProxy(BROKER_PORT) as proxy:
            bus = self.publisher(port=proxy.port)
            proxy.cut()
            self.report("PICKED_UP", "IN_TRANSIT")
            messages = self.outbound(bus)
            self.assertEqual(messages.mapped("state"), ["queued", "queued"])
            self.assertTrue(messages[0].error_message, "the failed attempt says why")
            bus.invalidate_recordset()
            self.assertGreaterEqual(bus.circuit_failures, 1)
            self.assertEqual(self.received(), [])

            proxy.start()  # the broker is back
            bus.write({"circuit_state": "closed", "circuit_failures": 0})
            messages.write({"next_attempt_at": False})
            self.env["queue.job"].search([("state", "=", "pending")]).eta = False
            self.run_jobs()
            self.report("DELIVERED")
        self.assertEqual(
            [body["code"] for _k, _p, body in self.received()],
            ["PICKED_UP", "IN_TRANSIT", "DELIVERED"],
        )
        self.assertEqual(self.outbound(bus).mapped("state"), ["done"] * 3)

    def test_exception_raised_is_published(self):
        self.publisher()
        exception_type = self.env["logistics.exception.type"].search(
            [("code", "=", "invalid_message")], limit=1
        )
        exception = self.env["logistics.exception"].create(
            {
                "name": "Dock closed",
                "exception_type_id": exception_type.id,
                "shipment_id": self.shipment.id,
            }
        )
        self.run_jobs()
        [(key, _properties, body)] = self.received()
        self.assertEqual(key, f"exception.invalid_message.{self.shipment.name}")
        self.assertEqual((body["exception_id"], body["summary"]), (exception.id, "Dock closed"))

    def test_other_environment_is_not_published(self):
        self.publisher(environment="sandbox")
        self.report("PICKED_UP")
        self.assertEqual(self.received(), [])

    def catalogue_schema(self, name):
        """A message schema of the published AsyncAPI document, resolvable."""
        document = self.url_open("/logistics/v1/asyncapi.json").json()
        self.assertEqual(document["asyncapi"], "3.0.0")
        schema = dict(document["components"]["schemas"][name])
        schema["components"] = document["components"]  # for its $refs
        return jsonschema.Draft202012Validator(schema)

    def test_what_is_published_matches_the_catalogue(self):
        self.publisher()
        self.report("PICKED_UP", "DELAYED")
        self.env["logistics.exception"].create(
            {
                "name": "Late",
                "exception_type_id": self.env.ref("logistics_canonical.exception_type_delayed").id,
                "shipment_id": self.shipment.id,
            }
        )
        self.run_jobs()
        got = self.received()
        kinds = {key.split(".")[0] for key, _p, _b in got}
        self.assertEqual(kinds, {"milestone", "exception"})
        validators = {kind: self.catalogue_schema(kind.title()) for kind in kinds}
        for key, _properties, body in got:
            validators[key.split(".")[0]].validate(body)

    def test_catalogue_references_resolve(self):
        document = self.url_open("/logistics/v1/asyncapi.json").json()
        self.assertIn(
            "asyncapi.json",
            self.url_open("/logistics/v1/openapi.json").json()["info"]["x-asyncapi"],
        )
        refs = []

        def walk(node):
            if isinstance(node, dict):
                if isinstance(node.get("$ref"), str):
                    refs.append(node["$ref"])
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(document)
        self.assertIn("#/components/schemas/Event", refs)
        for ref in refs:
            target = document
            for part in ref.removeprefix("#/").split("/"):
                self.assertIn(part, target, f"{ref} does not resolve")
                target = target[part]

    def test_routing_key_words_cannot_split_or_match(self):
        self.assertEqual(
            routing_key("milestone", "DELIVERED", "S.0*4#2"), "milestone.DELIVERED.S_0_4_2"
        )
        self.assertEqual(routing_key("exception", None, ""), "exception._._")
