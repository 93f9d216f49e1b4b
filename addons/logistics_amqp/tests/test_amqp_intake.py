"""What the consumer hands to the door: good messages stored and processed
once, poison refused with a reason the dead-letter header and the integration
log both show. (The consumer process itself, with a real broker, acks and
dead-lettering, is tested end to end in tests/test_amqp_e2e.py.)"""

import json

import pika

from odoo.tests import tagged

from odoo.addons.logistics_canonical.tests.common_api import ApiCase

from ..lib.amqp import Delivery


def delivery(body, tag=1, **properties):
    properties.setdefault("content_type", "application/json")
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Delivery(tag, raw, pika.BasicProperties(**properties))


@tagged("post_install", "-at_install")
class TestAmqpIntake(ApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backend.write(
            {
                "amqp_consume": True,
                "amqp_url": "amqp://127.0.0.1:5672/%2F",
                "amqp_queue": "logistics.test.inbound",
            }
        )

    def receive(self, *deliveries):
        return self.env["logistics.amqp.intake"]._receive_deliveries(self.backend, deliveries)

    def message(self, verdict):
        return self.env["logistics.integration.message"].browse(verdict.message_id)

    def test_events_are_stored_through_the_door_and_processed_once(self):
        event = self.event(ref="Q-1", code="PICKED_UP", when="2024-05-01T10:00:00Z")
        first, again = self.receive(
            delivery(event, 1, message_id="evt-1", correlation_id="corr-q-1"),
            delivery(event, 2, message_id="evt-1"),  # redelivered after a crash
        )
        self.assertEqual((first.refusal, again.refusal), ("", ""))
        self.assertEqual(first.message_id, again.message_id, "a redelivery is the same message")
        message = self.message(first)
        self.assertEqual(
            (message.idempotency_key, message.correlation_id, message.channel),
            ("evt-1", "corr-q-1", "realtime"),
        )
        self.run_jobs()
        self.assertEqual(message.state, "done")
        self.assertEqual(len(message.shipment_id.milestone_ids), 1)

    def test_type_property_chooses_the_processor(self):
        [verdict] = self.receive(delivery({"order_ref": "O-1"}, type="no_such_type"))
        self.assertIn("no processor for 'no_such_type'", verdict.refusal)
        self.assertEqual(self.message(verdict).state, "rejected")

    def test_poison_is_refused_with_a_reason_and_kept_visibly(self):
        verdicts = self.receive(
            delivery(b'{"shipment_ref": "Q-2", "code": ', 1),
            delivery({"shipment_ref": "Q-2", "code": "PICKED_UP"}, 2),
            delivery(b"\xff\xfe not utf-8", 3),
            delivery(b"<event/>", 4, content_type="application/xml"),
            delivery(self.event(ref="Q-2"), 5),
        )
        refusals = [verdict.refusal for verdict in verdicts]
        self.assertIn("not JSON", refusals[0])
        self.assertIn("event_time", refusals[1])
        self.assertIn("not UTF-8", refusals[2])
        self.assertIn("application/xml", refusals[3])
        self.assertEqual(refusals[4], "", "one bad message never holds back the good ones")
        for verdict in verdicts[:4]:
            message = self.message(verdict)
            self.assertEqual(message.state, "rejected")
            self.assertTrue(message.exception_ids, "the integration log shows it to a person")
        self.assertEqual(self.message(verdicts[4]).state, "queued")

    def test_settings_are_checked(self):
        with self.assertRaisesRegex(Exception, "which queue"):
            self.backend.write({"amqp_queue": False})
        with self.assertRaisesRegex(Exception, "amqp://"):
            self.backend.write({"amqp_url": "http://broker"})
        with self.assertRaisesRegex(Exception, "letters, digits"):
            self.backend.write({"amqp_queue": "in bound"})
