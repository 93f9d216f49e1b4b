from odoo import fields, models


class LogisticsShipment(models.Model):
    _inherit = "logistics.shipment"

    carrier_tracking_ids = fields.One2many(
        "logistics.carrier.tracking", "shipment_id", string="Carrier Tracking"
    )

    def _fill_blanks(self, vals):
        """Write the values whose field is still empty (what another system
        already said about the shipment stays)."""
        for shipment in self:
            blanks = {name: value for name, value in vals.items() if value and not shipment[name]}
            if blanks:
                shipment.write(blanks)
