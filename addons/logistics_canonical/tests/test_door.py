from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from odoo.addons.logistics_integration.tests.common import (
    assert_durable_before_scheduled,
    watch_door,
)

from .common_api import ApiCase


@tagged("post_install", "-at_install")
class TestApiThroughTheDoor(ApiCase):
    """The API's routes accept through the one door: stored and committed
    before a drain is scheduled, then applied once however often it is sent."""

    def test_single_event_is_durable_before_it_is_scheduled_and_applied_once(self):
        event = self.event(ref="DOOR-1", code="PICKED_UP")
        with watch_door(self.env) as events:
            response = self.post(event)
        self.assertEqual(response.status_code, 202, response.text)
        message = self.message(response)
        assert_durable_before_scheduled(self, events, message.id)
        self.run_jobs()
        again = self.post(event, headers={"Idempotency-Key": "another-key-same-event"})
        self.assertEqual(again.status_code, 202, "a new key is a new message...")
        self.run_jobs()
        shipment = message.shipment_id
        self.assertEqual((message.state, message.attempts), ("done", 1))
        self.assertEqual(len(shipment.milestone_ids.filtered(lambda m: not m.is_duplicate)), 1)
        self.assertEqual(self.post(event).status_code, 200, "...the same key a duplicate")

    def test_batch_is_durable_before_it_is_scheduled_and_applied_once(self):
        events_in = [self.event(ref=f"DOOR-B{n}", code="PICKED_UP") for n in range(3)]
        with watch_door(self.env) as events:
            response = self.post({"events": events_in}, path="/logistics/v1/events/batch")
        results = response.json()["results"]
        self.assertEqual([r["status"] for r in results], [202, 202, 202])
        for result in results:
            assert_durable_before_scheduled(self, events, result["message_id"])
        self.run_jobs()
        resent = self.post({"events": events_in}, path="/logistics/v1/events/batch").json()
        self.assertEqual([r["status"] for r in resent["results"]], [200, 200, 200])
        self.run_jobs()
        messages = self.env["logistics.integration.message"].browse(
            [result["message_id"] for result in results]
        )
        self.assertEqual(messages.mapped("state"), ["done"] * 3)
        self.assertEqual(len(messages.shipment_id), 3)
        self.assertEqual(len(messages.shipment_id.milestone_ids), 3)

    def test_scheduling_that_fails_after_the_commit_still_accepts(self):
        """The door commits, then schedules: if scheduling breaks, the event is
        still stored (a rollback cannot take it back) and answered 202, and
        the maintenance cron drains its lane."""
        Inbox = self.registry["logistics.inbox"]
        with patch.object(Inbox, "_ensure_drain", side_effect=RuntimeError("queue down")):
            response = self.post(self.event(ref="DOOR-2"))
        self.assertEqual(response.status_code, 202, response.text)
        message = self.message(response)
        self.assertEqual(message.state, "queued")
        self.assertFalse(self.env["queue.job"].search([("method_name", "=", "_drain")]))
        message.received_at = fields.Datetime.now() - timedelta(minutes=5)
        self.env["logistics.inbox"]._maintenance()
        self.run_jobs()
        self.assertEqual(message.state, "done")

    def test_refused_events_of_a_batch_are_kept_and_named(self):
        good, bad = self.event(ref="DOOR-3"), {"shipment_ref": "DOOR-3", "code": "PICKED_UP"}
        response = self.post({"events": [good, bad]}, path="/logistics/v1/events/batch")
        ok, refused = response.json()["results"]
        self.assertEqual((ok["status"], refused["status"]), (202, 422))
        kept = self.env["logistics.integration.message"].browse(refused["message_id"])
        self.assertEqual((kept.state, kept.error_code), ("rejected", "validation_failed"))
        self.assertIn("event_time", kept.error_message)
