from odoo import fields, models


class StockPicking(models.Model):
    """A delivery and the shipment that carries it; its warehouse steps are
    the shipment's first milestones."""

    _inherit = "stock.picking"

    logistics_shipment_id = fields.Many2one(
        "logistics.shipment", string="Shipment", index="btree_not_null", copy=False
    )
    logistics_status = fields.Selection(
        related="logistics_shipment_id.status", string="Shipment Status"
    )
    logistics_eta = fields.Datetime(related="logistics_shipment_id.eta", string="Shipment ETA")
    logistics_milestone_ids = fields.One2many(
        related="logistics_shipment_id.milestone_ids", string="Timeline"
    )

    def _action_done(self):
        result = super()._action_done()
        for picking in self.filtered(lambda p: p.logistics_shipment_id and p.state == "done"):
            picking._logistics_step("PICKED_UP", "done", picking.date_done)
        return result

    def action_put_in_pack(self):
        result = super().action_put_in_pack()
        self._logistics_ready()
        return result

    def _logistics_ready(self):
        """Every line picked (or packed): the goods wait at the dock."""
        for picking in self.filtered("logistics_shipment_id"):
            if picking.move_ids and all(picking.move_ids.mapped("picked")):
                picking._logistics_step("READY_FOR_PICKUP", "ready", fields.Datetime.now())

    def _logistics_step(self, code, step, when):
        """A warehouse step as a milestone of the shipment, once per picking and step."""
        self.ensure_one()
        shipment = self.logistics_shipment_id.sudo()  # a stock user moves goods, not shipments
        shipment._record_milestone(
            code,
            when,
            key=f"picking:{self.id}:{step}",
            stop_id=shipment.stop_ids.filtered(lambda s: s.stop_type == "pickup")[:1].id,
            location_name=self.picking_type_id.warehouse_id.name,
            source_text=self.env._("%(picking)s in the warehouse", picking=self.name),
        )

    def action_view_logistics_shipment(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "logistics.shipment",
            "res_id": self.logistics_shipment_id.id,
            "view_mode": "form",
        }
