from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from odoo.addons.logistics_integration.lib.registry import AmbiguousRegistration
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

    def test_the_first_event_carries_the_shipment_header(self):
        customer = self.env["res.partner"].create({"name": "Header Foods", "ref": "HDR"})
        carrier = self.env["res.partner"].create(
            {"name": "Header Lines", "is_logistics_carrier": True, "logistics_scac": "HDRL"}
        )
        dock = self.env["res.partner"].create({"name": "Dallas DC", "city": "Dallas"})
        header = {
            "customer_code": "HDR",
            "customer_ref": "PO-77",
            "carrier_scac": "HDRL",
            "origin": {"name": "Chicago DC", "city": "Chicago", "country": "US"},
            "destination": {"name": "Dallas DC", "city": "Dallas", "country": "US"},
        }
        message = self.message(self.post(self.event(ref="HDR-1", shipment=header)))
        self.run_jobs()
        shipment = message.shipment_id
        self.assertEqual((shipment.customer_id, shipment.carrier_id), (customer, carrier))
        self.assertEqual(shipment.destination_id, dock, "a known facility is found")
        self.assertEqual(
            (shipment.origin_id.name, shipment.origin_id.country_id.code), ("Chicago DC", "US")
        )
        self.assertEqual(
            (shipment.lane, shipment.customer_reference), ("Chicago → Dallas", "PO-77")
        )


@tagged("post_install", "-at_install")
class TestStrictAdapterRegistry(ApiCase):
    def test_two_adapters_for_one_backend_adapter_are_an_error(self):
        Adapter = self.env["logistics.outbound.adapter"]
        table = Adapter._claim_table()
        self.assertEqual(table["webhook"], "logistics.outbound.adapter.webhook")
        self.assertEqual(table["mail"], "logistics.outbound.adapter.mail")
        mail = self.registry["logistics.outbound.adapter.mail"]
        with (
            patch.object(mail, "_adapter_key", "webhook"),
            self.assertRaisesRegex(AmbiguousRegistration, "'webhook' is claimed by both"),
        ):
            Adapter._claim_table()
