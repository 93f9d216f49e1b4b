from odoo import fields, models


class LogisticsShipment(models.Model):
    _inherit = "logistics.shipment"

    picking_ids = fields.One2many("stock.picking", "logistics_shipment_id", string="Deliveries")
    picking_count = fields.Integer(
        compute="_compute_picking_count", groups="stock.group_stock_user"
    )

    def _compute_picking_count(self):
        for shipment in self:
            shipment.picking_count = len(shipment.picking_ids)

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("id", "in", self.picking_ids.ids)]
        action["context"] = {"create": False}
        if len(self.picking_ids) == 1:
            action.update(views=[(False, "form")], res_id=self.picking_ids.id)
        return action
