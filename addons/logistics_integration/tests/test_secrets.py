"""Credentials encrypted at rest with a key outside the database, write-only,
re-encrypted on rotation, and never usable in a neutralized copy."""

import os
from contextlib import contextmanager
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import TransactionCase, tagged
from odoo.tools import config

from ..lib import secret_box

OLD_KEY, NEW_KEY = secret_box.new_key(), secret_box.new_key()


@contextmanager
def keys(*listed):
    """Run with exactly these keys configured (none: no key at all)."""
    with (
        patch.dict(os.environ, {secret_box.ENVIRONMENT_VARIABLE: ",".join(listed)}),
        patch.dict(config.options, {secret_box.CONFIG_OPTION: ""}),
    ):
        yield


@tagged("post_install", "-at_install")
class TestSecrets(TransactionCase):
    def backend(self, **values):
        return self.env["logistics.backend"].create(
            {
                "name": "Carrier API",
                "code": f"carrier_{len(values)}_{id(values)}",
                "adapter": "webhook",
                "base_url": "https://carrier.example.com/api",
                **values,
            }
        )

    def dump(self, *tables):
        """Every row of ``tables`` as text, as a database dump would hold it."""
        self.env.flush_all()
        text = ""
        for table in tables:
            self.env.cr.execute(f"SELECT row_to_json(t)::text FROM {table} t")
            text += "\n".join(row[0] for row in self.env.cr.fetchall())
        return text

    def test_encrypted_at_rest_and_never_read_back(self):
        backend = self.backend(username="hub", password="pw-Plain-4711", api_token="tok-Plain-4711")
        backend.signing_secret = "sig-Plain-4711"
        dump = self.dump("logistics_backend", "logistics_secret", "mail_tracking_value")
        for plaintext in ("pw-Plain-4711", "tok-Plain-4711", "sig-Plain-4711"):
            self.assertNotIn(plaintext, dump)
        self.assertEqual(
            backend.read(["password", "api_token", "signing_secret"])[0],
            {"id": backend.id, "password": False, "api_token": False, "signing_secret": False},
            "write-only: the UI and the API never get a secret back",
        )
        self.assertEqual(backend._secret("password"), "pw-Plain-4711")
        self.assertEqual(backend._secret("signing_secret"), "sig-Plain-4711")
        self.assertRegex(backend.secrets_status, r"Outbound API Token: set on \d{4}-\d\d-\d\d")
        self.assertIn(self.env.user.name, backend.secrets_status)
        self.assertNotIn("Signing Secret (previous)", backend.secrets_status)
        # replacing a secret, and clearing one
        backend.write({"password": "pw-New", "api_token": False})
        self.assertEqual(
            (backend._secret("password"), backend._secret("api_token")), ("pw-New", False)
        )
        # a copied backend holds no secret; a deleted one leaves none behind
        self.assertFalse(backend.copy({"code": "copied"})._secret("password"))
        backend.unlink()
        self.assertNotIn("pw-New", self.dump("logistics_secret"))
        self.assertFalse(self.env["logistics.secret"].sudo().search([("res_id", "=", backend.id)]))

    def test_rotation_re_encrypts_everything_under_the_new_key(self):
        with keys(OLD_KEY):
            backend = self.backend(password="pw-rotate", signing_secret="sig-rotate")
            before = self.dump("logistics_secret")
        stored = self.env["logistics.secret"].sudo().search_count([])
        # this database's own key stays listed: rotation reaches every secret stored
        with keys(NEW_KEY, OLD_KEY, *secret_box.configured_keys()):
            self.assertEqual(self.env["logistics.secret"]._rotate(), stored)
        with keys(NEW_KEY):
            self.assertEqual(backend._secret("password"), "pw-rotate")
            self.assertNotEqual(self.dump("logistics_secret"), before)
            row = self.env["logistics.secret"].sudo().search([("res_id", "=", backend.id)], limit=1)
            old_ciphertext = next(
                line for line in before.splitlines() if f'"res_id":{backend.id},' in line
            )
            self.assertNotIn(row.ciphertext, old_ciphertext)
        with keys(OLD_KEY), self.assertRaisesRegex(secret_box.SecretsUnavailable, "does not list"):
            backend._secret("password")

    def test_without_the_key_it_says_why_and_stores_nothing(self):
        backend = self.backend(password="pw-keyless")
        with keys():
            backend.invalidate_recordset(["secrets_problem"])
            self.assertIn("no encryption key", backend.secrets_problem)
            with self.assertRaisesRegex(UserError, "logistics_secret_keys"):
                backend.api_token = "tok-keyless"
            with self.assertRaises(secret_box.SecretsUnavailable):
                backend._secret("password")
        backend.invalidate_recordset(["secrets_problem"])
        self.assertFalse(backend.secrets_problem)

    def test_without_the_key_no_partner_is_called(self):
        hook = self.backend(environment="production", signing_secret="sig-keyless")
        message = self.env["logistics.outbox"]._enqueue(hook, "note", {"a": 1}, "keyless-1")
        with keys():
            self.env["logistics.outbox"]._deliver(hook.id)
        self.assertEqual((message.state, message.error_code), ("queued", "secrets_unavailable"))
        self.assertIn("no encryption key", message.error_message)

    def test_an_upgrade_encrypts_what_plain_columns_held(self):
        backend = self.backend()
        self.env.cr.execute("ALTER TABLE logistics_backend ADD COLUMN api_token varchar")
        self.env.cr.execute(
            "UPDATE logistics_backend SET api_token = 'tok-legacy' WHERE id = %s", [backend.id]
        )
        self.env["logistics.backend"]._encrypt_plaintext_columns()
        self.assertEqual(backend._secret("api_token"), "tok-legacy")
        self.assertNotIn("tok-legacy", self.dump("logistics_backend", "logistics_secret"))

    def test_a_neutralized_copy_holds_no_secret(self):
        backend = self.backend(password="pw-neutral")
        self.env.flush_all()
        for query in get_neutralization_queries(["logistics_integration"]):
            self.env.cr.execute(query)
        self.env.invalidate_all()
        self.assertFalse(backend._secret("password"))
        self.assertNotIn("logistics.backend", self.dump("logistics_secret"))
