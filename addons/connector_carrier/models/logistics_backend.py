import json

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.logistics_integration.models.groups import ADMIN_GROUP

from ..lib import mapping, polling, rest_client, soap_client
from ..lib.mapping import Mapping, MappingError
from ..lib.webhook_signature import SCHEMES

CONNECT_TIMEOUT = 5  # seconds
SCHEME_LABELS = {
    "hmac_base64": "HMAC-SHA256 of the body, base64, in a header",
    "hmac_hex": "HMAC-SHA256 of the body, hex, in a header (optional prefix)",
    "standard_webhooks": "Standard Webhooks (webhook-id, -timestamp, -signature)",
}


class LogisticsBackend(models.Model):
    """A carrier: how to ask it (REST or SOAP, under its quota), how it pushes
    (signed webhooks), and how to read what it says (mapping and code table)."""

    _inherit = "logistics.backend"

    kind = fields.Selection(
        selection_add=[("carrier", "Carrier")], ondelete={"carrier": "set default"}
    )
    carrier_protocol = fields.Selection(
        [("rest", "REST (JSON)"), ("soap", "SOAP (WSDL)")],
        string="Carrier API",
        default="rest",
        help="REST: the Base URL is the API root. SOAP: the Base URL is the WSDL.",
    )
    carrier_sync = fields.Selection(
        [
            ("webhook", "Webhooks (safety polls only)"),
            ("polling", "Polling"),
            ("both", "Webhooks and polling"),
        ],
        string="Tracking Updates",
        default="polling",
    )
    carrier_poll_path = fields.Char(
        string="Tracking Path",
        default="/v1/tracking",
        help="REST: the path polled with ?numbers=a,b,c.",
    )
    carrier_soap_operation = fields.Char(
        string="SOAP Operation",
        default="GetTracking",
        help="SOAP: the operation that takes a list of tracking numbers.",
    )
    carrier_batch_size = fields.Integer(
        string="Numbers per Request",
        default=50,
        help="How many tracking numbers one request may ask about (1: one per request).",
    )
    carrier_timeout = fields.Integer(
        string="Answer Timeout (s)",
        default=20,
        help="How long to wait for the carrier's answer before trying later.",
    )
    carrier_quota_per_second = fields.Integer(
        string="Requests per Second",
        default=5,
        help="The carrier's quota; polls wait rather than exceed it (0: none).",
    )
    carrier_quota_per_day = fields.Integer(
        string="Requests per Day",
        default=100000,
        help="The carrier's daily quota; polls wait for the next day rather than exceed it.",
    )
    carrier_blocked_until = fields.Datetime(
        string="Quota Blocked Until",
        readonly=True,
        copy=False,
        help="The carrier answered 429: no poll before this time (its Retry-After).",
    )
    carrier_tracking_url = fields.Char(
        string="Tracking Page",
        help="The carrier's public tracking page, {number} stands for the tracking number.",
    )
    carrier_mapping = fields.Text(
        string="Field Mapping",
        help="Where the carrier puts each field, as a JSON object of JMESPath "
        "expressions; empty fields keep the default. Try it with Preview Mapping.",
    )
    carrier_webhook_scheme = fields.Selection(
        [(scheme, SCHEME_LABELS[scheme]) for scheme in SCHEMES],
        string="Webhook Signature",
        default="hmac_base64",
    )
    carrier_webhook_header = fields.Char(
        string="Signature Header",
        default="X-Carrier-Signature",
        help="The header of the HMAC schemes.",
    )
    carrier_webhook_prefix = fields.Char(
        string="Signature Prefix", help="E.g. 'sha256=' before a hex signature."
    )
    carrier_webhook_url = fields.Char(
        string="Webhook URL", compute="_compute_carrier_webhook_url", groups=ADMIN_GROUP
    )
    carrier_code_ids = fields.One2many(
        "logistics.carrier.code", "backend_id", string="Carrier Status Codes"
    )
    carrier_tracking_ids = fields.One2many(
        "logistics.carrier.tracking", "backend_id", string="Tracking Numbers"
    )
    carrier_tracking_count = fields.Integer(compute="_compute_carrier_tracking_count")
    delivery_carrier_ids = fields.One2many(
        "delivery.carrier", "logistics_backend_id", string="Shipping Methods"
    )
    # the polling schedule (see lib/polling.py), in minutes
    poll_pending_minutes = fields.Integer(
        string="Before First Scan", default=polling.Policy.pending
    )
    poll_in_transit_minutes = fields.Integer(string="In Transit", default=polling.Policy.in_transit)
    poll_in_transit_max_minutes = fields.Integer(
        string="In Transit, at Most", default=polling.Policy.in_transit_max
    )
    poll_delivery_day_minutes = fields.Integer(
        string="On the Delivery Day", default=polling.Policy.delivery_day
    )
    poll_out_for_delivery_minutes = fields.Integer(
        string="Out for Delivery", default=polling.Policy.out_for_delivery
    )
    poll_incident_minutes = fields.Integer(
        string="After an Incident", default=polling.Policy.incident
    )
    poll_confirmation_minutes = fields.Integer(
        string="Confirmation After Delivery", default=polling.Policy.confirmation
    )
    poll_retire_days = fields.Integer(
        string="Stop After (days without event)",
        default=polling.Policy.retire_days,
        help="A number without any event for this long stops being polled.",
    )
    poll_safety_hours = fields.Integer(
        string="Safety Poll After (h)",
        default=48,
        help="With webhooks: poll a number whose webhooks have been silent this long.",
    )

    @api.depends("code")
    def _compute_carrier_webhook_url(self):
        for backend in self:
            backend.carrier_webhook_url = (
                self._public_url(f"/logistics/v1/carriers/{backend.code}/webhook")
                if backend.kind == "carrier" and backend.code
                else False
            )

    def _compute_carrier_tracking_count(self):
        groups = self.env["logistics.carrier.tracking"]._read_group(
            [("backend_id", "in", self.ids)], ["backend_id"], ["__count"]
        )
        counts = {backend.id: count for backend, count in groups}
        for backend in self:
            backend.carrier_tracking_count = counts.get(backend.id, 0)

    @api.constrains("carrier_mapping")
    def _check_carrier_mapping(self):
        for backend in self:
            try:
                Mapping.from_json(backend.carrier_mapping)
            except MappingError as error:
                raise ValidationError(str(error)) from error

    @api.constrains("carrier_batch_size", "carrier_quota_per_second", "carrier_quota_per_day")
    def _check_carrier_limits(self):
        for backend in self.filtered(lambda b: b.kind == "carrier"):
            if backend.carrier_batch_size < 1:
                raise ValidationError(self.env._("A request asks about at least one number."))
            if backend.carrier_quota_per_second < 0 or backend.carrier_quota_per_day < 0:
                raise ValidationError(self.env._("A quota cannot be negative."))

    def _carrier_mapping(self):
        return Mapping.from_json(self.carrier_mapping)

    def _polling_policy(self):
        return polling.Policy(
            pending=self.poll_pending_minutes,
            in_transit=self.poll_in_transit_minutes,
            in_transit_max=self.poll_in_transit_max_minutes,
            delivery_day=self.poll_delivery_day_minutes,
            out_for_delivery=self.poll_out_for_delivery_minutes,
            incident=self.poll_incident_minutes,
            confirmation=self.poll_confirmation_minutes,
            retire_days=self.poll_retire_days,
            safety_hours=self.poll_safety_hours if self.carrier_sync == "webhook" else 0,
        )

    def _carrier_tracking_link(self, number):
        template = self.carrier_tracking_url or ""
        return template.replace("{number}", number) if "{number}" in template else False

    def action_preview_carrier_mapping(self):
        """Try the mapping on the carrier's last answer (or a pasted one)."""
        self.ensure_one()
        last = self.env["logistics.integration.message"].search(
            [("backend_id", "=", self.id), ("message_type", "=", "carrier_tracking")], limit=1
        )
        preview = self.env["logistics.carrier.mapping.preview"].create(
            {
                "backend_id": self.id,
                "mapping": self.carrier_mapping or json.dumps(mapping.DEFAULT, indent=2),
                "sample": last.payload or False,
                "source": "poll"
                if (last.idempotency_key or "poll:").startswith("poll:")
                else "webhook",
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Preview Mapping"),
            "res_model": preview._name,
            "res_id": preview.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_view_carrier_trackings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "connector_carrier.action_carrier_tracking"
        )
        action["domain"] = [("backend_id", "=", self.id)]
        action["context"] = {"default_backend_id": self.id}
        return action

    # --- asking the carrier -------------------------------------------------------

    def _carrier_fetch(self, numbers):
        """The carrier's answer about ``numbers`` (raises lib.errors.CarrierError)."""
        self.ensure_one()
        backend = self.sudo()
        timeout = (CONNECT_TIMEOUT, backend.carrier_timeout or 20)
        if backend.carrier_protocol == "soap":
            return soap_client.fetch(
                backend.base_url,
                backend.carrier_soap_operation,
                numbers,
                backend.username or "",
                backend._secret("password") or "",
                timeout=timeout,
            )
        return rest_client.fetch(
            backend.base_url or "",
            backend.carrier_poll_path or "",
            numbers,
            backend._secret("api_token") or "",
            timeout=timeout,
        )
