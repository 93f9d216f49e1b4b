import json
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.logistics_integration.lib import signature

from .common_api import ApiCase
from .sandbox_server import SandboxServer


@tagged("post_install", "-at_install")
class TestOutbox(ApiCase):
    """Deliveries to a real HTTP server on loopback that fails on purpose."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Subscriber Co", "email": "ops@subscriber.test"}
        )
        cls.shipment = cls.env["logistics.shipment"].create({"customer_id": cls.customer.id})
        cls.env["logistics.external.ref"]._bind(cls.backend, cls.shipment, "SUB-1")

    def subscribe(self, url, **vals):
        return self.env["logistics.backend"].create(
            {
                "name": "Subscriber webhook",
                "code": "subscriber_hook",
                "adapter": "webhook",
                "environment": "production",
                "partner_id": self.customer.id,
                "base_url": url,
                "signing_secret": "hook-secret",
                "circuit_threshold": 2,
                "circuit_cooldown": 60,
                **vals,
            }
        )

    def send_events(self, codes, correlation_id=None):
        headers = {"X-Correlation-ID": correlation_id} if correlation_id else {}
        for hour, code in enumerate(codes):
            response = self.post(
                self.event(ref="SUB-1", code=code, when=f"2024-05-01T{10 + hour}:00:00Z"),
                headers=headers,
            )
            self.assertEqual(response.status_code, 202, response.text)
        self.run_jobs()

    def retry_now(self, hook):
        """Let the next retry happen now instead of after its backoff."""
        self.outbound(hook).next_attempt_at = False
        self.env["queue.job"].search([("state", "=", "pending")]).eta = False
        self.run_jobs()

    def outbound(self, hook):
        return self.env["logistics.integration.message"].search(
            [("backend_id", "=", hook.id), ("direction", "=", "outbound")], order="id"
        )

    def test_subscriber_receives_signed_events_with_the_correlation_id(self):
        with SandboxServer() as server:
            hook = self.subscribe(server.url)
            self.send_events(["PICKED_UP"], correlation_id="corr-out-1")
            self.assertEqual(len(server.requests), 1)
            request = server.requests[0]
            signature.verify(request["headers"][signature.HEADER], request["body"], ["hook-secret"])
            self.assertEqual(request["headers"]["X-Correlation-ID"], "corr-out-1")
            event = json.loads(request["body"])
            self.assertEqual(
                (event["shipment_ref"], event["code"]), (self.shipment.name, "PICKED_UP")
            )
            message = self.outbound(hook)
            self.assertEqual((message.state, message.response_status), ("done", 200))
            self.assertEqual(message.parent_id.correlation_id, "corr-out-1")

    def test_subscription_filters_by_milestone(self):
        with SandboxServer() as server:
            self.subscribe(
                server.url,
                subscribed_code_ids=[
                    (6, 0, self.env.ref("logistics_canonical.milestone_code_delivered").ids)
                ],
            )
            self.send_events(["PICKED_UP", "DELIVERED"])
            self.assertEqual(
                [json.loads(body)["code"] for body in server.delivered()], ["DELIVERED"]
            )

    def test_circuit_opens_messages_wait_and_order_is_kept(self):
        with SandboxServer() as server:
            hook = self.subscribe(server.url)
            server.fail_next(2)
            self.send_events(["PICKED_UP", "IN_TRANSIT", "DELIVERED"])
            self.assertEqual((hook.circuit_state, hook.circuit_failures), ("closed", 1))
            self.retry_now(hook)  # the second consecutive failure opens the circuit
            self.assertEqual(hook.circuit_state, "open")
            queued = self.outbound(hook)
            self.assertEqual(
                queued.mapped("state"), ["queued"] * 3, "nothing is dropped while open"
            )
            waiting = self.env["queue.job"].search(
                [("method_name", "=", "_deliver"), ("state", "=", "pending")]
            )
            self.assertTrue(
                waiting and all(waiting.mapped("eta")), "a probe is scheduled after the cool-down"
            )
            attempts_while_open = len(server.requests)
            self.run_jobs()
            self.assertEqual(
                len(server.requests), attempts_while_open, "an open circuit sends nothing"
            )

            # the cool-down passes: a half-open probe succeeds and the circuit closes
            hook.circuit_opened_at = fields.Datetime.now() - timedelta(seconds=61)
            self.retry_now(hook)
            self.assertEqual(hook.circuit_state, "closed")
            self.assertEqual(queued.mapped("state"), ["done"] * 3)
            codes = [json.loads(body)["code"] for body in server.delivered()]
            self.assertEqual(
                codes, ["PICKED_UP", "IN_TRANSIT", "DELIVERED"], "order kept across the outage"
            )

    def test_failed_probe_reopens_the_circuit(self):
        with SandboxServer() as server:
            hook = self.subscribe(server.url, circuit_threshold=1)
            server.fail_next(2)
            self.send_events(["PICKED_UP"])
            self.assertEqual(hook.circuit_state, "open")
            hook.circuit_opened_at = fields.Datetime.now() - timedelta(seconds=61)
            self.retry_now(hook)
            self.assertEqual(hook.circuit_state, "open", "the probe failed")
            self.assertEqual(self.outbound(hook).state, "queued")

    def test_rejected_delivery_fails_alone(self):
        with SandboxServer() as server:
            hook = self.subscribe(server.url)
            server.fail_next(1, status=400)
            self.send_events(["PICKED_UP", "IN_TRANSIT"])
            first, second = self.outbound(hook)
            self.assertEqual((first.state, first.error_code), ("failed", "http_400"))
            self.assertTrue(first.exception_ids)
            self.assertEqual(second.state, "done")
            self.assertEqual(hook.circuit_state, "closed", "a 4xx means the destination is up")

    def test_unreachable_destination_is_transient(self):
        with SandboxServer() as server:
            url = server.url
        hook = self.subscribe(url)  # the server is gone: connection refused
        self.send_events(["PICKED_UP"])
        message = self.outbound(hook)
        self.assertEqual((message.state, message.error_code), ("queued", "unreachable"))
        self.assertEqual(hook.circuit_failures, 1)

    def test_customer_mail_is_sent_once(self):
        template = self.env.ref("logistics_canonical.mail_template_shipment_delivered")
        self.env["logistics.notification.rule"].create(
            {
                "name": "Delivered",
                "partner_id": self.customer.id,
                "milestone_code_ids": [
                    (6, 0, self.env.ref("logistics_canonical.milestone_code_delivered").ids)
                ],
                "template_id": template.id,
            }
        )
        Mail = self.env["mail.mail"]
        before = Mail.search_count([("recipient_ids", "in", self.customer.ids)])
        self.send_events(["PICKED_UP", "DELIVERED"])
        delivered = self.shipment.milestone_ids.filtered(lambda m: m.code == "DELIVERED")
        self.assertEqual(
            Mail.search_count([("recipient_ids", "in", self.customer.ids)]), before + 1
        )
        # the same delivery reported again, and the message replayed: no second mail
        self.post(
            self.event(ref="SUB-1", code="DELIVERED", when="2024-05-01T11:00:00Z"),
            headers={"Idempotency-Key": "again"},
        )
        delivered.message_id.action_replay()
        self.run_jobs()
        self.assertEqual(
            Mail.search_count([("recipient_ids", "in", self.customer.ids)]), before + 1
        )

    def test_sandbox_shipments_never_mail_customers(self):
        self.shipment.environment = "sandbox"
        self.env["logistics.notification.rule"].create(
            {
                "name": "Everything",
                "milestone_code_ids": [(6, 0, self.env["logistics.milestone.code"].search([]).ids)],
                "template_id": self.env.ref(
                    "logistics_canonical.mail_template_shipment_delivered"
                ).id,
            }
        )
        self.env["logistics.milestone"].create(
            {
                "shipment_id": self.shipment.id,
                "event_time": "2024-05-01 10:00:00",
                "milestone_code_id": self.env.ref(
                    "logistics_canonical.milestone_code_delivered"
                ).id,
            }
        )
        self.assertFalse(
            self.env["logistics.integration.message"].search(
                [("message_type", "=", "notification"), ("shipment_id", "=", self.shipment.id)]
            )
        )
