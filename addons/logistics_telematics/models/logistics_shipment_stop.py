from odoo import api, fields, models


class LogisticsShipmentStop(models.Model):
    """Where a stop is, for its geofence."""

    _inherit = "logistics.shipment.stop"

    latitude = fields.Float(
        digits=(10, 7),
        compute="_compute_coordinates",
        store=True,
        readonly=False,
        help="From the address's geolocation; may be set by hand.",
    )
    longitude = fields.Float(
        digits=(10, 7), compute="_compute_coordinates", store=True, readonly=False
    )
    geofence_radius = fields.Integer(
        string="Geofence Radius (m)", help="Empty: the telematics backend's radius."
    )
    geofence_inside = fields.Boolean(
        readonly=True, help="The vehicle was inside the geofence at its last position."
    )

    @api.depends("partner_id.partner_latitude", "partner_id.partner_longitude")
    def _compute_coordinates(self):
        for stop in self:
            partner = stop.partner_id
            located = partner.partner_latitude or partner.partner_longitude
            # an address without a geolocation keeps what was typed on the stop
            stop.latitude = partner.partner_latitude if located else stop.latitude
            stop.longitude = partner.partner_longitude if located else stop.longitude

    def _has_place(self):
        return bool(self.latitude or self.longitude)
