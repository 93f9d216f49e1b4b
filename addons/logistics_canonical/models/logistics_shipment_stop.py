from odoo import api, fields, models


class LogisticsShipmentStop(models.Model):
    _name = "logistics.shipment.stop"
    _description = "Shipment Stop"
    _order = "shipment_id, sequence, id"
    _check_company_auto = True

    shipment_id = fields.Many2one(
        "logistics.shipment", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="shipment_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    stop_type = fields.Selection(
        [("pickup", "Pickup"), ("delivery", "Delivery"), ("transit", "Transit")],
        required=True,
        default="pickup",
    )
    partner_id = fields.Many2one("res.partner", string="Address", check_company=True)
    location_code = fields.Char(help="UN/LOCODE or the partner's own location id.")
    city = fields.Char(compute="_compute_city", store=True, readonly=False)
    window_start = fields.Datetime(string="Appointment From")
    window_end = fields.Datetime(string="Appointment To")
    actual_arrival = fields.Datetime(readonly=True)
    actual_departure = fields.Datetime(readonly=True)
    state = fields.Selection(
        [("planned", "Planned"), ("arrived", "Arrived"), ("done", "Done")],
        compute="_compute_state",
        store=True,
    )
    is_late = fields.Boolean(
        compute="_compute_state",
        store=True,
        help="Arrived after the end of the appointment window.",
    )

    @api.depends("partner_id.city")
    def _compute_city(self):
        for stop in self:
            stop.city = stop.partner_id.city or stop.city

    @api.depends("actual_arrival", "actual_departure", "window_end")
    def _compute_state(self):
        for stop in self:
            stop.state = (
                "done" if stop.actual_departure else "arrived" if stop.actual_arrival else "planned"
            )
            stop.is_late = bool(
                stop.window_end and stop.actual_arrival and stop.actual_arrival > stop.window_end
            )

    @api.depends("stop_type", "sequence", "city")
    def _compute_display_name(self):
        labels = dict(self._fields["stop_type"]._description_selection(self.env))
        for stop in self:
            stop.display_name = " ".join(filter(None, [labels.get(stop.stop_type), stop.city]))

    def _apply_stop_times(self, stop_times):
        """Write arrival/departure actuals from ``{(stop id, event): time}``."""
        for stop in self:
            vals = {
                "actual_arrival": stop_times.get((stop.id, "arrival")) or False,
                "actual_departure": stop_times.get((stop.id, "departure")) or False,
            }
            if any(stop[name] != value for name, value in vals.items()):
                stop.write(vals)
