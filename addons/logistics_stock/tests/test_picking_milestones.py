"""A delivery's warehouse steps become its shipment's milestones, once each."""

from odoo.tests import TransactionCase, new_test_user


class TestPickingMilestones(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create({"name": "Crate", "type": "consu"})
        cls.customer = cls.env["res.partner"].create({"name": "Consignee"})
        cls.shipment = cls.env["logistics.shipment"].create(
            {
                "customer_id": cls.customer.id,
                "stop_ids": [(0, 0, {"sequence": 1, "stop_type": "pickup"})],
            }
        )
        cls.storekeeper = new_test_user(cls.env, "storekeeper", groups="stock.group_stock_user")

    def delivery(self):
        warehouse = self.env["stock.warehouse"].search([], limit=1)
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": self.customer.id,
                "logistics_shipment_id": self.shipment.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Crate",
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking

    def codes(self):
        return self.shipment.milestone_ids.mapped("code")

    def test_picked_then_validated_by_a_storekeeper(self):
        picking = self.delivery().with_user(self.storekeeper)
        picking.move_ids.write({"quantity": 2, "picked": True})
        self.assertEqual(self.codes(), ["READY_FOR_PICKUP"])
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(sorted(self.codes()), ["PICKED_UP", "READY_FOR_PICKUP"])
        milestone = self.shipment.milestone_ids.filtered(lambda m: m.code == "PICKED_UP")
        self.assertEqual(milestone.stop_id, self.shipment.stop_ids)
        self.assertEqual(self.shipment.status, "picked_up")
        self.assertEqual(picking.logistics_status, "picked_up")
        # picking again (a correction) records nothing twice
        picking.move_ids.write({"picked": True})
        self.assertEqual(len(self.codes()), 2)

    def test_a_delivery_without_shipment_records_nothing(self):
        picking = self.delivery()
        picking.logistics_shipment_id = False
        picking.move_ids.write({"quantity": 2, "picked": True})
        picking.button_validate()
        self.assertFalse(self.shipment.milestone_ids)
