from odoo import api, models


class LogisticsShipmentIdentifier(models.Model):
    """A tracking number another system gives a shipment is followed at the
    shipment's carrier, when that carrier is tracked."""

    _inherit = "logistics.shipment.identifier"

    @api.model_create_multi
    def create(self, vals_list):
        identifiers = super().create(vals_list)
        identifiers._track_at_carrier()
        return identifiers

    def _track_at_carrier(self):
        tracking_kind = self.env.ref("logistics_canonical.identifier_kind_tracking")
        Tracking = self.env["logistics.carrier.tracking"].sudo()
        for identifier in self.filtered(lambda i: i.kind_id == tracking_kind and i.active):
            shipment = identifier.shipment_id
            backend = Tracking._carrier_backend(shipment)
            if backend and backend != identifier.backend_id:
                Tracking._track(backend, identifier.value, shipment=shipment)
