from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, sql

from ..lib import secret_box


class LogisticsSecretMixin(models.AbstractModel):
    """Write-only credentials. A model declares each secret field as a Char
    computed by ``_compute_write_only`` (readonly=False); modules extending
    the model add theirs the same way. They are set and replaced like
    any field, through the UI, the ORM and the API, and always read empty: the
    value goes encrypted into ``logistics.secret``, and only the hub's own
    code reads it back, with :meth:`_secret`. The audit trail records that a
    secret changed, never its value."""

    _name = "logistics.secret.mixin"
    _inherit = ["logistics.audit.mixin"]
    _description = "Write-only Encrypted Credentials"

    secrets_status = fields.Text(
        string="Secrets Set", compute="_compute_secrets_status", compute_sudo=True
    )
    secrets_problem = fields.Char(compute="_compute_secrets_status", compute_sudo=True)

    def _secret_fields(self):
        """The names of the write-only fields, whichever module declared them."""
        return tuple(
            name for name, field in self._fields.items() if field.compute == "_compute_write_only"
        )

    def _compute_write_only(self):
        for record in self:
            for name in self._secret_fields():
                record[name] = False

    def _compute_secrets_status(self):
        stored = {
            (secret.res_id, secret.field_name): secret
            for secret in self._secret_rows(self._secret_fields())
        }
        for record in self:
            lines, problem = [], False
            for name in self._secret_fields():
                secret = stored.get((record.id, name))
                if secret:
                    try:
                        secret_box.decrypt(secret.ciphertext)
                    except secret_box.SecretsUnavailable as error:
                        problem = self.env._(
                            "The secrets below cannot be read, so partners that need them are "
                            "not called: %s",
                            error,
                        )
                    lines.append(
                        self.env._(
                            "%(secret)s: set on %(when)s by %(who)s",
                            secret=self._fields[name].get_description(self.env)["string"],
                            when=fields.Datetime.to_string(
                                fields.Datetime.context_timestamp(record, secret.set_at)
                            )[:16],
                            who=secret.set_by_id.name,
                        )
                    )
            record.secrets_status = "\n".join(lines) or self.env._("None")
            record.secrets_problem = problem

    @api.model_create_multi
    def create(self, vals_list):
        values = [self._pop_secrets(vals) for vals in vals_list]
        records = super().create(vals_list)
        for record, secrets in zip(records, values, strict=True):
            record._set_secrets(secrets)
        return records

    def write(self, vals):
        secrets = self._pop_secrets(vals)
        result = super().write(vals)
        self._set_secrets(secrets)
        return result

    def unlink(self):
        rows = self._secret_rows(self._secret_fields())
        result = super().unlink()
        rows.unlink()
        return result

    def _pop_secrets(self, vals):
        return {name: vals.pop(name) for name in self._secret_fields() if name in vals}

    def _secret_rows(self, names):
        return (
            self.env["logistics.secret"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("field_name", "in", list(names)),
                ]
            )
        )

    def _set_secrets(self, secrets):
        """Store ``secrets`` ({field: plaintext}) encrypted; an empty value
        removes the secret."""
        if not secrets or not self:
            return
        for record in self:
            for name, plaintext in secrets.items():
                row = record._secret_rows([name])
                if not plaintext:
                    row.unlink()
                    continue
                try:
                    ciphertext = secret_box.encrypt(plaintext)
                except secret_box.SecretsUnavailable as error:
                    raise UserError(self.env._("The secret cannot be stored: %s", error)) from error
                values = {
                    "ciphertext": ciphertext,
                    "set_by_id": self.env.uid,
                    "set_at": fields.Datetime.now(),
                }
                if row:
                    row.write(values)
                else:
                    row.create(
                        {
                            **values,
                            "res_model": record._name,
                            "res_id": record.id,
                            "field_name": name,
                        }
                    )
        self._audit_secrets(secrets)
        self.env.registry.clear_cache()  # the API's signature checks cache secrets

    @api.model
    def _encrypt_plaintext_columns(self):
        """Upgrade from versions that kept these secrets in plain columns:
        encrypt what they hold, then drop the columns (a migration step; fails
        without the key, so nothing stays readable in the meantime)."""
        for name in self._secret_fields():
            if not sql.column_exists(self.env.cr, self._table, name):
                continue
            self.env.cr.execute(
                SQL(
                    "SELECT id, %(column)s FROM %(table)s WHERE coalesce(%(column)s, '') != ''",
                    column=SQL.identifier(name),
                    table=SQL.identifier(self._table),
                )
            )
            for record_id, plaintext in self.env.cr.fetchall():
                self.browse(record_id)._set_secrets({name: plaintext})
            self.env.cr.execute(
                SQL(
                    "ALTER TABLE %s DROP COLUMN %s",
                    SQL.identifier(self._table),
                    SQL.identifier(name),
                )
            )

    def _secret(self, name):
        """The plaintext of secret ``name``, or False when none is set. Raises
        :class:`SecretsUnavailable` when the hub holds no key that opens it."""
        self.ensure_one()
        row = self._secret_rows([name])
        return secret_box.decrypt(row.ciphertext) if row else False
