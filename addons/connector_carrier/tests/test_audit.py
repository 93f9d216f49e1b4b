"""What a carrier's status codes mean is audited configuration."""

from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.logistics_integration.tests.common import assert_audited


@tagged("post_install", "-at_install")
class TestCarrierCodeAudit(TransactionCase):
    def test_remapping_a_code_is_recorded(self):
        carrier = self.env["logistics.backend"].create(
            {"name": "Audit Parcel", "code": "audit_parcel", "kind": "carrier"}
        )
        code = self.env["logistics.carrier.code"].create(
            {"backend_id": carrier.id, "code": "XX", "name": "Left at door"}
        )
        rows = assert_audited(self, code, {"status": "delivered"})
        self.assertEqual((rows.old_value, rows.record_name), ("", "XX"))
        self.assertEqual(rows.new_value, dict(code._fields["status"].selection)["delivered"])

    def test_a_production_carriers_codes_wait_for_approval(self):
        admin = new_test_user(
            self.env, "code_admin", "logistics_integration.group_integration_admin"
        )
        carrier = self.env["logistics.backend"].create(
            {
                "name": "Live Parcel",
                "code": "live_parcel",
                "kind": "carrier",
                "environment": "production",
            }
        )
        code = self.env["logistics.carrier.code"].create({"backend_id": carrier.id, "code": "YY"})
        code.with_user(admin).status = "delivered"
        self.assertFalse(code.status)
        change = self.env["logistics.change.request"].search(
            [("res_model", "=", code._name), ("res_id", "=", code.id)]
        )
        self.assertEqual((change.state, change.values), ("pending", {"status": "delivered"}))
