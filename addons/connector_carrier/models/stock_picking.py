import re

from odoo import api, fields, models

# Shipment status → delivery state; the values are those of OCA's
# delivery_state module, so both can be installed together.
DELIVERY_STATES = [
    ("shipping_recorded_in_carrier", "Shipping recorded in carrier"),
    ("in_transit", "In transit"),
    ("canceled_shipment", "Canceled shipment"),
    ("incidence", "Incidence"),
    ("warehouse_delivered", "Delivered to warehouse"),
    ("customer_delivered", "Delivered to customer"),
]
FROM_SHIPMENT_STATUS = {
    "draft": "shipping_recorded_in_carrier",
    "tendered": "shipping_recorded_in_carrier",
    "accepted": "shipping_recorded_in_carrier",
    "dispatched": "shipping_recorded_in_carrier",
    "at_pickup": "shipping_recorded_in_carrier",
    "picked_up": "in_transit",
    "in_transit": "in_transit",
    "out_for_delivery": "in_transit",
    "at_delivery": "in_transit",
    "delivered": "customer_delivered",
    "lost": "incidence",
    "returned": "incidence",
    "rejected": "canceled_shipment",
    "cancelled": "canceled_shipment",
}
# Carriers' tracking numbers in one field: separated by commas, semicolons or spaces.
SEPARATORS = re.compile(r"[\s,;]+")


class StockPicking(models.Model):
    _inherit = "stock.picking"

    logistics_tracking_ids = fields.One2many(
        "logistics.carrier.tracking", "picking_id", string="Carrier Tracking"
    )
    delivery_state = fields.Selection(
        DELIVERY_STATES,
        compute="_compute_delivery_state",
        store=True,
        copy=False,
        help="Follows the carrier's tracking of the shipment.",
    )

    @api.depends("logistics_shipment_id.status", "logistics_shipment_id.is_delayed")
    def _compute_delivery_state(self):
        for picking in self:
            shipment = picking.logistics_shipment_id
            state = FROM_SHIPMENT_STATUS.get(shipment.status) if shipment else False
            if state == "in_transit" and shipment.is_delayed:
                state = "incidence"
            picking.delivery_state = state

    def _logistics_tracking_numbers(self):
        self.ensure_one()
        return [n for n in SEPARATORS.split(self.carrier_tracking_ref or "") if n]

    @api.model_create_multi
    def create(self, vals_list):
        pickings = super().create(vals_list)
        pickings.filtered("carrier_tracking_ref")._logistics_track()
        return pickings

    def write(self, vals):
        result = super().write(vals)
        if vals.get("carrier_tracking_ref") or "carrier_id" in vals:
            self._logistics_track()
        return result

    def _logistics_track(self):
        """Follow each tracking number of pickings shipped with a tracked
        carrier; the first one's shipment becomes the picking's."""
        for picking in self:
            backend = picking.carrier_id.logistics_backend_id.sudo()  # a stock user ships too
            if not backend:
                continue
            Tracking = self.env["logistics.carrier.tracking"].sudo()
            for number in picking._logistics_tracking_numbers():
                tracking = Tracking._track(backend, number, picking=picking)
                if not picking.logistics_shipment_id:
                    picking.logistics_shipment_id = tracking.shipment_id
                    tracking.shipment_id._fill_blanks(picking._logistics_shipment_vals())

    def _logistics_shipment_vals(self):
        return {
            "customer_id": self.partner_id.commercial_partner_id.id,
            "destination_id": self.partner_id.id,
            "origin_id": self.picking_type_id.warehouse_id.partner_id.id,
            "customer_reference": self.origin,
            "planned_pickup": self.scheduled_date,
            "weight_kg": self.shipping_weight or self.weight,
        }
