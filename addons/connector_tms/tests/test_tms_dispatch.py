"""Dispatch, stops, POD and costs from the sandbox TMS's signed webhooks."""

import json

from odoo.addons.logistics_integration.lib import signature
from odoo.addons.logistics_integration.tests.common import (
    assert_durable_before_scheduled,
    watch_door,
)

from .common import SECRET, TmsCase

# after the tender answer (recorded now), the load's life two days ago
LIFE = [
    "DISPATCHED",
    "ARRIVED_PICKUP",
    "PICKED_UP",
    "IN_TRANSIT",
    "ARRIVED_DELIVERY",
    "DELIVERED",
    "POD_RECEIVED",
]


class TestTmsDispatch(TmsCase):
    def hook(self, body, sign=True, content_type="application/json", secret=SECRET):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": content_type}
        if sign:
            headers[signature.HEADER] = signature.sign(secret, data)
        return self.url_open(f"/logistics/v1/tms/{self.code}/webhook", data=data, headers=headers)

    def test_a_loads_whole_life_lands_on_its_shipment(self):
        order = self.tendered()
        shipment = order.logistics_shipment_ids
        events = self.sandbox.lifecycle(order.name)
        self.assertTrue(all(status == 202 for status, _id in self.sandbox.pushed[1:]))
        self.run_jobs()
        self.assertEqual(self.codes(shipment), [*LIFE, "TENDER_ACCEPTED"])
        self.assertEqual(shipment.status, "delivered")
        self.assertEqual(shipment.driver_name, "Maria Lopez")
        self.assertEqual(shipment.vehicle, "IL 4829137")
        stops = shipment.stop_ids.sorted("sequence")
        self.assertTrue(stops[0].actual_arrival and stops[0].actual_departure)
        self.assertTrue(stops[1].actual_arrival)
        # the POD is fetched from the TMS and attached; POD_RECEIVED at the TMS's time
        pod = self.env["ir.attachment"].search(
            [("res_model", "=", "logistics.shipment"), ("res_id", "=", shipment.id)]
        )
        self.assertEqual(pod.mimetype, "application/pdf")
        self.assertTrue(pod.raw.startswith(b"%PDF"))
        # costs become freight charges, once, whatever the dialect calls them
        charges = {c.charge_type: c.amount for c in shipment.charge_ids}
        self.assertEqual(charges, {"linehaul": 1250.0, "fuel": 187.5, "detention": 75.0})
        self.assertEqual(set(shipment.charge_ids.mapped("source")), {"tms"})
        # every event was stored once, keyed by the TMS's event id
        stored = self.messages(message_type="tms_event")
        self.assertEqual(len(stored), len(events) + 1)  # and the tender answer
        self.assertEqual(set(stored.mapped("state")), {"done"})
        # the TMS sends it all again: nothing changes
        for event in events:
            self.assertEqual(self.sandbox.push(event), 200)
        self.run_jobs()
        self.assertEqual(self.codes(shipment), [*LIFE, "TENDER_ACCEPTED"])
        self.assertEqual(len(shipment.charge_ids), 3)

    def test_new_amount_replaces_a_charge_not_validated(self):
        order = self.tendered()
        shipment = order.logistics_shipment_ids
        self.sandbox.emit(order.name, "charges", charges=[("LINEHAUL", 1000, "USD")])
        self.run_jobs()
        shipment.charge_ids.validation_state = "valid"
        self.sandbox.emit(order.name, "charges", charges=[("LINEHAUL", 1000, "USD")])
        self.sandbox.emit(order.name, "charges", charges=[("FUEL", 90, "USD")])
        self.sandbox.emit(order.name, "charges", charges=[("FUEL", 95.5, "USD")])
        self.run_jobs()
        amounts = sorted(shipment.charge_ids.mapped("amount"))
        self.assertEqual(amounts, [95.5, 1000.0])

    def test_webhook_is_durable_before_it_is_scheduled(self):
        order = self.tendered()
        self.sandbox.hub_url = None  # recorded, not pushed: we push it ourselves
        event = self.sandbox.emit(order.name, "in_transit")
        body = {"events": [event.body]} if self.dialect == "nested" else [event.body]
        with watch_door(self.env) as door:
            response = self.hook(body)
        self.assertEqual(response.status_code, 202, response.text)
        message_id = response.json()["results"][0]["message_id"]
        assert_durable_before_scheduled(self, door, message_id)

    def test_unsigned_or_forged_webhooks_are_refused_and_store_nothing(self):
        before = len(self.messages())
        self.assertEqual(self.hook({"events": []}, sign=False).status_code, 401)
        self.assertEqual(self.hook({"events": []}, secret="not-the-secret").status_code, 401)
        self.assertEqual(len(self.messages()), before)

    def test_malformed_webhooks_get_a_clear_4xx_and_are_kept(self):
        response = self.hook(b"{not json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"]["code"], "invalid_json")
        response = self.hook(b"<xml/>", content_type="application/xml")
        self.assertEqual(response.status_code, 415)
        response = self.hook({"something": "else"} if self.dialect == "nested" else [])
        self.assertEqual(response.status_code, 422)
        # an event the TMS's own schema refuses: named, kept as rejected
        broken = {"events": [{"id": "e1", "type": "load.in_transit"}]}
        if self.dialect == "flat":
            broken = [{"evt_id": "1", "evt": "IT"}]
        response = self.hook(broken)
        self.assertEqual(response.status_code, 422, response.text)
        self.assertIn("required", response.json()["error"]["fields"][0]["message"])
        # kept for the admin: the bad JSON, the XML, the body without events, the broken event
        self.assertEqual(len(self.messages(state="rejected")), 4)

    def test_unmapped_code_waits_for_a_mapping_and_a_replay(self):
        order = self.tendered()
        shipment = order.logistics_shipment_ids
        self.sandbox.hub_url = None
        event = self.sandbox.emit(order.name, "in_transit")
        scheme = "routemaster_event" if self.dialect == "nested" else "flatline_status"
        body = json.loads(json.dumps(event.body))
        if self.dialect == "nested":
            body["type"], code = "load.border_crossing", "load.border_crossing"
            payload = {"events": [body]}
        else:
            body["evt"], code = "BX", "BX"
            payload = [body]
        self.assertEqual(self.hook(payload).status_code, 202)
        self.run_jobs()
        message = self.messages(message_type="tms_event").sorted("id")[-1]
        self.assertEqual(message.state, "failed")
        self.assertEqual(message.error_code, "unmapped_code")
        issue = message.exception_ids
        self.assertEqual(issue.exception_type_id.code, "unmapped_code")
        # the code is in the table now, unmapped, for an admin to map
        row = self.env["logistics.code.mapping"]._resolve(scheme, code, self.tms)
        self.assertTrue(row)
        self.assertFalse(row.milestone_code_id)
        row.milestone_code_id = self.env["logistics.milestone.code"]._by_code("IN_TRANSIT")
        message.action_replay()
        self.run_jobs()
        self.assertEqual(message.state, "done")
        self.assertIn("IN_TRANSIT", self.codes(shipment))

    def test_replay_reads_with_the_version_chosen(self):
        order = self.tendered()
        shipment = order.logistics_shipment_ids
        self.sandbox.emit(order.name, "dispatched")
        self.run_jobs()
        message = self.messages(message_type="tms_event").sorted("id")[-1]
        template = self.tms.tms_template_id
        first = template.version_id
        self.assertEqual(message.tms_version_id, first)
        # version 2 reads the driver's last name only
        spec = json.loads(template.body)
        driver = "drv_last" if self.dialect == "flat" else "driver.lastName"
        spec["inbound"]["fields"]["driver"] = driver
        template.write({"body": json.dumps(spec), "change_note": "last names only"})
        second = template.version_id
        self.assertNotEqual(second, first)
        wizard = self.env["logistics.tms.replay"].with_context(active_ids=message.ids).create({})
        self.assertEqual(wizard.version_id, second)  # today's by default
        wizard.action_replay()
        self.run_jobs()
        self.assertEqual((message.state, message.tms_version_id), ("done", second))
        self.assertEqual(shipment.driver_name, "Lopez")
        # replayed with version 1 (an older reading reproduced)
        wizard = (
            self.env["logistics.tms.replay"]
            .with_context(active_ids=message.ids)
            .create({"version_id": first.id})
        )
        wizard.action_replay()
        self.run_jobs()
        self.assertEqual(message.tms_version_id, first)
        self.assertTrue(message.tms_version_pinned)
        self.assertEqual(shipment.driver_name, "Maria Lopez")
        # a plain replay reads with today's version again
        message.action_replay()
        self.run_jobs()
        self.assertEqual(message.tms_version_id, second)
        self.assertEqual(shipment.driver_name, "Lopez")


class TestTmsDispatchFlat(TestTmsDispatch):
    allow_inherited_tests_method = True
    dialect = "flat"
