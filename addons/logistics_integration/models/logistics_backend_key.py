from odoo import api, fields, models

from ..lib import apikey
from .logistics_backend import ADMIN_GROUP


class LogisticsBackendKey(models.Model):
    """An API key a backend authenticates with. Only its hash is stored: the
    key itself is shown once, when generated. Several keys may be active at
    once so a partner can rotate without downtime."""

    _name = "logistics.backend.key"
    _inherit = ["logistics.cached.config", "logistics.audit.mixin"]
    _description = "Backend API Key"
    _order = "backend_id, id desc"

    backend_id = fields.Many2one("logistics.backend", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    name = fields.Char(required=True, default=lambda self: self.env._("API key"))
    hint = fields.Char(readonly=True, help="The first characters of the key, to tell keys apart.")
    key_hash = fields.Char(readonly=True, required=True, groups=ADMIN_GROUP, copy=False)
    active = fields.Boolean(default=True)
    expires_at = fields.Datetime(help="After this moment the key is refused.")
    full_access = fields.Boolean(
        help="Every route, including those of modules installed later (keys made before "
        "scopes existed, and the setup's own).",
    )
    scope_ids = fields.Many2many(
        "logistics.api.scope",
        string="Scopes",
        help="What the key may do; any other route answers 403 naming the missing scope.",
    )
    create_date = fields.Datetime(string="Created On", readonly=True)

    _sql_constraints = [("key_hash_unique", "UNIQUE (key_hash)", "This key already exists.")]

    @api.depends("backend_id.name", "name", "hint")
    def _compute_display_name(self):
        for key in self:
            key.display_name = f"{key.backend_id.name}: {key.name} ({key.hint or ''}…)"

    @api.model
    def _generate(self, backend, name=None, scopes=None):
        """Create a key for ``backend`` and return ``(record, plain key)``; the plain
        key is not stored anywhere. ``scopes``: what it may do (None: everything)."""
        key = apikey.generate()
        record = self.create(
            {
                "backend_id": backend.id,
                "name": name or self.env._("API key"),
                "hint": apikey.hint(key),
                "key_hash": apikey.digest(key),
                "full_access": scopes is None,
                "scope_ids": [(6, 0, scopes.ids if scopes is not None else [])],
            }
        )
        return record, key

    def _scope_codes(self):
        """The scopes a request with this key has (None: all of them)."""
        return None if self.full_access else frozenset(self.scope_ids.mapped("code"))

    def action_revoke(self):
        self.write({"active": False})
