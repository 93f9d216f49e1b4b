"""Carrier webhooks over real HTTP into the test server, through the door."""

import json
from datetime import timedelta, timezone

from odoo.tests import new_test_user

from ..lib import webhook_signature
from .common import SECRET, CarrierCase

HOOK = "/logistics/v1/carriers/test_parcel/webhook"


class TestCarrierWebhook(CarrierCase):
    def hook(self, body, headers=None, sign=True, content_type="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        all_headers = {"Content-Type": content_type, **(headers or {})}
        if sign:
            signature = webhook_signature.sign("hmac_base64", data, SECRET)["signature"]
            all_headers["X-Carrier-Signature"] = signature
        return self.url_open(HOOK, data=data, headers=all_headers)

    def messages(self, **extra):
        domain = [("backend_id", "=", self.carrier.id)]
        domain += [(key, "=", value) for key, value in extra.items()]
        return self.env["logistics.integration.message"].search(domain)

    def test_signed_webhook_is_stored_raw_and_applied_once(self):
        self.parcel("PKW1", ("PU", 10), ("DF", 2, "REFUSED"))
        response = self.sandbox.webhook(self.base_url() + HOOK, "PKW1", "hmac_base64", SECRET)
        self.assertEqual(response.status_code, 202, response.text)
        [result] = response.json()["results"]
        message = self.env["logistics.integration.message"].browse(result["message_id"])
        self.assertEqual(json.loads(message.payload)["data"]["tracking_number"], "PKW1")
        self.run_jobs()
        self.assertEqual(message.state, "done")
        shipment = message.shipment_id
        self.assertEqual(self.codes(shipment), ["PICKED_UP", "REFUSED"])
        refused = shipment.milestone_ids.filtered(lambda m: m.code == "REFUSED")
        self.assertEqual(refused.source_code, "DF")
        self.assertEqual(refused.reason_code, "consignee_refused")
        # the carrier delivers the same webhook again: a duplicate, nothing more
        again = self.sandbox.webhook(self.base_url() + HOOK, "PKW1", "hmac_base64", SECRET)
        self.assertEqual(again.status_code, 200)
        self.assertTrue(again.json()["results"][0]["duplicate"])
        self.run_jobs()
        self.assertEqual(len(shipment.milestone_ids), 2)

    def test_one_webhook_with_two_updates_of_a_number(self):
        at = self.at(3).isoformat()
        later = self.at(1).isoformat()
        body = {
            "data": [
                {"tracking_number": "PKW7", "events": [{"id": "e1", "code": "PU", "time": at}]},
                {"tracking_number": "PKW7", "events": [{"id": "e2", "code": "IT", "time": later}]},
            ]
        }
        response = self.hook(body)
        self.assertEqual(response.status_code, 202)
        self.assertEqual(len(response.json()["results"]), 2)
        self.run_jobs()
        [tracking] = self.env["logistics.carrier.tracking"].search([("number", "=", "PKW7")])
        self.assertEqual(self.codes(tracking.shipment_id), ["PICKED_UP", "IN_TRANSIT"])

    def test_a_new_eta_without_a_scan_reaches_the_shipment(self):
        eta = self.at(-30).replace(microsecond=0)
        body = {
            "data": {
                "tracking_number": "PKW8",
                "estimated_delivery": eta.isoformat(),
                "events": [{"id": "e1", "code": "PU", "time": self.at(3).isoformat()}],
            }
        }
        self.assertEqual(self.hook(body).status_code, 202)
        body["data"]["estimated_delivery"] = (eta + timedelta(hours=5)).isoformat()
        self.assertEqual(self.hook(body).status_code, 202)
        self.run_jobs()
        [tracking] = self.env["logistics.carrier.tracking"].search([("number", "=", "PKW8")])
        shipment = tracking.shipment_id
        self.assertEqual(self.codes(shipment), ["PICKED_UP", "ETA_UPDATED"])
        expected = (eta + timedelta(hours=5)).astimezone(timezone.utc).replace(tzinfo=None)
        self.assertEqual(shipment.eta, expected)

    def test_forged_and_unsigned_webhooks_are_refused(self):
        body = {"data": {"tracking_number": "PKW2", "events": []}}
        forged = self.hook(body, {"X-Carrier-Signature": "AAAA"}, sign=False)
        self.assertEqual(forged.status_code, 401)
        self.assertEqual(forged.json()["error"]["code"], "invalid_signature")
        unsigned = self.hook(body, sign=False)
        self.assertEqual(unsigned.status_code, 401)
        self.assertFalse(self.messages(), "nothing unauthenticated is stored")
        unknown = self.url_open("/logistics/v1/carriers/nobody/webhook", data=b"{}")
        self.assertEqual(unknown.status_code, 404)

    def test_standard_webhooks_replay_outside_the_window_is_refused(self):
        self.carrier.carrier_webhook_scheme = "standard_webhooks"
        body = json.dumps({"data": {"tracking_number": "PKW3", "events": []}}).encode()
        old = webhook_signature.sign(
            "standard_webhooks", body, SECRET, webhook_id="m1", timestamp=1000
        )
        response = self.hook(body, {**old, "Content-Type": "application/json"}, sign=False)
        self.assertEqual(response.status_code, 401)
        self.assertIn("tolerance", response.json()["error"]["message"])
        fresh = webhook_signature.sign("standard_webhooks", body, SECRET, webhook_id="m2")
        self.assertEqual(self.hook(body, fresh, sign=False).status_code, 202)
        self.assertEqual(self.hook(body, fresh, sign=False).status_code, 200, "same webhook-id")

    def test_malformed_bodies_get_a_clear_4xx_and_are_kept(self):
        broken = self.hook(b'{"data": {"tracking_number": ')
        self.assertEqual(broken.status_code, 400)
        self.assertEqual(broken.json()["error"]["code"], "invalid_json")
        nameless = self.hook({"data": {"events": [{"code": "PU"}]}})
        self.assertEqual(nameless.status_code, 422)
        self.assertIn("tracking number", nameless.json()["error"]["fields"][0]["message"])
        rejected = self.messages(state="rejected")
        self.assertEqual(len(rejected), 2, "both refused bodies are in the integration log")
        wrong_type = self.hook(b"<xml/>", content_type="application/xml")
        self.assertEqual(wrong_type.status_code, 415)

    def test_unknown_code_is_an_exception_not_a_crash(self):
        self.parcel("PKW4", ("PU", 10), ("ZZ", 5))
        response = self.sandbox.webhook(self.base_url() + HOOK, "PKW4", "hmac_base64", SECRET)
        self.assertEqual(response.status_code, 202)
        self.run_jobs()
        message = self.messages(message_type="carrier_tracking")
        self.assertEqual(message.state, "done", "the known events still apply")
        self.assertEqual(self.codes(message.shipment_id), ["PICKED_UP"])
        issue = message.exception_ids
        self.assertEqual(issue.exception_type_id.code, "unmapped_code")
        self.assertIn("ZZ", issue.description)
        row = self.env["logistics.carrier.code"].search(
            [("backend_id", "=", self.carrier.id), ("code", "=", "ZZ")]
        )
        self.assertFalse(row.status, "added to the code table, unmapped, for the admin")
        # the admin maps it and replays: the event applies
        row.status = "in_transit"
        message.action_replay()
        self.run_jobs()
        self.assertEqual(self.codes(message.shipment_id), ["PICKED_UP", "IN_TRANSIT"])

    def test_mapping_preview_on_the_last_answer(self):
        self.parcel("PKW5", ("PU", 10), ("XX", 5))
        self.sandbox.webhook(self.base_url() + HOOK, "PKW5", "hmac_base64", SECRET)
        action = self.carrier.action_preview_carrier_mapping()
        preview = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(preview.source, "webhook")
        self.assertIn("PKW5", preview.result)
        self.assertIn("PICKED_UP", preview.result)
        self.assertIn("not in the code table", preview.result)
        preview.mapping = '{"number": "nope[?"}'
        self.assertIn("JMESPath", preview.result)

    def test_the_webhook_is_documented(self):
        document = self.url_open("/logistics/v1/openapi.json").json()
        operation = document["paths"]["/logistics/v1/carriers/{code}/webhook"]["post"]
        self.assertEqual(operation["security"], [], "signed by the carrier, not by an API key")
        self.assertTrue({"202", "200", "401", "422"} <= set(operation["responses"]))

    def test_a_dispatcher_without_inventory_rights_sees_the_shipment(self):
        self.parcel("PKW6", ("PU", 10))
        self.sandbox.webhook(self.base_url() + HOOK, "PKW6", "hmac_base64", SECRET)
        self.run_jobs()
        [tracking] = self.env["logistics.carrier.tracking"].search([("number", "=", "PKW6")])
        dispatcher = new_test_user(
            self.env,
            login="carrier_dispatcher",
            groups="logistics_integration.group_logistics_user",
        )
        shipment = tracking.shipment_id.with_user(dispatcher)
        view = shipment.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("picking_count", view)
        self.assertEqual(shipment.carrier_tracking_ids.mapped("number"), ["PKW6"])
        self.assertEqual(shipment.carrier_tracking_ids.carrier_status, "picked_up")
