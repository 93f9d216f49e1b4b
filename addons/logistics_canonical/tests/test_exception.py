from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LogisticsCase


@tagged("post_install", "-at_install")
class TestExceptionWorkbench(LogisticsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dispatch = cls.env.ref("logistics_canonical.team_dispatch")
        cls.service = cls.env.ref("logistics_canonical.team_customer_service")
        cls.delayed = cls.env.ref("logistics_canonical.exception_type_delayed")
        cls.damaged = cls.env.ref("logistics_canonical.exception_type_damaged")
        cls.owner = cls.env["res.users"].create({"name": "Dana Dispatcher", "login": "dana"})

    def test_exception_milestone_raises_an_owned_exception_with_sla(self):
        shipment = self.create_shipment()
        before = fields.Datetime.now()
        milestone = self.report(
            shipment, "DELAYED", "2024-05-01T12:00:00Z", reason_code="AH", reason_text="Weather"
        )
        exception = shipment.exception_ids
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.exception_type_id, self.delayed)
        self.assertEqual(exception.milestone_id, milestone)
        self.assertEqual(
            exception.team_id, self.dispatch, "the ownership matrix routes delays to dispatch"
        )
        self.assertEqual(exception.severity, "medium")
        self.assertEqual(exception.state, "new")
        self.assertIn("Weather", exception.name)
        self.assertAlmostEqual(
            exception.sla_deadline,
            before + timedelta(hours=self.delayed.sla_hours),
            delta=timedelta(minutes=1),
        )
        self.assertEqual(shipment.open_exception_count, 1)

    def test_the_exception_carries_its_types_runbook(self):
        shipment = self.create_shipment()
        self.report(shipment, "DELAYED", "2024-05-01T12:00:00Z")
        exception = shipment.exception_ids
        self.assertIn("new ETA", exception.runbook_meaning)
        self.assertIn("<ol>", exception.runbook_steps)
        self.assertIn("team leader", exception.runbook_escalation)
        self.delayed.escalation = "After 2 hours without an ETA: to the duty manager."
        self.assertEqual(exception.runbook_escalation, self.delayed.escalation)  # one source

    def test_every_shipped_exception_type_has_a_runbook(self):
        shipped = self.env["ir.model.data"].search(
            [("model", "=", "logistics.exception.type"), ("module", "!=", "__export__")]
        )
        types = self.env["logistics.exception.type"].browse(shipped.mapped("res_id"))
        self.assertGreaterEqual(len(types), 9)
        for exception_type in types:
            with self.subTest(type=exception_type.code):
                self.assertTrue(exception_type.description)
                self.assertIn("<li>", exception_type.runbook_steps or "")
                self.assertTrue(exception_type.escalation)

    def test_progress_milestones_raise_nothing(self):
        shipment = self.create_shipment()
        self.report(shipment, "IN_TRANSIT", "2024-05-01T12:00:00Z")
        self.assertFalse(shipment.exception_ids)

    def test_most_specific_ownership_row_wins(self):
        self.env["logistics.exception.ownership"].create(
            [
                {
                    "exception_type_id": self.damaged.id,
                    "team_id": self.dispatch.id,
                    "sequence": 1,
                    "company_id": self.env.company.id,
                },
                {
                    "exception_type_id": self.damaged.id,
                    "team_id": self.service.id,
                    "user_id": self.owner.id,
                    "backend_id": self.backend.id,
                    "sla_hours": 1,
                    "sequence": 99,
                },
            ]
        )
        shipment = self.create_shipment()
        self.report(shipment, "DAMAGED", "2024-05-01T12:00:00Z")
        exception = shipment.exception_ids
        self.assertEqual(
            exception.team_id, self.service, "a backend-specific row beats a company row"
        )
        self.assertEqual(exception.user_id, self.owner)
        self.assertEqual(exception.state, "assigned", "an exception with an owner is assigned")
        self.assertLess(
            exception.sla_deadline, fields.Datetime.now() + timedelta(hours=1, minutes=1)
        )

    def test_assign_resolve_ignore_reopen(self):
        shipment = self.create_shipment()
        self.report(shipment, "DELAYED", "2024-05-01T12:00:00Z")
        self.report(shipment, "DAMAGED", "2024-05-01T13:00:00Z")
        delay, damage = shipment.exception_ids.sorted(lambda e: e.exception_type_id.sequence)
        delay.with_user(self.owner).sudo().action_assign_to_me()
        self.assertEqual((delay.state, delay.user_id), ("assigned", self.owner))
        delay.action_resolve()
        self.assertEqual(delay.state, "resolved")
        self.assertTrue(delay.closed_date)
        damage.action_ignore()
        self.assertEqual(damage.state, "ignored")
        self.assertEqual(shipment.open_exception_count, 0)
        with self.assertRaises(UserError):
            damage.action_resolve()
        damage.action_reopen()
        self.assertEqual(damage.state, "new")
        self.assertEqual(shipment.open_exception_count, 1)

    def test_giving_an_owner_assigns(self):
        exception = self.env["logistics.exception"].create(
            {"name": "Check", "exception_type_id": self.delayed.id}
        )
        self.assertEqual(exception.state, "new")
        exception.user_id = self.owner
        self.assertEqual(exception.state, "assigned")

    def test_overdue_filter(self):
        Exception = self.env["logistics.exception"]
        past = fields.Datetime.now() - timedelta(hours=1)
        overdue = Exception.create(
            {"name": "Old", "exception_type_id": self.delayed.id, "sla_deadline": past}
        )
        closed = Exception.create(
            {"name": "Closed", "exception_type_id": self.delayed.id, "sla_deadline": past}
        )
        closed.action_resolve()
        fresh = Exception.create({"name": "Fresh", "exception_type_id": self.delayed.id})
        found = Exception.search(
            [("is_overdue", "=", True), ("id", "in", (overdue | closed | fresh).ids)]
        )
        self.assertEqual(found, overdue)
        self.assertTrue(overdue.is_overdue)
        self.assertFalse(closed.is_overdue)
        not_overdue = Exception.search(
            [("is_overdue", "=", False), ("id", "in", (overdue | closed | fresh).ids)]
        )
        self.assertEqual(not_overdue, closed | fresh)

    def test_late_shipment_filter(self):
        now = fields.Datetime.now()
        overdue = self.create_shipment(planned_delivery=now - timedelta(hours=2))
        on_time = self.create_shipment(planned_delivery=now + timedelta(days=1))
        delivered = self.create_shipment(planned_delivery=now - timedelta(hours=2))
        self.report(delivered, "DELIVERED", now - timedelta(hours=3))
        ids = (overdue | on_time | delivered).ids
        late = self.env["logistics.shipment"].search([("is_late", "=", True), ("id", "in", ids)])
        self.assertEqual(late, overdue)
