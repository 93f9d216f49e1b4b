import json
import secrets
from datetime import datetime
from typing import NamedTuple
from urllib.parse import urlsplit

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ..lib import backoff, destinations
from ..lib.circuit import Circuit

ADMIN_GROUP = "logistics_canonical.group_integration_admin"
MAX_SUBSCRIPTIONS = 10  # per API client: each one is a delivery the server makes


class InboxTarget(NamedTuple):
    """A backend as the inbound API sees it (cached per worker)."""

    id: int
    company_id: int
    code: str
    partitions: int
    rate_limit: int
    require_signature: bool
    secrets: tuple
    tolerance: int
    outbound_only: bool
    expires_at: datetime | None = None


# Fields read through per-worker caches: the API's authentication
# (logistics.inbox) and the list of webhook subscribers (logistics.outbox).
CACHED_FIELDS = {
    "active",
    "code",
    "company_id",
    "environment",
    "require_signature",
    "signing_secret",
    "signing_secret_previous",
    "signature_tolerance",
    "rate_limit_per_minute",
    "partitions",
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
    _inherit = ["mail.thread", "logistics.cached.config"]
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
        default="sandbox",
        tracking=True,
        help="Messages of a sandbox or test backend never touch production data.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Counterpart", help="Who is on the other side."
    )
    code_scheme_id = fields.Many2one(
        "logistics.code.scheme",
        string="Status Code List",
        help="How this backend names milestones when it does not use canonical codes.",
    )
    notes = fields.Html()

    # outbound connection
    base_url = fields.Char(string="Base URL", groups=ADMIN_GROUP)
    username = fields.Char(groups=ADMIN_GROUP)
    password = fields.Char(groups=ADMIN_GROUP)
    api_token = fields.Char(string="Outbound API Token", groups=ADMIN_GROUP)

    # inbound authentication: API keys (logistics.backend.key) and optional signatures
    key_ids = fields.One2many("logistics.backend.key", "backend_id", string="API Keys")
    require_signature = fields.Boolean(
        help="Inbound requests must carry an HMAC-SHA256 signature header over timestamp and body."
    )
    signing_secret = fields.Char(groups=ADMIN_GROUP, copy=False)
    signing_secret_previous = fields.Char(
        groups=ADMIN_GROUP,
        copy=False,
        help="Still accepted while the partner switches to the new secret.",
    )
    signature_tolerance = fields.Integer(
        string="Signature Window (s)",
        default=300,
        help="How far the signed timestamp may be from now: older requests are replays.",
    )

    # runtime policy
    max_attempts = fields.Integer(
        default=5, help="Attempts of a message before it is dead-lettered."
    )
    retry_pattern = fields.Char(
        default="1:10,3:60,5:300",
        help="Seconds to wait before the next attempt, by attempt number: "
        "'1:10,3:60' waits 10 s after attempts 1-2, then 60 s.",
    )
    rate_limit_per_minute = fields.Integer(
        default=600, help="Inbound events accepted per minute (0: unlimited)."
    )
    partitions = fields.Integer(
        default=2,
        help="Inbound messages are processed in this many parallel lanes; "
        "all messages of one shipment share a lane, so they stay in order.",
    )

    # outbound delivery
    adapter = fields.Selection(
        [("none", "No outbound"), ("webhook", "Webhook (signed JSON POST)"), ("mail", "E-mail")],
        default="none",
        required=True,
        help="How messages to this backend are delivered; connector modules add their own.",
    )
    created_by_backend_id = fields.Many2one(
        "logistics.backend",
        string="Subscribed By",
        readonly=True,
        copy=False,
        ondelete="cascade",
        help="The API client that created this webhook through the subscriptions API; "
        "only it can list and stop it there.",
    )
    subscribed_code_ids = fields.Many2many(
        "logistics.milestone.code",
        string="Subscribed Milestones",
        help="Webhook subscriptions: the milestones sent to the URL (empty: all).",
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
        ("partitions_positive", "CHECK (partitions > 0)", "A backend needs at least one lane."),
    ]

    @api.constrains("retry_pattern")
    def _check_retry_pattern(self):
        for backend in self:
            try:
                backoff.parse_pattern(backend.retry_pattern)
            except ValueError as error:
                raise ValidationError(str(error)) from error

    def _inbox_target(self, expires_at=None):
        """What the inbox needs to know of this backend, as an immutable value."""
        self.ensure_one()
        return InboxTarget(
            id=self.id,
            company_id=self.company_id.id,
            code=self.code,
            partitions=self.partitions,
            rate_limit=self.rate_limit_per_minute,
            require_signature=self.require_signature,
            secrets=tuple(filter(None, [self.signing_secret, self.signing_secret_previous])),
            tolerance=self.signature_tolerance,
            outbound_only=self.adapter == "mail",
            expires_at=expires_at,
        )

    @api.model
    @tools.ormcache()
    def _subscriber_partner_ids(self):
        """Partners with a webhook subscription: most shipments have none, and
        then no milestone needs a search for subscriptions."""
        backends = self.sudo().search([("adapter", "=", "webhook"), ("partner_id", "!=", False)])
        return frozenset(backends.partner_id.ids)

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

    def _render_outbound(self, message_type, payload):
        """``(body, payload format)`` of an outbound message to this backend.
        JSON here; connector modules render their own formats (EDI...)."""
        return (
            payload if isinstance(payload, str) else json.dumps(payload, sort_keys=True)
        ), "json"

    # --- webhook subscriptions made through the API -------------------------------

    def _subscriptions_domain(self):
        """The webhooks this backend created through the subscriptions API."""
        return [("adapter", "=", "webhook"), ("created_by_backend_id", "=", self.id)]

    def _subscription_problems(self, document):
        if not isinstance(document, dict):
            return [{"field": "", "message": "a subscription is a JSON object"}]
        problems = []
        url_problem = self._subscription_url_problem(document.get("url"))
        if url_problem:
            problems.append({"field": "url", "message": url_problem})
        milestones = document.get("milestones") or []
        known = set(self.env["logistics.milestone.code"].search([]).mapped("code"))
        if not isinstance(milestones, list) or not all(
            isinstance(code, str) and code in known for code in milestones
        ):
            problems.append(
                {
                    "field": "milestones",
                    "message": f"a list of canonical codes among {sorted(known)}",
                }
            )
        extra = set(document) - {"url", "milestones"}
        if extra:
            problems.append({"field": sorted(extra)[0], "message": "unknown field"})
        if len(self.search(self._subscriptions_domain())) >= MAX_SUBSCRIPTIONS:
            problems.append(
                {"field": "", "message": f"at most {MAX_SUBSCRIPTIONS} subscriptions per client"}
            )
        return problems

    def _subscription_url_problem(self, url):
        if not isinstance(url, str) or len(url) > 2000:
            return "an http(s) URL of at most 2000 characters is required"
        try:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return "an http(s) URL is required"
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return "an http(s) URL is required"
        allow_private = tools.str2bool(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("logistics.subscriptions.allow_private", "False")
        )
        if not allow_private:
            refused = destinations.private_address(parts.hostname, port)
            if refused:
                return f"{parts.hostname} is not a public internet address ({refused})"
        return None

    def _subscribe(self, url, milestone_codes):
        """Create a signed webhook for this backend's partner; return it and its secret."""
        self.ensure_one()
        secret = secrets.token_urlsafe(32)
        partner = self.partner_id.commercial_partner_id
        subscription = self.create(
            {
                "name": self.env._("%(partner)s webhook %(url)s", partner=partner.name, url=url)[
                    :120
                ],
                "code": f"hook_{secrets.token_hex(4)}",
                "adapter": "webhook",
                "environment": self.environment,
                "company_id": self.company_id.id,
                "partner_id": partner.id,
                "created_by_backend_id": self.id,
                "base_url": url,
                "signing_secret": secret,
                "subscribed_code_ids": [
                    (
                        6,
                        0,
                        self.env["logistics.milestone.code"]
                        .search([("code", "in", milestone_codes)])
                        .ids,
                    )
                ],
            }
        )
        return subscription, secret

    def _subscription_json(self):
        return {
            "subscription_id": self.id,
            "url": self.sudo().base_url,
            "milestones": self.subscribed_code_ids.mapped("code"),
            "circuit": self.circuit_state,
        }

    @api.model
    def _mail_backend(self, company):
        """The outbox destination of customer e-mails of ``company``, created on
        first use. Archiving it stops customer e-mails of that company."""
        backend = (
            self.sudo()
            .with_context(active_test=False)
            .search([("adapter", "=", "mail"), ("company_id", "=", company.id)], limit=1)
        )
        return backend or self.sudo().create(
            {
                "name": self.env._("Customer e-mail notifications"),
                "code": "mail",
                "adapter": "mail",
                "environment": "production",
                "company_id": company.id,
                "rate_limit_per_minute": 0,
            }
        )

    def action_reset_circuit(self):
        self._store_circuit(Circuit(threshold=self.circuit_threshold))
        self.env["logistics.outbox"]._schedule_delivery(self)

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
            "logistics_canonical.action_integration_message"
        )
        action["domain"] = [("backend_id", "=", self.id)]
        action["context"] = {"default_backend_id": self.id}
        return action
