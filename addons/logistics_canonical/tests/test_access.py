from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import LogisticsCase


@tagged("post_install", "-at_install")
class TestAccess(LogisticsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Company B Logistics"})
        cls.user = new_test_user(
            cls.env,
            login="log_user",
            groups="logistics_integration.group_logistics_user",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )
        cls.manager = new_test_user(
            cls.env,
            login="log_manager",
            groups="logistics_integration.group_logistics_manager",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )
        cls.admin = new_test_user(
            cls.env,
            login="log_admin",
            groups="logistics_integration.group_integration_admin",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id],
        )
        cls.shipment_a = cls.create_shipment()
        cls.shipment_b = (
            cls.env["logistics.shipment"]
            .with_company(cls.company_b)
            .create({"company_id": cls.company_b.id})
        )
        cls.backend.write({"password": "s3cret", "api_token": "tok-123"})

    def test_user_of_company_a_cannot_read_company_b_shipments(self):
        Shipment = self.env["logistics.shipment"].with_user(self.user)
        visible = Shipment.search([("id", "in", (self.shipment_a | self.shipment_b).ids)])
        self.assertEqual(visible, self.shipment_a.with_user(self.user))
        with self.assertRaises(AccessError):
            self.shipment_b.with_user(self.user).read(["name"])

    def test_company_b_milestones_and_exceptions_stay_hidden(self):
        self.report(self.shipment_b, "DAMAGED", "2024-05-01T10:00:00Z")
        self.assertTrue(self.shipment_b.exception_ids)
        as_user = self.env(user=self.user)
        self.assertFalse(
            as_user["logistics.milestone"].search([("shipment_id", "=", self.shipment_b.id)])
        )
        self.assertFalse(
            as_user["logistics.exception"].search([("shipment_id", "=", self.shipment_b.id)])
        )
        self.assertEqual(self.shipment_b.exception_ids.company_id, self.company_b)

    def test_user_sees_backends_but_not_their_secrets(self):
        backend = self.backend.with_user(self.user)
        self.assertEqual(backend.name, "Test TMS")
        for field in ("password", "api_token", "username", "base_url"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                backend.read([field])
        with self.assertRaises(AccessError):
            self.backend.with_user(self.manager).read(["password"])
        # the integration admin may replace a secret but never read it back
        self.assertFalse(self.backend.with_user(self.admin).read(["password"])[0]["password"])
        self.backend.with_user(self.admin).password = "n3w-s3cret"
        self.assertEqual(self.backend._secret("password"), "n3w-s3cret")

    def test_only_admins_edit_backends(self):
        with self.assertRaises(AccessError):
            self.backend.with_user(self.manager).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.env["logistics.backend"].with_user(self.user).create({"name": "X", "code": "x"})
        self.backend.with_user(self.admin).write({"name": "Renamed"})
        self.assertEqual(self.backend.name, "Renamed")

    def test_user_cannot_edit_mappings_or_taxonomy(self):
        mapping = self.env.ref("logistics_canonical.code_x12_at7_status_d1").with_user(self.user)
        self.assertEqual(mapping.milestone_code_id.code, "DELIVERED", "users can read mappings")
        with self.assertRaises(AccessError):
            mapping.write({"milestone_code_id": self.code("IN_TRANSIT").id})
        with self.assertRaises(AccessError):
            self.code("DELIVERED").with_user(self.user).write({"rank": 1})
        with self.assertRaises(AccessError):
            mapping.with_user(self.manager).write({"milestone_code_id": self.code("IN_TRANSIT").id})

    def test_integration_log_is_read_only_for_users(self):
        message = self.env["logistics.integration.message"].create(
            {"backend_id": self.backend.id, "idempotency_key": "k1", "payload": "{}"}
        )
        self.assertEqual(message.with_user(self.user).state, "queued")
        with self.assertRaises(AccessError):
            message.with_user(self.user).write({"state": "done"})

    def test_user_can_work_exceptions_and_record_milestones(self):
        shipment = self.shipment_a.with_user(self.user)
        self.report(self.shipment_a, "DELAYED", "2024-05-01T10:00:00Z")
        exception = shipment.exception_ids
        exception.action_assign_to_me()
        exception.action_resolve()
        self.assertEqual(exception.state, "resolved")
        self.env["logistics.milestone"].with_user(self.user).create(
            {
                "shipment_id": shipment.id,
                "milestone_code_id": self.code("IN_TRANSIT").id,
                "event_time": "2024-05-01 12:00:00",
            }
        )
        self.assertEqual(shipment.status, "in_transit")
