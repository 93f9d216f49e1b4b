from odoo import fields, models


class LogisticsShipment(models.Model):
    _inherit = "logistics.shipment"

    picking_ids = fields.One2many("stock.picking", "logistics_shipment_id", string="Deliveries")
    carrier_tracking_ids = fields.One2many(
        "logistics.carrier.tracking", "shipment_id", string="Carrier Tracking"
    )
    picking_count = fields.Integer(
        compute="_compute_picking_count", groups="stock.group_stock_user"
    )

    def _compute_picking_count(self):
        for shipment in self:
            shipment.picking_count = len(shipment.picking_ids)

    def _fill_blanks(self, vals):
        """Write the values whose field is still empty (what another system
        already said about the shipment stays)."""
        for shipment in self:
            blanks = {name: value for name, value in vals.items() if value and not shipment[name]}
            if blanks:
                shipment.write(blanks)

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("id", "in", self.picking_ids.ids)]
        action["context"] = {"create": False}
        if len(self.picking_ids) == 1:
            action.update(views=[(False, "form")], res_id=self.picking_ids.id)
        return action
