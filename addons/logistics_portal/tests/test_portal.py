"""The customer's portal and the public tracking page, over real HTTP, as a
portal user of one customer, of another, and as nobody."""

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestShipmentPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create({"name": "Acme Portal Foods", "is_company": True})
        cls.rival = Partner.create({"name": "Rival Portal Goods", "is_company": True})
        cls.joe = new_test_user(cls.env, login="acme_joe", groups="base.group_portal")
        cls.joe.partner_id.parent_id = cls.acme
        cls.warehouse = Partner.create({"name": "Acme Secret DC 7", "city": "Chicago"})
        cls.shipment = cls._delivered(cls.acme, "ACME-PO-4711", "pod-acme.pdf")
        cls.rival_shipment = cls._delivered(cls.rival, "RIVAL-PO-9", "pod-rival.pdf")
        cls.sandbox_shipment = cls.env["logistics.shipment"].create(
            {
                "customer_id": cls.acme.id,
                "environment": "sandbox",
                "customer_reference": "SANDBOX-1",
            }
        )
        cls.internal_note = cls.env["ir.attachment"].create(
            {
                "name": "margin-sheet.xlsx",
                "raw": b"internal",
                "res_model": "logistics.shipment",
                "res_id": cls.shipment.id,
            }
        )

    @classmethod
    def _delivered(cls, customer, reference, pod_name):
        shipment = cls.env["logistics.shipment"].create(
            {
                "customer_id": customer.id,
                "customer_reference": reference,
                "origin_id": cls.warehouse.id,
            }
        )
        cls.env["ir.attachment"].create(
            {
                "name": pod_name,
                "raw": b"%PDF-1.4 signed",
                "mimetype": "application/pdf",
                "res_model": "logistics.shipment",
                "res_id": shipment.id,
            }
        )
        codes = {c.code: c for c in cls.env["logistics.milestone.code"].search([])}
        cls.env["logistics.freight.charge"].create(
            {
                "shipment_id": shipment.id,
                "charge_type": "linehaul",
                "amount": 800.0,
                "source": "tms",
            }
        )
        for code, when, extra in (
            ("IN_TRANSIT", "2026-11-11 08:00:00", {"source_code": "X6", "source_text": "En route"}),
            ("DELIVERED", "2026-11-12 09:00:00", {}),
            ("POD_RECEIVED", "2026-11-12 09:30:00", {"document_ref": pod_name}),
        ):
            cls.env["logistics.milestone"].create(
                {
                    "shipment_id": shipment.id,
                    "milestone_code_id": codes[code].id,
                    "event_time": when,
                    **extra,
                }
            )
        shipment._evaluate_billing()
        shipment._invoice_ready()
        shipment.invoice_id.action_post()
        return shipment

    def document(self, shipment, name):
        return self.env["ir.attachment"].search(
            [("res_model", "=", shipment._name), ("res_id", "=", shipment.id), ("name", "=", name)]
        )

    def test_a_portal_user_lists_only_its_customer_s_shipments(self):
        self.authenticate("acme_joe", "acme_joe")
        page = self.url_open("/my/shipments?filterby=all")
        self.assertEqual(page.status_code, 200)
        self.assertIn("ACME-PO-4711", page.text)
        self.assertNotIn("RIVAL-PO-9", page.text)
        self.assertNotIn("SANDBOX-1", page.text, "sandbox data is not the customer's freight")
        found = self.url_open("/my/shipments?filterby=all&search=4711")
        self.assertIn(self.shipment.name, found.text)

    def test_the_shipment_page_shows_timeline_pod_and_invoice(self):
        self.authenticate("acme_joe", "acme_joe")
        page = self.url_open(f"/my/shipments/{self.shipment.id}")
        self.assertEqual(page.status_code, 200)
        for shown in ("Delivered", "In Transit", "pod-acme.pdf", self.shipment.invoice_id.name):
            self.assertIn(shown, page.text)
        self.assertNotIn("margin-sheet.xlsx", page.text, "only proofs of delivery are documents")
        pod = self.url_open(
            f"/my/shipments/{self.shipment.id}/documents/{self.document(self.shipment, 'pod-acme.pdf').id}"
        )
        self.assertEqual(pod.status_code, 200)
        self.assertEqual(pod.content, b"%PDF-1.4 signed")

    def test_what_is_not_the_user_s_is_a_404_by_id_document_or_token(self):
        self.authenticate("acme_joe", "acme_joe")
        rival_pod = self.document(self.rival_shipment, "pod-rival.pdf")
        for url in (
            f"/my/shipments/{self.rival_shipment.id}",
            f"/my/shipments/{self.rival_shipment.id}?access_token=guess",
            f"/my/shipments/{self.sandbox_shipment.id}",
            "/my/shipments/999999999",
            f"/my/shipments/{self.rival_shipment.id}/documents/{rival_pod.id}",
            f"/my/shipments/{self.shipment.id}/documents/{rival_pod.id}",
            f"/my/shipments/{self.shipment.id}/documents/{self.internal_note.id}",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 404)
        with self.assertRaises(AccessError):
            self.rival_shipment.with_user(self.joe).read(["customer_reference"])
        self.assertEqual(
            self.env["logistics.shipment"].with_user(self.joe).search([]), self.shipment
        )

    def test_the_tracking_link_shows_status_eta_and_timeline_and_nothing_else(self):
        token = self.shipment.tracking_token
        self.assertEqual(len(token), 43)
        page = self.url_open(f"/track/{token}")
        self.assertEqual(page.status_code, 200)
        for shown in (self.shipment.name, "Delivered", "In Transit"):
            self.assertIn(shown, page.text)
        for hidden in (
            "Acme Portal Foods",
            "ACME-PO-4711",
            "Acme Secret DC 7",
            "pod-acme.pdf",
            self.shipment.invoice_id.name,
            "En route",
        ):
            self.assertNotIn(hidden, page.text)
        for url in (f"/track/{'x' * 43}", "/track/short", f"/track/{token[:-1]}"):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 404)
        # and no login means no portal page either
        self.assertEqual(self.url_open(f"/my/shipments/{self.shipment.id}").status_code, 404)

    def test_each_shipment_has_its_own_token(self):
        copy = self.shipment.copy()
        self.assertEqual(len(copy.tracking_token), 43)
        self.assertNotEqual(copy.tracking_token, self.shipment.tracking_token)
        both = (self.shipment | copy).read(["tracking_url"])  # as a list view reads them
        self.assertEqual(
            [row["tracking_url"].rsplit("/", 1)[1] for row in both],
            [self.shipment.tracking_token, copy.tracking_token],
        )

    def test_shipments_made_before_the_portal_get_their_own_token(self):
        from ..hooks import post_init_hook

        self.env.cr.execute(
            "UPDATE logistics_shipment SET tracking_token = NULL WHERE id IN %s",
            [(self.shipment.id, self.rival_shipment.id)],
        )
        self.env.invalidate_all()
        post_init_hook(self.env)
        tokens = (self.shipment | self.rival_shipment).mapped("tracking_token")
        self.assertEqual([len(token) for token in tokens], [43, 43])
        self.assertNotEqual(*tokens)

    def test_notification_mails_carry_the_tracking_link(self):
        for xmlid in (
            "logistics_canonical.mail_template_shipment_delivered",
            "logistics_canonical.mail_template_shipment_delayed",
        ):
            with self.subTest(template=xmlid):
                template = self.env.ref(xmlid)
                body = template._render_field("body_html", self.shipment.ids)[self.shipment.id]
                self.assertIn(f"/track/{self.shipment.tracking_token}", body)
