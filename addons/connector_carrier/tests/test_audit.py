"""What a carrier's status codes mean is audited configuration."""

from odoo.tests import TransactionCase, tagged

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
