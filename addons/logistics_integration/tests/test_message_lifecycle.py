import json
from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import TransactionCase, tagged

from ..lib.errors import PermanentError, TransientError


@tagged("post_install", "-at_install")
class TestMessageLifeCycle(TransactionCase):
    """The message owns its life cycle: one insert, one method per state."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backend = cls.env["logistics.backend"].create({"name": "Partner", "code": "partner"})
        cls.Message = cls.env["logistics.integration.message"]

    def row(self, key, **values):
        return {
            "backend_id": self.backend.id,
            "company_id": self.backend.company_id.id,
            "direction": "inbound",
            "idempotency_key": key,
            "payload": "{}",
            **values,
        }

    def insert(self, key, **values):
        [(message_id, _state, _duplicate)] = self.Message._insert([self.row(key, **values)])
        return self.Message.browse(message_id)

    def test_insert_is_idempotent_within_and_across_calls(self):
        results = self.Message._insert([self.row("a"), self.row("b"), self.row("a")])
        (first, _s1, dup1), (_second, _s2, dup2), (again, _s3, dup3) = results
        self.assertEqual((dup1, dup2, dup3), (False, False, True))
        self.assertEqual(first, again)
        [(later, state, duplicate)] = self.Message._insert([self.row("a", payload="other")])
        self.assertEqual((later, state, duplicate), (first, "queued", True))
        self.assertEqual(self.Message.browse(first).payload, "{}", "the first payload stays")

    def test_insert_refuses_what_is_no_stored_field(self):
        with self.assertRaisesRegex(ValueError, "trace_html"):
            self.Message._insert([self.row("c", trace_html="<b/>")])

    def test_latency_is_measured_on_one_clock_and_never_negative(self):
        message = self.insert("d")
        # received now (the transaction's start, to the microsecond): done a moment later
        message._mark_done([{"step": "result", "outcome": "done"}])
        self.assertEqual(message.state, "done")
        self.assertGreaterEqual(message.processed_at, message.received_at)
        self.assertGreaterEqual(message.duration_ms, 0)
        self.assertAlmostEqual(
            message.duration_ms,
            (message.processed_at - message.received_at).total_seconds() * 1000,
            delta=1,
        )
        self.assertEqual(json.loads(message.trace)[-1]["outcome"], "done")

    def test_retry_then_dead_letter_then_replay(self):
        message = self.insert("e")
        message._mark_retry(TransientError("timeout", code="timeout"), 30, [{"step": "apply"}])
        self.assertEqual(
            (message.state, message.attempts, message.error_code), ("queued", 1, "timeout")
        )
        self.assertGreater(message.next_attempt_at, fields.Datetime.now())
        self.assertFalse(message.processed_at)
        message._mark_dead(TransientError("timeout again", code="timeout"), [{"step": "apply"}])
        self.assertEqual((message.state, message.attempts), ("dead", 2))
        self.assertGreaterEqual(message.duration_ms, 0)
        message.action_replay()
        self.assertEqual(
            (message.state, message.attempts, message.error_code), ("queued", 0, False)
        )
        self.assertEqual(
            [step["step"] for step in json.loads(message.trace)], ["apply", "apply", "replay"]
        )

    def test_failed_fast_keeps_the_reason(self):
        message = self.insert("f")
        message._mark_failed(PermanentError("bad code", code="unknown_code"), [])
        self.assertEqual(
            (message.state, message.error_code, message.error_message),
            ("failed", "unknown_code", "bad code"),
        )

    def test_retention_purges_payloads_of_old_done_messages_only(self):
        old_done, old_failed, new_done = self.insert("g"), self.insert("h"), self.insert("i")
        for message in (old_done, new_done):
            message._mark_done([])
        old_failed._mark_failed(PermanentError("no"), [])
        (old_done | old_failed).processed_at = fields.Datetime.now() - timedelta(days=40)
        self.assertEqual(self.Message._purge_payloads(), 0, "no retention set: keep everything")
        self.env["ir.config_parameter"].set_param("logistics.payload_retention_days", "30")
        self.assertEqual(self.Message._purge_payloads(), 1)
        self.assertFalse(old_done.payload)
        self.assertTrue(old_done.payload_purged_at and old_done.trace)
        self.assertEqual((old_failed.payload, new_done.payload), ("{}", "{}"))


@tagged("post_install", "-at_install")
class TestSettingsAndNeutralize(TransactionCase):
    def test_settings_give_new_backends_their_defaults(self):
        settings = self.env["res.config.settings"].create(
            {
                "logistics_default_environment": "test",
                "logistics_default_max_attempts": 7,
                "logistics_default_retry_pattern": "1:5,2:50",
                "logistics_payload_retention_days": 90,
            }
        )
        settings.execute()
        backend = self.env["logistics.backend"].create({"name": "New", "code": "new"})
        self.assertEqual(
            (backend.environment, backend.max_attempts, backend.retry_pattern),
            ("test", 7, "1:5,2:50"),
        )
        self.assertEqual(
            self.env["ir.config_parameter"].get_param("logistics.payload_retention_days"), "90"
        )

    def test_a_bad_default_retry_pattern_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "retry pattern"):
            self.env["res.config.settings"].create({"logistics_default_retry_pattern": "soon"})

    def test_a_neutralized_copy_calls_no_partner(self):
        webhook = self.env["logistics.backend"].create(
            {
                "name": "Hook",
                "code": "hook",
                "adapter": "webhook",
                "environment": "production",
                "base_url": "https://partner.example.com/hook",
            }
        )
        client = self.env["logistics.backend"].create(
            {"name": "Client", "code": "client2", "environment": "production"}
        )
        self.env["logistics.outbox"]._enqueue(webhook, "note", {"a": 1}, "n-1")
        deliveries = self.env["queue.job"].search([("method_name", "=", "_deliver")])
        self.assertTrue(deliveries)
        self.env.flush_all()
        for query in get_neutralization_queries(["logistics_integration"]):
            self.env.cr.execute(query)
        self.env.invalidate_all()
        self.assertEqual((webhook.active, webhook.environment), (False, "sandbox"))
        self.assertEqual((client.active, client.environment), (True, "sandbox"))
        self.assertEqual(set(deliveries.mapped("state")), {"cancelled"})
        self.assertEqual(
            self.env["logistics.outbox"]._deliver(webhook.id), "backend archived: its messages wait"
        )
