"""Carrier webhooks over real HTTP into the test server, through the door."""

import json

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
