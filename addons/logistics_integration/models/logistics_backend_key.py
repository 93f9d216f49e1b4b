from datetime import timedelta

from odoo import api, fields, models

from ..lib import apikey, key_usage
from .groups import ADMIN_GROUP, integration_admins

WARN_DAYS = 14  # an administrator is asked to rotate a key this long before it expires


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
    revoked_at = fields.Datetime(string="Revoked On", readonly=True, copy=False)
    last_used_at = fields.Datetime(string="Last Used", compute="_compute_last_use")
    last_used_from = fields.Char(compute="_compute_last_use")
    expiry_warned = fields.Boolean(
        readonly=True, copy=False, help="An administrator was asked to rotate it before it expires."
    )
    state = fields.Selection(
        [
            ("active", "Active"),
            ("expiring", "Expiring Soon"),
            ("expired", "Expired"),
            ("revoked", "Revoked"),
        ],
        compute="_compute_state",
    )

    _sql_constraints = [("key_hash_unique", "UNIQUE (key_hash)", "This key already exists.")]

    def init(self):
        self.env.cr.execute(key_usage.CREATE_TABLE)

    def _compute_last_use(self):
        ids = [key.id for key in self if isinstance(key.id, int)]
        self.env.cr.execute(
            "SELECT key_id, last_used_at, last_used_from FROM logistics_key_usage"
            " WHERE key_id = ANY(%s)",
            [ids],
        )
        uses = {key_id: use for key_id, *use in self.env.cr.fetchall()}
        for key in self:
            key.last_used_at, key.last_used_from = uses.get(key.id, (False, False))

    @api.depends("active", "expires_at")
    def _compute_state(self):
        now = fields.Datetime.now()
        for key in self:
            if not key.active:
                key.state = "revoked"
            elif key.expires_at and key.expires_at <= now:
                key.state = "expired"
            elif key.expires_at and key.expires_at <= now + timedelta(days=WARN_DAYS):
                key.state = "expiring"
            else:
                key.state = "active"

    def write(self, vals):
        vals = dict(vals)  # the caller's dict stays as it was
        if "active" in vals:
            vals["revoked_at"] = False if vals["active"] else fields.Datetime.now()
        if "expires_at" in vals:
            vals["expiry_warned"] = False
        return super().write(vals)

    def unlink(self):
        self.env.cr.execute("DELETE FROM logistics_key_usage WHERE key_id = ANY(%s)", [self.ids])
        return super().unlink()

    @api.model
    def _warn_expiring(self):
        """Ask an integration administrator, by an activity on the backend, to
        rotate each active key that expires within WARN_DAYS (once per expiry)."""
        now = fields.Datetime.now()
        keys = self.search(
            [
                ("expires_at", ">", now),
                ("expires_at", "<=", now + timedelta(days=WARN_DAYS)),
                ("expiry_warned", "=", False),
            ]
        )
        for key in keys:
            expires = fields.Datetime.context_timestamp(key, key.expires_at)
            key.backend_id.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=max(expires.date() - timedelta(days=1), fields.Date.today()),
                summary=self.env._("Rotate API key %(key)s", key=key.display_name),
                note=self.env._(
                    "It expires on %(when)s. Generate a new key, give it to the partner, "
                    "and revoke this one once the partner uses the new one (both work "
                    "meanwhile; Last Used tells when the switch happened).",
                    when=expires.strftime("%Y-%m-%d %H:%M"),
                ),
                user_id=key._rotation_owner().id,
            )
        keys.write({"expiry_warned": True})
        return keys

    def _rotation_owner(self):
        """Who rotates this key: the administrator who made it, else any."""
        admins = integration_admins(self.env)
        return self.create_uid if self.create_uid in admins else admins[:1]

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
