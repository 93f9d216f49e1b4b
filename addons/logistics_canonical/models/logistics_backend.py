import re
import secrets
from urllib.parse import urlsplit

from odoo import api, fields, models, tools

from odoo.addons.logistics_integration.lib import destinations

MAX_SUBSCRIPTIONS = 10  # per API client: each one is a delivery the server makes
# http(s), a host name, IPv4 or [IPv6] address, an optional port, then an RFC 3986
# path, query and fragment
_PCHAR = r"([A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})"
URL_PATTERN = (
    r"^https?://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])"
    r"(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}))?"
    rf"(/({_PCHAR}|/)*)?(\?({_PCHAR}|[/?])*)?(#({_PCHAR}|[/?])*)?$"
)


class LogisticsBackend(models.Model):
    """What a backend is in the shipment domain: the code list it names
    milestones in, and the milestones a webhook subscription receives."""

    _inherit = "logistics.backend"

    code_scheme_id = fields.Many2one(
        "logistics.code.scheme",
        string="Status Code List",
        help="How this backend names milestones when it does not use canonical codes.",
    )
    adapter = fields.Selection(selection_add=[("mail", "E-mail")], ondelete={"mail": "set default"})
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

    reference_kind_id = fields.Many2one(
        "logistics.identifier.kind",
        string="Its Reference Type",
        help="What this backend's own shipment reference is to others: a TMS's load "
        "id, a carrier's PRO, a bill of lading. Other backends then find the shipment "
        "by it. Empty: a reference only this backend knows.",
    )
    match_kind_ids = fields.Many2many(
        "logistics.identifier.kind",
        string="Match Shipments By",
        default=lambda self: self._default_match_kinds(),
        help="Identifiers that find an existing shipment when this backend names one "
        "it never named before. Others it sends are only recorded.",
    )

    @api.model
    def _default_match_kinds(self):
        return self.env["logistics.identifier.kind"].search([("match_by_default", "=", True)])

    def _receives_inbound(self):
        return self.adapter != "mail" and super()._receives_inbound()

    @api.model
    @tools.ormcache()
    def _subscriber_partner_ids(self):
        """Partners with a webhook subscription: most shipments have none, and
        then no milestone needs a search for subscriptions."""
        backends = self.sudo().search([("adapter", "=", "webhook"), ("partner_id", "!=", False)])
        return frozenset(backends.partner_id.ids)

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
        milestones = document.get("milestones", [])
        known = set(self.env["logistics.milestone.code"].search([]).mapped("code"))
        if (
            not isinstance(milestones, list)
            or not all(isinstance(code, str) and code in known for code in milestones)
            or len(set(milestones)) != len(milestones)
        ):
            problems.append(
                {
                    "field": "milestones",
                    "message": f"a list of distinct canonical codes among {sorted(known)}",
                }
            )
        extra = set(document) - {"url", "milestones"}
        if extra:
            problems.append({"field": sorted(extra)[0], "message": "unknown field"})
        return problems

    def _subscriptions_full(self):
        """Has this client as many subscriptions as it may?"""
        return len(self.search(self._subscriptions_domain())) >= MAX_SUBSCRIPTIONS

    def _subscription_url_problem(self, url):
        if not isinstance(url, str) or not re.match(URL_PATTERN, url):
            return "an http(s) URL is required"
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
        """Create a signed webhook for this API client's partner; return it and its secret."""
        self.ensure_one()
        return self._create_subscription(
            self.partner_id.commercial_partner_id,
            self.company_id,
            self.environment,
            url,
            milestone_codes,
            created_by_backend_id=self.id,
        )

    @api.model
    def _create_subscription(self, partner, company, environment, url, milestone_codes, **origin):
        """A signed webhook of ``partner`` and its secret; ``origin`` says who made it."""
        secret = secrets.token_urlsafe(32)
        subscription = self.sudo().create(
            {
                "name": self.env._("%(partner)s webhook %(url)s", partner=partner.name, url=url)[
                    :120
                ],
                "code": f"hook_{secrets.token_hex(4)}",
                "adapter": "webhook",
                "environment": environment,
                "company_id": company.id,
                "partner_id": partner.id,
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
                **origin,
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
