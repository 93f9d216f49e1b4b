"""Code tables, exception types and their owners, teams and notification
rules (subscriptions) are audited configuration."""

from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.logistics_integration.tests.common import assert_audited


@tagged("post_install", "-at_install")
class TestAuditedConfiguration(TransactionCase):
    def test_each_configuration_model_records_its_changes(self):
        env = self.env
        delivered = env.ref("logistics_canonical.milestone_code_delivered")
        dispatch = env["logistics.team"].create({"name": "Night dispatch"})
        rule = env["logistics.notification.rule"].create(
            {
                "name": "Tell the customer",
                "partner_id": env.ref("base.res_partner_2").id,
                "template_id": env.ref("logistics_canonical.mail_template_shipment_delivered").id,
            }
        )
        cases = [
            (env["logistics.code.scheme"].search([], limit=1), {"source": "X12 5010 (2024)"}),
            (
                env["logistics.code.mapping"].search([("milestone_code_id", "!=", False)], limit=1),
                {"milestone_code_id": delivered.id},
            ),
            (delivered, {"name": "Delivered to consignee"}),
            (env["logistics.identifier.kind"].search([], limit=1), {"reuse_days": 99}),
            (env["logistics.exception.type"].search([], limit=1), {"sla_hours": 7.5}),
            (env["logistics.exception.ownership"].search([], limit=1), {"sla_hours": 3.0}),
            (dispatch, {"member_ids": [(6, 0, env.ref("base.user_demo").ids)]}),
            (rule, {"milestone_code_ids": [(6, 0, delivered.ids)]}),
        ]
        for record, values in cases:
            with self.subTest(model=record._name):
                self.assertTrue(record, record._name)
                assert_audited(self, record, values)
        member_row = env["logistics.audit.log"].search(
            [("res_model", "=", "logistics.team"), ("field_name", "=", "member_ids")], limit=1
        )
        self.assertIn("Marc Demo", member_row.new_value)  # names, not ids

    def test_a_production_backends_code_override_waits_for_approval(self):
        admin, second = (
            new_test_user(self.env, login, "logistics_integration.group_integration_admin")
            for login in ("map_admin", "map_admin2")
        )
        backend = self.env["logistics.backend"].create(
            {"name": "Live carrier", "code": "live_carrier", "environment": "production"}
        )
        scheme = self.env.ref("logistics_canonical.code_scheme_x12_214_at7_status")
        code = self.env["logistics.milestone.code"]._by_code
        override = self.env["logistics.code.mapping"].create(
            {
                "scheme_id": scheme.id,
                "code": "AV",
                "backend_id": backend.id,
                "milestone_code_id": code("OUT_FOR_DELIVERY").id,
            }
        )
        override.with_user(admin).milestone_code_id = code("IN_TRANSIT")
        self.assertEqual(override.milestone_code_id.code, "OUT_FOR_DELIVERY")
        change = self.env["logistics.change.request"].search(
            [("res_model", "=", override._name), ("res_id", "=", override.id)]
        )
        self.assertIn("IN_TRANSIT", change.changes_html)
        change.with_user(second).action_approve()
        self.assertEqual(override.milestone_code_id.code, "IN_TRANSIT")
