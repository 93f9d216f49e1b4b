from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import backoff


class ResConfigSettings(models.TransientModel):
    """The Logistics section of Odoo's Settings: connectors to install, the
    address partners reach us at, and the defaults of new backends."""

    _inherit = "res.config.settings"

    module_logistics_canonical = fields.Boolean(string="Shipments and milestones")
    module_connector_edi = fields.Boolean(string="EDI (X12, EDIFACT)")
    module_connector_carrier = fields.Boolean(string="Carrier tracking")
    module_connector_tms = fields.Boolean(string="TMS dispatch")
    module_logistics_billing = fields.Boolean(string="Billing on proof of delivery")
    logistics_public_base_url = fields.Char(
        string="Public Base URL",
        config_parameter="logistics.public_base_url",
        help="The address partners and webhooks reach this Odoo at (https://hub.example.com); "
        "the API description names it. Empty: the address of each request.",
    )
    logistics_default_environment = fields.Selection(
        [("sandbox", "Sandbox"), ("test", "Test"), ("production", "Production")],
        string="Default Environment",
        config_parameter="logistics.default_environment",
        default="sandbox",
    )
    logistics_default_max_attempts = fields.Integer(
        string="Attempts Before Dead Letter",
        config_parameter="logistics.default_max_attempts",
        default=5,
    )
    logistics_default_retry_pattern = fields.Char(
        string="Retry Pattern",
        config_parameter="logistics.default_retry_pattern",
        default="1:10,3:60,5:300",
        help="Seconds to wait before the next attempt, by attempt number: '1:10,3:60' waits "
        "10 s after attempts 1-2, then 60 s.",
    )
    logistics_payload_retention_days = fields.Integer(
        string="Keep Payloads (days)",
        config_parameter="logistics.payload_retention_days",
        default=0,
        help="Payloads of processed messages older than this are deleted each night; the "
        "message, its state and trace remain. 0 keeps them.",
    )

    @api.constrains("logistics_default_retry_pattern")
    def _check_default_retry_pattern(self):
        for settings in self.filtered("logistics_default_retry_pattern"):
            try:
                backoff.parse_pattern(settings.logistics_default_retry_pattern)
            except ValueError as error:
                raise ValidationError(str(error)) from error
