from datetime import datetime
from typing import NamedTuple

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ..lib import backoff, networks, secret_box, timeline
from ..lib.circuit import Circuit
from .groups import ADMIN_GROUP


class InboxTarget(NamedTuple):
    """A backend as the inbound API sees it (cached per worker)."""

    id: int
    company_id: int
    code: str
    kind: str
    lanes: int
    rate_limit: int
    require_signature: bool
    secrets: tuple
    tolerance: int
    outbound_only: bool
    expires_at: datetime | None = None
    secrets_problem: str = ""  # the signing secrets cannot be read: why
    scopes: frozenset | None = None  # of the key the request came with (None: all)
    networks: tuple = ()  # addresses requests may come from (empty: any)
    key_id: int = 0  # the API key the request came with


# Fields read through per-worker caches (the API's authentication, and what
# modules cache of their subscribers).
CACHED_FIELDS = {
    "active",
    "code",
    "kind",
    "company_id",
    "environment",
    "require_signature",
    "signing_secret",
    "signing_secret_previous",
    "signature_tolerance",
    "allowed_networks",
    "rate_limit_per_minute",
    "lanes",
    "adapter",
    "partner_id",
}


class LogisticsBackend(models.Model):
    """One configured counterpart: a TMS, a carrier, an EDI partner, an API client.

    Connection secrets are fields of the Integration Administrator group only:
    other users can see that a backend exists (a milestone names its source)
    but never its credentials.
    """

    _name = "logistics.backend"
    _description = "Logistics Backend"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "logistics.cached.config",
        "logistics.secret.mixin",
        "logistics.four.eyes.mixin",
    ]
    _cached_fields = CACHED_FIELDS  # circuit updates, frequent, leave the caches alone
    _order = "sequence, name"

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(
        required=True,
        help="Short technical name, used in job channels, logs and URLs.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    kind = fields.Selection(
        [("api", "Canonical API client")],
        required=True,
        default="api",
        tracking=True,
        help="The dialect the counterpart speaks; each connector module adds its own.",
    )
    environment = fields.Selection(
        [("sandbox", "Sandbox"), ("test", "Test"), ("production", "Production")],
        required=True,
        default=lambda self: self._default_environment(),
        tracking=True,
        help="Messages of a sandbox or test backend never touch production data.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Counterpart", help="Who is on the other side."
    )
    notes = fields.Html()

    # outbound connection
    base_url = fields.Char(string="Base URL", groups=ADMIN_GROUP)
    username = fields.Char(groups=ADMIN_GROUP)
    # secrets: write-only, encrypted at rest (logistics.secret.mixin)
    password = fields.Char(compute="_compute_write_only", readonly=False, groups=ADMIN_GROUP)
    api_token = fields.Char(
        string="Outbound API Token",
        compute="_compute_write_only",
        readonly=False,
        groups=ADMIN_GROUP,
    )

    # inbound authentication: API keys (logistics.backend.key) and optional signatures
    key_ids = fields.One2many("logistics.backend.key", "backend_id", string="API Keys")
    require_signature = fields.Boolean(
        help="Inbound requests must carry an HMAC-SHA256 signature header over timestamp and body."
    )
    signing_secret = fields.Char(compute="_compute_write_only", readonly=False, groups=ADMIN_GROUP)
    signing_secret_previous = fields.Char(
        string="Signing Secret (previous)",
        compute="_compute_write_only",
        readonly=False,
        groups=ADMIN_GROUP,
        help="Still accepted while the partner switches to the new secret.",
    )
    allowed_networks = fields.Text(
        string="Allowed Addresses",
        help="Addresses or networks (CIDR: 203.0.113.0/24, 2001:db8::/32) this backend's "
        "requests may come from, separated by commas or lines; others are refused before "
        "anything else is read. Empty: any address. Behind a proxy, Odoo must run with "
        "proxy_mode for the client's own address to count.",
    )
    signature_tolerance = fields.Integer(
        string="Signature Window (s)",
        default=300,
        help="How far the signed timestamp may be from now: older requests are replays.",
    )

    # runtime policy
    max_attempts = fields.Integer(
        default=lambda self: self._setting_int("default_max_attempts", 5),
        help="Attempts of a message before it is dead-lettered.",
    )
    retry_pattern = fields.Char(
        default=lambda self: self._setting("default_retry_pattern", "1:10,3:60,5:300"),
        help="Seconds to wait before the next attempt, by attempt number: "
        "'1:10,3:60' waits 10 s after attempts 1-2, then 60 s.",
    )
    rate_limit_per_minute = fields.Integer(
        default=600, help="Inbound events accepted per minute (0: unlimited)."
    )
    lanes = fields.Integer(
        default=2,
        help="Inbound messages are processed in this many parallel lanes; "
        "the messages of one subject (a shipment, an order) share a lane, so they stay in order.",
    )

    # outbound delivery
    adapter = fields.Selection(
        [("none", "No outbound"), ("webhook", "Webhook (signed JSON POST)")],
        default="none",
        required=True,
        help="How messages to this backend are delivered; connector modules add their own.",
    )
    circuit_state = fields.Selection(
        [("closed", "Closed"), ("open", "Open"), ("half_open", "Half-open")],
        default="closed",
        required=True,
        readonly=True,
        copy=False,
        help="Open: the destination failed repeatedly; messages wait and a probe is sent "
        "after the cool-down.",
    )
    circuit_failures = fields.Integer(readonly=True, copy=False)
    circuit_opened_at = fields.Datetime(readonly=True, copy=False)
    circuit_threshold = fields.Integer(
        default=5, help="Consecutive delivery failures that open the circuit."
    )
    circuit_cooldown = fields.Integer(
        string="Circuit Cool-down (s)", default=60, help="Wait before a probe delivery."
    )

    key_timeline = fields.Html(
        compute="_compute_key_timeline",
        sanitize=False,  # rendered by our own QWeb template, values escaped there
        help="Each API key from creation to expiry or revocation, and when it was last used: "
        "rotation shows as two bars overlapping while the partner switches.",
    )
    integration_message_count = fields.Integer(
        compute="_compute_integration_message_count", string="Integration Messages"
    )

    _sql_constraints = [
        (
            "code_company_unique",
            "UNIQUE (code, company_id)",
            "Backend codes are unique per company.",
        ),
        (
            "max_attempts_positive",
            "CHECK (max_attempts > 0)",
            "A message needs at least one attempt.",
        ),
        ("lanes_positive", "CHECK (lanes > 0)", "A backend needs at least one lane."),
    ]

    @api.constrains("retry_pattern")
    def _check_retry_pattern(self):
        for backend in self:
            try:
                backoff.parse_pattern(backend.retry_pattern)
            except ValueError as error:
                raise ValidationError(str(error)) from error

    @api.constrains("allowed_networks")
    def _check_allowed_networks(self):
        for backend in self:
            try:
                networks.parse(backend.allowed_networks)
            except ValueError as error:
                raise ValidationError(self.env._("Allowed Addresses: %s", error)) from error

    def _inbox_target(self, expires_at=None, scopes=None, key_id=0):
        """What the inbox needs to know of this backend, as an immutable value."""
        self.ensure_one()
        try:
            secrets = (self._secret("signing_secret"), self._secret("signing_secret_previous"))
            problem = ""
        except secret_box.SecretsUnavailable as error:
            secrets, problem = (), str(error)
        return InboxTarget(
            id=self.id,
            company_id=self.company_id.id,
            code=self.code,
            kind=self.kind,
            lanes=self.lanes,
            rate_limit=self.rate_limit_per_minute,
            require_signature=self.require_signature,
            secrets=tuple(filter(None, secrets)),
            tolerance=self.signature_tolerance,
            outbound_only=not self._receives_inbound(),
            expires_at=expires_at,
            secrets_problem=problem,
            scopes=scopes,
            networks=networks.parse(self.allowed_networks),
            key_id=key_id,
        )

    def _receives_inbound(self):
        """Does this backend send us anything? A module whose backends only
        receive (customer e-mail) says no, and their keys are refused."""
        return True

    @api.model
    def _setting(self, name, default):
        return self.env["ir.config_parameter"].sudo().get_param(f"logistics.{name}") or default

    @api.model
    def _public_url(self, path):
        """The address partners reach ``path`` at: the public base URL of the
        Settings, else Odoo's own."""
        base = self._setting("public_base_url", "") or self.env[
            "ir.config_parameter"
        ].sudo().get_param("web.base.url", "")
        return base.rstrip("/") + path

    @api.model
    def _setting_int(self, name, default):
        value = self._setting(name, "")
        return int(value) if str(value).isdigit() and int(value) > 0 else default

    @api.model
    def _default_environment(self):
        value = self._setting("default_environment", "sandbox")
        return value if value in ("sandbox", "test", "production") else "sandbox"

    def _retry_delay(self, attempt):
        return backoff.delay(backoff.parse_pattern(self.retry_pattern), attempt)

    def _circuit(self):
        return Circuit(
            state=self.circuit_state,
            failures=self.circuit_failures,
            opened_at=self.circuit_opened_at,
            threshold=self.circuit_threshold,
            cooldown=self.circuit_cooldown,
        )

    def _store_circuit(self, circuit):
        vals = {
            "circuit_state": circuit.state,
            "circuit_failures": circuit.failures,
            "circuit_opened_at": circuit.opened_at,
        }
        if self.circuit_state != circuit.state:
            self.message_post(
                body=self.env._(
                    "Circuit %(old)s → %(new)s after %(failures)s failure(s).",
                    old=self.circuit_state,
                    new=circuit.state,
                    failures=circuit.failures,
                )
            )
        self.sudo().write(vals)

    def action_reset_circuit(self):
        self._store_circuit(Circuit(threshold=self.circuit_threshold))
        self.env["logistics.outbox"]._schedule_delivery(self)

    def _four_eyes_guarded(self, vals):
        """Production backends, and one about to become production."""
        if vals.get("environment") == "production":
            return self
        return self.filtered(lambda backend: backend.environment == "production")

    def _compute_key_timeline(self):
        now = fields.Datetime.now()
        Key = self.env["logistics.backend.key"].with_context(active_test=False)
        for backend in self:
            keys = Key.search([("backend_id", "=", backend.id)], order="create_date, id")
            if not keys:
                backend.key_timeline = False
                continue
            bars, now_at = timeline.layout(
                [
                    {
                        "start": key.create_date,
                        "end": key.revoked_at or key.expires_at,
                        "mark": key.last_used_at,
                        "key": key,
                    }
                    for key in keys
                ],
                now,
            )
            backend.key_timeline = self.env["ir.qweb"]._render(
                "logistics_integration.backend_key_timeline",
                {
                    "bars": bars,
                    "now_at": now_at,
                    "moment": backend._format_moment,
                    "states": dict(Key._fields["state"]._description_selection(self.env)),
                },
            )

    def _format_moment(self, moment):
        return tools.format_datetime(self.env, moment, dt_format=False)  # as Odoo's lists

    def _compute_integration_message_count(self):
        groups = self.env["logistics.integration.message"]._read_group(
            [("backend_id", "in", self.ids)], ["backend_id"], ["__count"]
        )
        counts = {backend.id: count for backend, count in groups}
        for backend in self:
            backend.integration_message_count = counts.get(backend.id, 0)

    def action_view_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_integration.action_integration_message"
        )
        action["domain"] = [("backend_id", "=", self.id)]
        action["context"] = {"default_backend_id": self.id}
        return action
