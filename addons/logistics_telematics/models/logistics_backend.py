from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.logistics_integration.models.groups import ADMIN_GROUP

from ..lib import mqtt


class LogisticsBackend(models.Model):
    """A telematics platform: trucks' positions on an MQTT topic."""

    _inherit = "logistics.backend"

    kind = fields.Selection(
        selection_add=[("telematics", "Telematics (MQTT positions)")],
        ondelete={"telematics": "set default"},
    )
    mqtt_url = fields.Char(
        string="MQTT Broker URL",
        groups=ADMIN_GROUP,
        help="mqtt://host:1883 (mqtts://host:8883 for TLS); the password goes in the field below.",
    )
    mqtt_username = fields.Char(string="MQTT User", groups=ADMIN_GROUP)
    mqtt_password = fields.Char(
        string="MQTT Password",
        compute="_compute_write_only",
        readonly=False,
        groups=ADMIN_GROUP,
    )
    mqtt_topic = fields.Char(
        string="Position Topic",
        default="fleet/+/position",
        help="Subscribed with QoS 1. A '+' level names the vehicle when a position does not.",
    )
    geofence_radius = fields.Integer(
        string="Geofence Radius (m)",
        default=300,
        help="Around each stop with coordinates (a stop may set its own): entering it records "
        "the arrival, leaving it (beyond 1.2 times the radius) the departure from a pickup.",
    )
    position_retention_days = fields.Integer(
        string="Keep Positions (days)",
        default=30,
        help="Raw positions older than this are summed up per vehicle and day, then deleted.",
    )

    @api.constrains("kind", "mqtt_url", "mqtt_topic", "geofence_radius")
    def _check_telematics(self):
        for backend in self.sudo().filtered(lambda b: b.kind == "telematics"):
            try:
                mqtt.address(backend.mqtt_url or "")
            except ValueError as error:
                raise ValidationError(
                    self.env._("%(backend)s: %(error)s", backend=backend.name, error=error)
                ) from error
            if not backend.mqtt_topic:
                raise ValidationError(self.env._("%s: which topic?", backend.name))
            if backend.geofence_radius < 20:
                raise ValidationError(self.env._("A geofence is at least 20 m across."))
