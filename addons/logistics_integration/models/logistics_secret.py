from odoo import api, fields, models

from ..lib import secret_box


class LogisticsSecret(models.Model):
    """One encrypted credential of a record: a backend's password or token, a
    signing secret, an SFTP password. Only ciphertext is stored, under a key
    kept outside the database; nobody has access rights to this model, the
    hub reads it with sudo (see ``logistics.secret.mixin``)."""

    _name = "logistics.secret"
    _description = "Encrypted Credential"
    _rec_name = "field_name"

    res_model = fields.Char(required=True, index=True)
    res_id = fields.Many2oneReference(model_field="res_model", required=True)
    field_name = fields.Char(required=True)
    ciphertext = fields.Char(required=True)
    set_by_id = fields.Many2one("res.users", string="Set By", required=True, ondelete="restrict")
    set_at = fields.Datetime(string="Set On", required=True)

    _sql_constraints = [
        (
            "one_per_field",
            "UNIQUE (res_model, res_id, field_name)",
            "A record holds one value of each secret.",
        )
    ]

    @api.model
    def _rotate(self):
        """Encrypt every secret again with the first configured key, so the
        others can be dropped; return how many."""
        secrets = self.sudo().search([])
        for secret in secrets:
            secret.ciphertext = secret_box.rotate(secret.ciphertext)
        return len(secrets)
