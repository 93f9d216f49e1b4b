import json

from odoo.tests import tagged

from odoo.addons.logistics_integration.lib import signature

from .common_api import ApiCase
from .sandbox_server import SandboxServer


@tagged("post_install", "-at_install")
class TestSubscriptionsApi(ApiCase):
    """A customer's own system subscribes a URL to the milestones of its shipments."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Self-service Customer"})
        cls.other = cls.env["res.partner"].create({"name": "Someone Else"})
        cls.client = cls.env["logistics.backend"].create(
            {
                "name": "Customer portal client",
                "code": "customer_client",
                "partner_id": cls.customer.id,
                "environment": "production",
            }
        )
        _record, cls.client_key = cls.env["logistics.backend.key"]._generate(cls.client)
        # the sandbox partner system listens on 127.0.0.1
        cls.env["ir.config_parameter"].set_param("logistics.subscriptions.allow_private", "True")

    def call(self, method, path="/logistics/v1/subscriptions", body=None, key=None):
        headers = {
            "Authorization": f"Bearer {key or self.client_key}",
            "Content-Type": "application/json",
        }
        return self.opener.request(
            method,
            self.base_url() + path,
            data=json.dumps(body) if body is not None else None,
            headers=headers,
            timeout=10,
        )

    def milestone(self, shipment, code):
        return self.env["logistics.milestone"].create(
            {
                "shipment_id": shipment.id,
                "event_time": "2024-05-01 10:00:00",
                "milestone_code_id": self.env["logistics.milestone.code"]._by_code(code).id,
            }
        )

    def test_subscribe_receive_list_and_stop(self):
        with SandboxServer() as server:
            created = self.call("POST", body={"url": server.url, "milestones": ["DELIVERED"]})
            self.assertEqual(created.status_code, 201, created.text)
            answer = created.json()
            self.assertEqual((answer["url"], answer["milestones"]), (server.url, ["DELIVERED"]))
            secret = answer["signing_secret"]
            mine = self.env["logistics.shipment"].create({"customer_id": self.customer.id})
            theirs = self.env["logistics.shipment"].create({"customer_id": self.other.id})
            for shipment in (mine, theirs):
                self.milestone(shipment, "PICKED_UP")
                self.milestone(shipment, "DELIVERED")
            self.run_jobs()
            [delivery] = server.requests
            signature.verify(delivery["headers"][signature.HEADER], delivery["body"], [secret])
            event = json.loads(delivery["body"])
            self.assertEqual((event["shipment_ref"], event["code"]), (mine.name, "DELIVERED"))

        listed = self.call("GET").json()["subscriptions"]
        self.assertEqual([s["subscription_id"] for s in listed], [answer["subscription_id"]])
        self.assertNotIn("signing_secret", listed[0], "the secret is shown once")
        self.assertEqual(
            self.call(
                "DELETE", f"/logistics/v1/subscriptions/{answer['subscription_id']}"
            ).status_code,
            204,
        )
        self.assertEqual(self.call("GET").json()["subscriptions"], [])

    def test_refusals(self):
        for body, field in (
            ({"url": "ftp://x"}, "url"),
            ({"url": "http://[::1"}, "url"),
            ({"url": "http://x.test:99999/"}, "url"),
            ({"url": ["https://x.test"]}, "url"),
            ({"url": "https://x.test", "milestones": ["NOPE"]}, "milestones"),
            ({"url": "https://x.test", "milestones": [{"code": "DELIVERED"}]}, "milestones"),
            ({"url": "https://x.test", "milestones": "DELIVERED"}, "milestones"),
            ({"url": "https://x.test", "color": "red"}, "color"),
            ({}, "url"),
        ):
            with self.subTest(body=body):
                response = self.call("POST", body=body)
                self.assertEqual(response.status_code, 422, response.text)
                self.assertIn(field, [f["field"] for f in response.json()["error"]["fields"]])
        # an API client that is nobody's system (no partner) cannot subscribe
        self.assertEqual(self.call("GET", key=self.key).status_code, 403)
        # nor can anyone stop another partner's subscription
        hook, _secret = self.client._subscribe("https://x.test/hook", [])
        outsider = self.env["logistics.backend"].create(
            {
                "name": "Outsider",
                "code": "outsider",
                "partner_id": self.other.id,
                "environment": "production",
            }
        )
        _record, outsider_key = self.env["logistics.backend.key"]._generate(outsider)
        self.assertEqual(
            self.call(
                "DELETE", f"/logistics/v1/subscriptions/{hook.id}", key=outsider_key
            ).status_code,
            404,
        )
        self.assertTrue(hook.active)

    def test_only_public_addresses_unless_allowed(self):
        self.env["ir.config_parameter"].set_param("logistics.subscriptions.allow_private", "False")
        for url in (
            "http://127.0.0.1:8069/web",
            "http://localhost/",
            "http://169.254.169.254/latest/meta-data",
            "http://10.1.2.3/",
            "http://[::1]/",
        ):
            with self.subTest(url=url):
                response = self.call("POST", body={"url": url})
                self.assertEqual(response.status_code, 422, response.text)
                self.assertIn("not a public internet address", response.text)
        self.assertEqual(self.call("GET").json()["subscriptions"], [])

    def test_a_client_sees_and_counts_only_its_own_subscriptions(self):
        # a webhook the integration admin set up for the customer is not the client's to stop
        configured = self.env["logistics.backend"].create(
            {
                "name": "Customer EDI hook",
                "code": "customer_hook",
                "adapter": "webhook",
                "partner_id": self.customer.id,
                "base_url": "https://x.test/admin-made",
            }
        )
        self.assertEqual(self.call("GET").json()["subscriptions"], [])
        response = self.call("DELETE", f"/logistics/v1/subscriptions/{configured.id}")
        self.assertEqual(response.status_code, 404)
        for index in range(10):
            response = self.call("POST", body={"url": f"https://x.test/{index}"})
            self.assertEqual(response.status_code, 201, response.text)
        refused = self.call("POST", body={"url": "https://x.test/eleventh"})
        self.assertEqual(refused.status_code, 409, refused.text)
        self.assertEqual(refused.json()["error"]["code"], "too_many_subscriptions")
        self.assertEqual(len(self.call("GET").json()["subscriptions"]), 10)
