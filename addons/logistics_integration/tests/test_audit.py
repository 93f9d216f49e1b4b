"""The audit trail: who changed which configuration, from what to what;
secrets recorded as changed, never their value; nobody can alter it."""

from unittest.mock import patch

import psycopg2

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import assert_audited
from .test_secrets import NEW_KEY, keys


@tagged("post_install", "-at_install")
class TestAuditTrail(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env, "audit_admin", "logistics_integration.group_integration_admin"
        )
        cls.user = new_test_user(
            cls.env, "audit_user", "logistics_integration.group_logistics_user"
        )
        cls.Log = cls.env["logistics.audit.log"].sudo()

    def rows(self, record, **domain):
        return self.Log.search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)]
            + [(name, "=", value) for name, value in domain.items()]
        )

    def backend(self):
        with keys(NEW_KEY):
            return (
                self.env["logistics.backend"]
                .with_user(self.admin)
                .create(
                    {
                        "name": "Audited TMS",
                        "code": "audited_tms",
                        "base_url": "https://tms.example.com",
                        "password": "hunter2-plaintext",
                    }
                )
            )

    def test_creation_changes_and_deletion_are_recorded(self):
        backend = self.backend()
        created = {row.field_name: row for row in self.rows(backend, operation="create")}
        self.assertEqual(created["name"].new_value, "Audited TMS")
        self.assertEqual(created["name"].user_id, self.admin)
        self.assertEqual(created["name"].model_description, "Logistics Backend")
        self.assertEqual(created["environment"].new_value, "Sandbox")  # the label
        self.assertTrue(created["base_url"].restricted)
        self.assertFalse(created["name"].restricted)

        rows = assert_audited(self, backend, {"name": "Audited TMS (new)", "lanes": 4})
        by_field = {row.field_name: row for row in rows}
        self.assertEqual(by_field["name"].old_value, "Audited TMS")
        self.assertEqual(by_field["lanes"].field_description, "Lanes")

        # the runtime's own state (readonly fields) is not configuration
        backend.write({"circuit_state": "open", "circuit_failures": 3})
        self.assertFalse(self.rows(backend, field_name="circuit_state"))
        # writing the same value again is no change
        backend.write({"lanes": 4})
        self.assertEqual(len(self.rows(backend, field_name="lanes")), 2)

        backend_id = backend.id
        backend.unlink()
        deleted = self.Log.search(
            [("res_model", "=", "logistics.backend"), ("res_id", "=", backend_id)], limit=1
        )
        self.assertEqual((deleted.operation, deleted.record_name), ("unlink", "Audited TMS (new)"))

    def test_secrets_recorded_as_changed_never_their_value(self):
        backend = self.backend()
        with keys(NEW_KEY):
            backend.write({"password": "second-plaintext"})
            backend.write({"password": False})
        rows = self.rows(backend, field_name="password")
        self.assertEqual(
            rows.sorted("id").mapped("new_value"), ["(changed)", "(changed)", "(removed)"]
        )
        self.assertTrue(all(rows.mapped("restricted")))
        self.env.cr.execute(
            "SELECT count(*) FROM logistics_audit_log WHERE concat_ws(' ', old_value, new_value)"
            " ~ 'plaintext'"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_nobody_edits_or_deletes_the_trail(self):
        backend = self.backend()
        row = self.rows(backend)[:1]
        for env in (row.with_user(self.admin), row.sudo()):
            with self.assertRaises(AccessError):
                env.write({"new_value": "forged"})
            with self.assertRaises(AccessError):
                env.unlink()
        with self.assertRaises(AccessError):
            self.env["logistics.audit.log"].with_user(self.admin).create(
                {"res_model": "logistics.backend", "operation": "write", "user_id": self.user.id}
            )
        # nor through SQL: the database refuses it too
        for statement in (
            "UPDATE logistics_audit_log SET new_value = 'forged' WHERE id = %s",
            "DELETE FROM logistics_audit_log WHERE id = %s",
        ):
            with (
                self.assertRaises(psycopg2.errors.InsufficientPrivilege),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                self.env.cr.execute(statement, [row.id])
        self.assertEqual(row.new_value, self.rows(backend)[:1].new_value)

    def test_users_read_it_administrators_see_restricted_values_and_export(self):
        backend = self.backend()
        as_user = self.env["logistics.audit.log"].with_user(self.user)
        seen = as_user.search(
            [("res_model", "=", "logistics.backend"), ("res_id", "=", backend.id)]
        )
        self.assertIn("name", seen.mapped("field_name"))
        self.assertNotIn("base_url", seen.mapped("field_name"))
        as_admin = self.env["logistics.audit.log"].with_user(self.admin)
        rows = as_admin.search(
            [("res_model", "=", "logistics.backend"), ("res_id", "=", backend.id)]
        )
        self.assertIn("base_url", rows.mapped("field_name"))
        exported = rows.export_data(
            ["create_date", "user_id", "record_name", "field_description", "new_value"]
        )["datas"]
        self.assertIn(
            ["Audited TMS", "Base URL", "https://tms.example.com"], [r[2:] for r in exported]
        )

    def test_keys_generated_and_revoked(self):
        backend = self.backend()
        key, _plain = (
            self.env["logistics.backend.key"].with_user(self.admin)._generate(backend, "ERP")
        )
        self.assertIn("Audited TMS: ERP (", key.display_name)
        self.assertEqual(self.rows(key, field_name="name").new_value, "ERP")
        self.assertFalse(self.rows(key, field_name="key_hash"))  # not even the hash
        rows = assert_audited(self, key.with_user(self.admin), {"active": False})
        self.assertEqual((rows.old_value, rows.new_value), ("Yes", "No"))
        action = backend.action_view_audit_trail()
        self.assertEqual(
            self.env["logistics.audit.log"].search(action["domain"]), self.rows(backend)
        )

    def test_module_data_is_not_recorded_but_a_context_key_hides_nothing(self):
        Backend = self.env["logistics.backend"].with_context(install_module="base")
        with patch.object(self.env.registry, "ready", False):  # as while modules load
            from_data = Backend.create({"name": "From data", "code": "from_data"})
        self.assertFalse(self.rows(from_data))
        sneaky = Backend.with_user(self.admin).create({"name": "Sneaky", "code": "sneaky"})
        self.assertTrue(self.rows(sneaky, field_name="name"))

    def test_moments_are_recorded_in_utc(self):
        key, _plain = self.env["logistics.backend.key"]._generate(self.backend(), "ERP")
        rows = assert_audited(
            self, key.with_context(tz="Europe/Brussels"), {"expires_at": "2027-01-31 23:00:00"}
        )
        self.assertEqual(rows.new_value, "2027-01-31 23:00:00 UTC")
