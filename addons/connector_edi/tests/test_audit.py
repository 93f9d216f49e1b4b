"""EDI partner profiles are audited; their SFTP password only as "changed"."""

from odoo.tests import TransactionCase, tagged

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
