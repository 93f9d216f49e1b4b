import json
from datetime import timedelta
from unittest.mock import patch

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.logistics_integration.lib.errors import TransientError

from .common_api import ApiCase


@tagged("post_install", "-at_install")
class TestPipeline(ApiCase):
    """Processing with real queue_job jobs: retries, dead letters, replay."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Message = cls.env["logistics.integration.message"]
        cls.integration_team = cls.env.ref("logistics_canonical.team_integration")

    def fail_apply(self, error, attempts):
        """Make the apply step raise ``error`` during a message's first ``attempts``
        attempts (whether the message is applied alone or with others)."""
        processor = self.registry["logistics.processor.event"]
        original = processor._apply_many

        def flaky(this, items):
            if any(message.attempts < attempts for message, _mapped in items):
                raise error
            return original(this, items)

        return patch.object(processor, "_apply_many", flaky)

    def make_due(self, message):
        message.next_attempt_at = fields.Datetime.now() - timedelta(
            hours=1
        )  # before the test transaction began
        self.env["queue.job"].search([("state", "=", "pending")]).eta = False

    def test_unmapped_code_fails_fast_then_replays_after_mapping(self):
        event = self.event(code=None, source_code="DE", code_list="x12_214_at7_status")
        del event["code"]
        message = self.message(self.post(event))
        self.run_jobs()
        self.assertEqual(
            (message.state, message.error_code, message.attempts), ("failed", "unmapped_code", 1)
        )
        exception = message.exception_ids
        self.assertEqual(exception.exception_type_id.code, "unmapped_code")
        self.assertEqual(exception.team_id, self.integration_team)
        self.assertIn("DE", exception.name)

        mapping = self.env.ref("logistics_canonical.code_x12_at7_status_de")
        mapping.milestone_code_id = self.env.ref("logistics_canonical.milestone_code_delayed")
        exception.action_replay_message()  # from the workbench
        self.run_jobs()
        self.assertEqual(message.state, "done")
        self.assertEqual(exception.state, "resolved", "success closes the loop")
        self.assertEqual(message.shipment_id.milestone_ids.code, "DELAYED")

    def test_transient_fault_retries_with_backoff_then_succeeds(self):
        message = self.message(self.post(self.event()))
        with self.fail_apply(TransientError("TMS timed out", code="timeout"), attempts=1):
            self.run_jobs()
            self.assertEqual(
                (message.state, message.attempts, message.error_code), ("queued", 1, "timeout")
            )
            self.assertGreater(message.next_attempt_at, fields.Datetime.now())
            retry = self.env["queue.job"].search(
                [("method_name", "=", "_drain"), ("state", "=", "pending")]
            )
            self.assertTrue(retry.eta, "a drain is scheduled for the retry time")
            self.assertFalse(message.exception_ids, "a transient fault raises no exception")
            self.make_due(message)
            self.run_jobs()
        self.assertEqual((message.state, message.attempts), ("done", 2))
        self.assertEqual(message.shipment_id.status, "in_transit")
        trace = json.loads(message.trace)
        self.assertEqual(
            [s["outcome"] for s in trace if s["attempt"] == 1][-2:], ["error", "queued"]
        )
        self.assertEqual(
            [s["step"] for s in trace if s["attempt"] == 2],
            ["decode", "map", "apply", "rules", "result"],
        )

    def test_serialization_failure_is_transient(self):
        message = self.message(self.post(self.event()))
        with self.fail_apply(
            psycopg2.errors.SerializationFailure("could not serialize access"), attempts=1
        ):
            self.run_jobs()
        self.assertEqual((message.state, message.error_code), ("queued", "SerializationFailure"))

    def test_dead_letter_after_retry_budget_then_replay(self):
        message = self.message(self.post(self.event()))
        with self.fail_apply(TransientError("partner down"), attempts=self.backend.max_attempts):
            for _attempt in range(self.backend.max_attempts):
                self.run_jobs()
                self.make_due(message)
        self.assertEqual((message.state, message.attempts), ("dead", 3))
        dead = message.exception_ids
        self.assertEqual(dead.exception_type_id.code, "dead_letter")
        self.assertEqual(dead.severity, "high")
        self.assertFalse(message.shipment_id.milestone_ids, "nothing half-applied")

        message.action_replay()
        self.assertEqual((message.state, message.attempts), ("queued", 0))
        self.run_jobs()
        self.assertEqual(message.state, "done")
        self.assertEqual(dead.state, "resolved")
        self.assertIn("replay", message.trace)

    def test_one_bad_message_never_fails_its_neighbours(self):
        events = [
            self.event(ref="N1"),
            self.event(ref="N2", code="NOT_A_CODE"),
            self.event(ref="N3"),
        ]
        results = self.post({"events": events}, path="/logistics/v1/events/batch").json()["results"]
        self.run_jobs()
        states = self.Message.browse([r["message_id"] for r in results]).mapped("state")
        self.assertEqual(states, ["done", "failed", "done"])

    def test_replay_needs_integration_rights(self):
        message = self.message(self.post(self.event(code="NOT_A_CODE")))
        self.run_jobs()
        self.assertEqual(message.state, "failed")
        for group in (
            "logistics_integration.group_logistics_user",
            "logistics_integration.group_logistics_manager",
        ):
            user = new_test_user(self.env, login=f"no_replay_{group[-7:]}", groups=group)
            with self.subTest(group=group), self.assertRaises(AccessError):
                message.with_user(user).action_replay()
        admin = new_test_user(
            self.env, login="replayer", groups="logistics_integration.group_integration_admin"
        )
        message.with_user(admin).action_replay()
        self.assertEqual(message.state, "queued")

    def test_replay_of_an_applied_message_changes_nothing(self):
        message = self.message(self.post(self.event()))
        self.run_jobs()
        message.action_replay()
        self.run_jobs()
        self.assertEqual(message.state, "done")
        self.assertEqual(len(message.shipment_id.milestone_ids), 1)

    def test_sandbox_backend_never_touches_production_shipments(self):
        self.run_jobs()
        production = self.message(self.post(self.event(ref="SHARED-1")))
        self.run_jobs()
        sandbox = self.env["logistics.backend"].create(
            {"name": "Sandbox", "code": "sbx", "environment": "sandbox"}
        )
        _record, key = self.env["logistics.backend.key"]._generate(sandbox)
        from_sandbox = self.message(
            self.post(self.event(ref="SHARED-1", code="DELIVERED"), key=key)
        )
        self.run_jobs()
        self.assertNotEqual(from_sandbox.shipment_id, production.shipment_id)
        self.assertEqual(from_sandbox.shipment_id.environment, "sandbox")
        self.assertEqual(production.shipment_id.status, "in_transit", "production data untouched")
        # even a reference pointing at production data does not let it through
        self.env["logistics.external.ref"]._bind(sandbox, production.shipment_id, "POINTED")
        forced = self.message(self.post(self.event(ref="POINTED", code="DELIVERED"), key=key))
        self.run_jobs()
        self.assertEqual((forced.state, forced.error_code), ("failed", "environment_mismatch"))
        self.assertEqual(production.shipment_id.status, "in_transit")

    def test_correction_retracts_the_earlier_event(self):
        wrong = self.message(self.post(self.event(code="DELIVERED", event_id="e-1")))
        self.run_jobs()
        self.assertEqual(wrong.shipment_id.status, "delivered")
        self.post(self.event(code="IN_TRANSIT", event_id="e-2", retracts_event_id="e-1"))
        self.run_jobs()
        self.assertEqual(wrong.shipment_id.status, "in_transit")

    def test_retraction_in_the_same_batch_and_only_of_own_events(self):
        events = [
            self.event(ref="RB-1", code="DELIVERED", event_id="r-1"),
            self.event(ref="RB-1", code="IN_TRANSIT", event_id="r-2", retracts_event_id="r-1"),
        ]
        results = self.post({"events": events}, path="/logistics/v1/events/batch").json()["results"]
        self.run_jobs()
        shipment = self.Message.browse(results[0]["message_id"]).shipment_id
        self.assertEqual(shipment.status, "in_transit", "the later event took back the earlier")

        other = self.backend.copy({"name": "Other source", "code": "other_source"})
        _record, key = self.env["logistics.backend.key"]._generate(other)
        self.env["logistics.external.ref"]._bind(other, shipment, "RB-1")
        self.post(self.event(ref="RB-1", code="DELIVERED", event_id="r-3"))
        self.run_jobs()
        self.post(self.event(ref="RB-1", code="IN_TRANSIT", retracts_event_id="r-3"), key=key)
        self.run_jobs()
        self.assertEqual(shipment.status, "delivered", "no source retracts another's event")

    def test_source_codes_map_through_the_backend_code_list(self):
        self.backend.code_scheme_id = self.env.ref("logistics_canonical.code_scheme_unece_rec24")
        message = self.message(
            self.post(
                {"shipment_ref": "UN-1", "source_code": "21", "event_time": "2024-05-01T10:00:00Z"}
            )
        )
        self.run_jobs()
        self.assertEqual(message.shipment_id.status, "delivered")
        self.assertEqual(message.shipment_id.milestone_ids.source_code, "21")

    def test_cron_requeues_a_lane_whose_job_was_lost(self):
        message = self.message(self.post(self.event()))
        self.env["queue.job"].search([("method_name", "=", "_drain")]).unlink()
        message.received_at = fields.Datetime.now() - timedelta(minutes=5)
        self.env["logistics.inbox"]._maintenance()
        self.run_jobs()
        self.assertEqual(message.state, "done")

    def test_cron_revives_a_drain_left_started_by_a_dead_worker(self):
        message = self.message(self.post(self.event()))
        job = self.env["queue.job"].search(
            [("method_name", "=", "_drain"), ("state", "=", "pending")]
        )
        job.write(
            {"state": "started", "date_started": fields.Datetime.now() - timedelta(minutes=10)}
        )
        self.env["queue.job"].requeue_stuck_jobs()  # queue_job's own stuck-job cron
        self.assertEqual(job.state, "pending", "its lane lock is free: nobody runs it")
        self.run_jobs()
        self.assertEqual(message.state, "done")
