"""EDI partner profiles are audited; their SFTP password only as "changed"."""

from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.logistics_integration.tests.common import assert_audited
from odoo.addons.logistics_integration.tests.test_secrets import NEW_KEY, keys


@tagged("post_install", "-at_install")
class TestPartnerProfileAudit(TransactionCase):
    def test_profile_changes_and_password_are_recorded(self):
        backend = self.env["logistics.backend"].create(
            {"name": "Audit EDI", "code": "audit_edi", "kind": "edi"}
        )
        profile = self.env["logistics.edi.partner"].create(
            {
                "name": "Audit Shipper",
                "backend_id": backend.id,
                "our_id": "HUB",
                "partner_interchange_id": "SHIPPER",
            }
        )
        assert_audited(self, profile, {"partner_interchange_id": "SHIPPER2", "send_status": True})
        with keys(NEW_KEY):
            profile.write({"sftp_password": "sftp-plaintext"})
        row = self.env["logistics.audit.log"].search(
            [
                ("res_model", "=", "logistics.edi.partner"),
                ("res_id", "=", profile.id),
                ("field_name", "=", "sftp_password"),
            ]
        )
        self.assertEqual((row.old_value, row.new_value, row.restricted), (False, "(changed)", True))

    def test_a_production_partners_profile_waits_for_approval(self):
        admin = new_test_user(
            self.env, "edi_admin", "logistics_integration.group_integration_admin"
        )
        backend = self.env["logistics.backend"].create(
            {"name": "Live EDI", "code": "live_edi", "kind": "edi", "environment": "production"}
        )
        profile = self.env["logistics.edi.partner"].create(
            {
                "name": "Live",
                "backend_id": backend.id,
                "our_id": "HUB",
                "partner_interchange_id": "P1",
            }
        )
        profile.with_user(admin).partner_interchange_id = "P2"
        self.assertEqual(profile.partner_interchange_id, "P1")
        change = self.env["logistics.change.request"].search(
            [("res_model", "=", profile._name), ("res_id", "=", profile.id)]
        )
        self.assertEqual(change.values, {"partner_interchange_id": "P2"})
