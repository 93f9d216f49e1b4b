import json

from odoo import fields, models


class DeliveryCarrier(models.Model):
    """A shipping method tracked through a carrier backend."""

    _inherit = "delivery.carrier"

    logistics_backend_id = fields.Many2one(
        "logistics.backend",
        string="Tracking Backend",
        domain=[("kind", "=", "carrier")],
        check_company=True,
        help="Deliveries shipped with this method are tracked at this carrier: their "
        "tracking numbers are polled or updated by its webhooks.",
    )

    def get_tracking_link(self, picking):
        """One link per tracking number; several numbers give Odoo's list of links."""
        backend = self.logistics_backend_id.sudo()
        if not backend.carrier_tracking_url:
            return super().get_tracking_link(picking)
        links = [
            [number, backend._carrier_tracking_link(number)]
            for number in picking._logistics_tracking_numbers()
        ]
        if len(links) == 1:
            return links[0][1]
        return json.dumps(links) if links else False
