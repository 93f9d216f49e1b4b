"""A return brings the goods back: reverse stops, and a receipt into the
warehouse the delivery left."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestReturns(TransactionCase):
    def test_a_return_reverses_the_trip_and_receives_the_goods(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        product = self.env["product.product"].create({"name": "Crate", "is_storable": True})
        self.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 5)
        dc, store = self.env["res.partner"].create(
            [{"name": "Return DC"}, {"name": "Return Store"}]
        )
        shipment = self.env["logistics.shipment"].create(
            {
                "customer_id": store.id,
                "origin_id": dc.id,
                "destination_id": store.id,
                "stop_ids": [
                    (0, 0, {"sequence": 1, "stop_type": "pickup", "partner_id": dc.id}),
                    (0, 0, {"sequence": 2, "stop_type": "delivery", "partner_id": store.id}),
                ],
            }
        )
        delivery = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": store.id,
                "logistics_shipment_id": shipment.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Crate",
                            "product_id": product.id,
                            "product_uom_qty": 3,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                        },
                    )
                ],
            }
        )
        delivery.action_confirm()
        delivery.move_ids.write({"quantity": 3, "picked": True})
        delivery.button_validate()

        action = shipment.action_create_return()
        returned = self.env["logistics.shipment"].browse(action["res_id"])
        self.assertEqual(returned.return_of_id, shipment)
        self.assertEqual(shipment.return_ids, returned)
        self.assertEqual((returned.origin_id, returned.destination_id), (store, dc))
        self.assertEqual(
            [(stop.stop_type, stop.partner_id) for stop in returned.stop_ids.sorted("sequence")],
            [("pickup", store), ("delivery", dc)],
        )
        receipt = returned.picking_ids
        self.assertEqual(receipt.picking_type_code, "incoming")
        self.assertEqual(receipt.move_ids.product_uom_qty, 3)
        self.assertEqual(receipt.location_dest_id, warehouse.lot_stock_id)
