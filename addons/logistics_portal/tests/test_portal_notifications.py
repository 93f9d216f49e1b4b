"""A customer's portal user subscribes to e-mails for themselves and to
webhooks for their company, over real HTTP; deliveries go to them only."""

import json
import re

from odoo import http
from odoo.tests import new_test_user, tagged

from odoo.addons.logistics_canonical.tests.common_api import ApiCase
from odoo.addons.logistics_canonical.tests.sandbox_server import SandboxServer
from odoo.addons.logistics_integration.lib import signature

PAGE = "/my/shipments/notifications"


@tagged("post_install", "-at_install")
class TestPortalNotifications(ApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create({"name": "Acme Notify Foods", "is_company": True})
        cls.rival = Partner.create({"name": "Rival Notify Goods", "is_company": True})
        cls.joe = cls._portal_user("acme_notify_joe", cls.acme, "joe@acme.test")
        cls.ann = cls._portal_user("acme_notify_ann", cls.acme, "ann@acme.test")
        cls.rita = cls._portal_user("rival_notify_rita", cls.rival, "rita@rival.test")
        cls.shipment = cls.env["logistics.shipment"].create({"customer_id": cls.acme.id})
        cls.rival_shipment = cls.env["logistics.shipment"].create({"customer_id": cls.rival.id})
        # the sandbox receiver listens on 127.0.0.1
        cls.env["ir.config_parameter"].set_param("logistics.subscriptions.allow_private", "True")

    @classmethod
    def _portal_user(cls, login, company, email):
        user = new_test_user(cls.env, login=login, groups="base.group_portal", email=email)
        user.partner_id.parent_id = company
        return user

    def submit(self, path, **fields):
        """Post the portal's form as the browser does (several values for one name)."""
        data = [("csrf_token", http.Request.csrf_token(self))]
        for name, value in fields.items():
            data += [(name, item) for item in value] if isinstance(value, list) else [(name, value)]
        return self.url_open(path, data=data)

    def milestone(self, shipment, code):
        self.env["logistics.milestone"].create(
            {
                "shipment_id": shipment.id,
                "event_time": "2026-11-20 10:00:00",
                "milestone_code_id": self.env["logistics.milestone.code"]._by_code(code).id,
            }
        )

    def mails_to(self, user):
        self.env.flush_all()
        return self.env["mail.mail"].search([("recipient_ids", "in", user.partner_id.ids)])

    def test_email_to_me_at_the_milestones_i_chose(self):
        self.authenticate("acme_notify_joe", "acme_notify_joe")
        page = self.url_open(PAGE)
        self.assertEqual(page.status_code, 200)
        self.assertIn("joe@acme.test", page.text)
        self.assertNotIn('value="TENDERED"', page.text, "buying freight is not the customer's")
        saved = self.submit(f"{PAGE}/email", milestones=["OUT_FOR_DELIVERY", "DELIVERED"])
        self.assertIn("Your e-mail notifications are saved", saved.text)
        self.assertRegex(saved.text, r'value="DELIVERED"\s+checked')

        for code in ("PICKED_UP", "DELIVERED"):
            self.milestone(self.shipment, code)
        self.milestone(self.rival_shipment, "DELIVERED")
        self.run_jobs()
        [mail] = self.mails_to(self.joe)
        self.assertEqual(mail.recipient_ids, self.joe.partner_id, "to Joe, not his whole company")
        self.assertIn("Delivered", mail.subject)
        self.assertIn(self.shipment.tracking_url, mail.body_html)
        self.assertFalse(self.mails_to(self.ann), "Ann chose nothing")

        # choosing none stops them
        self.submit(f"{PAGE}/email")
        self.milestone(self.shipment, "DELIVERED")
        self.run_jobs()
        self.assertEqual(len(self.mails_to(self.joe)), 1)

    def test_company_webhook_added_signed_and_stopped(self):
        self.authenticate("acme_notify_joe", "acme_notify_joe")
        with SandboxServer() as server:
            added = self.submit(f"{PAGE}/webhooks", url=server.url, milestones=["DELIVERED"])
            self.assertEqual(added.status_code, 200)
            secret = re.search(r"user-select-all[^>]*>([^<]+)<", added.text).group(1)
            self.milestone(self.shipment, "PICKED_UP")
            self.milestone(self.shipment, "DELIVERED")
            self.milestone(self.rival_shipment, "DELIVERED")
            self.run_jobs()
            [delivery] = server.requests
            signature.verify(delivery["headers"][signature.HEADER], delivery["body"], [secret])
            event = json.loads(delivery["body"])
            self.assertEqual(
                (event["shipment_ref"], event["code"]), (self.shipment.name, "DELIVERED")
            )

        [hook] = self.env["logistics.backend"]._portal_webhooks(self.joe)
        listed = self.url_open(PAGE).text
        self.assertIn(server.url, listed)
        self.assertNotIn(secret, listed, "the secret is shown once")

        # a colleague of the same customer sees and may stop it; another customer may not
        self.authenticate("rival_notify_rita", "rival_notify_rita")
        self.assertNotIn(server.url, self.url_open(PAGE).text)
        self.assertEqual(self.submit(f"{PAGE}/webhooks/{hook.id}/stop").status_code, 404)
        self.assertTrue(hook.active)
        self.authenticate("acme_notify_ann", "acme_notify_ann")
        self.assertIn(server.url, self.url_open(PAGE).text)
        stopped = self.submit(f"{PAGE}/webhooks/{hook.id}/stop")
        self.assertIn("The webhook is stopped", stopped.text)
        self.assertFalse(hook.active)

    def test_bad_webhooks_are_refused_with_the_reason(self):
        self.authenticate("acme_notify_joe", "acme_notify_joe")
        self.env["ir.config_parameter"].set_param("logistics.subscriptions.allow_private", "False")
        for url, reason in (
            ("ftp://files.acme.test/x", "an http(s) URL is required"),
            ("http://169.254.169.254/latest/meta-data", "not a public internet address"),
        ):
            with self.subTest(url=url):
                refused = self.submit(f"{PAGE}/webhooks", url=url)
                self.assertEqual(refused.status_code, 422)
                self.assertIn(reason, refused.text)
                self.assertIn(url, refused.text, "what was typed is kept in the form")
        tender = self.submit(f"{PAGE}/webhooks", url="https://x.test/h", milestones=["TENDERED"])
        self.assertEqual(tender.status_code, 422)
        self.assertFalse(self.env["logistics.backend"]._portal_webhooks(self.joe))

    def test_not_for_internal_users_or_anonymous_visitors(self):
        self.authenticate(None, None)
        anonymous = self.url_open(PAGE, allow_redirects=False)
        self.assertIn("/web/login", anonymous.headers.get("Location", ""))
        self.authenticate("admin", "admin")
        self.assertEqual(self.url_open(PAGE).status_code, 404)
