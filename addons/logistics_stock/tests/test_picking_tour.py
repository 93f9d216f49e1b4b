from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPickingTimelineTour(HttpCase):
    def test_a_delivery_shows_its_shipment_s_timeline(self):
        user = new_test_user(
            self.env,
            login="tour_storekeeper",
            groups="stock.group_stock_user,logistics_integration.group_logistics_user",
        )
        customer = self.env["res.partner"].create({"name": "Picking Tour Consignee"})
        shipment = self.env["logistics.shipment"].create({"customer_id": customer.id})
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        product = self.env["product.product"].create({"name": "Tour crate", "type": "consu"})
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": customer.id,
                "logistics_shipment_id": shipment.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Tour crate",
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.write({"quantity": 1, "picked": True})
        self.assertIn("READY_FOR_PICKUP", shipment.milestone_ids.mapped("code"))
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{picking.id}",
            "logistics_picking_timeline_tour",
            login=user.login,
        )
