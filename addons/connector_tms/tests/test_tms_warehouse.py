"""Warehouse alignment: the delivery and the shipment linked, WMS steps over HTTP."""

from .common import TmsCase

ROUTE = "/logistics/v1/warehouse/events"


class TestTmsWarehouse(TmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wms = cls.env["logistics.backend"].create(
            {"name": "Dock WMS", "code": "dock_wms", "kind": "wms", "rate_limit_per_minute": 0}
        )
        _record, cls.wms_key = cls.env["logistics.backend.key"]._generate(cls.wms, "test")

    def setUp(self):
        super().setUp()
        self.order_ = self.tendered()
        self.picking = self.order_.picking_ids
        self.shipment = self.order_.logistics_shipment_ids
        self.warehouse_code = self.picking.picking_type_id.warehouse_id.code
        self.sequence = 0

    def step(self, step, quantity=None, warehouse=None, product="TILE-P"):
        self.sequence += 1
        event = {
            "event_id": f"{self.picking.name}-{self.sequence}",
            "picking": self.picking.name,
            "warehouse": warehouse or self.warehouse_code,
            "step": step,
            "event_time": "2026-05-01T08:00:00-05:00",
        }
        if quantity is not None:
            event["lines"] = [{"product": product, "quantity": quantity}]
        response = self.post(event, path=ROUTE, key=self.wms_key)
        self.run_jobs()
        return response

    def issues(self, code):
        return self.env["logistics.exception"].search(
            [("exception_type_id.code", "=", code), ("backend_id", "=", self.wms.id)]
        )

    def test_delivery_and_shipment_are_linked_both_ways(self):
        self.assertEqual(self.picking.logistics_shipment_id, self.shipment)
        self.assertEqual(self.shipment.picking_ids, self.picking)
        self.assertEqual(self.picking.logistics_status, "accepted")

    def test_picked_then_shipped_moves_the_delivery_and_records_milestones(self):
        self.assertEqual(self.step("picked", 4).status_code, 202)
        self.assertTrue(all(self.picking.move_ids.mapped("picked")))
        self.assertIn("READY_FOR_PICKUP", self.codes(self.shipment))
        self.assertEqual(self.step("shipped", 4).status_code, 202)
        self.assertEqual(self.picking.state, "done")
        warehouse = self.shipment.milestone_ids.filtered(
            lambda m: m.source_event_id == f"picking:{self.picking.id}:done"
        )
        self.assertEqual(warehouse.code, "PICKED_UP")
        # the WMS resends the same event: a duplicate, nothing moves
        self.sequence -= 1
        self.assertEqual(self.step("shipped", 4).status_code, 200)

    def test_shipping_more_than_picked_is_a_contradiction(self):
        self.step("picked", 2)
        self.assertEqual(self.issues("short_pick").team_id.name, "Customer Service")
        self.step("shipped", 3)
        self.assertNotEqual(self.picking.state, "done")
        [issue] = self.issues("warehouse_contradiction")
        self.assertIn("3 shipped, only 2 picked", issue.description)
        self.assertEqual(issue.team_id, self.env.ref("connector_tms.team_warehouse"))
        self.assertEqual(issue.message_id.state, "failed")

    def test_shipping_from_another_warehouse_is_a_contradiction(self):
        self.step("shipped", 4, warehouse="ELSE")
        self.assertEqual(self.picking.state, "assigned")
        self.assertIn("leaves from warehouse", self.issues("warehouse_contradiction").description)

    def test_short_pick_ships_what_there_is_and_keeps_the_rest_on_a_backorder(self):
        self.step("short_picked", 3)
        self.assertEqual(self.picking.move_ids.quantity, 3)
        self.assertIn("3 of 4", self.issues("short_pick").description)
        self.step("shipped", 3)
        self.assertEqual(self.picking.state, "done")
        backorder = self.order_.picking_ids - self.picking
        self.assertEqual(backorder.move_ids.product_uom_qty, 1)

    def test_a_backorder_is_a_delivery_of_its_own_tendered_apart(self):
        self.step("short_picked", 3)
        self.step("shipped", 3)
        backorder = self.order_.picking_ids - self.picking
        part_2 = backorder.logistics_shipment_id
        self.assertEqual(part_2.sale_order_part, 2)
        self.assertEqual(self.order_.logistics_shipment_ids, self.shipment | part_2)
        self.assertEqual((self.shipment.weight_kg, part_2.weight_kg), (1500.0, 500.0))
        # the TMS has the first load revised to what left, and the rest as a load of its own
        name = self.order_.name
        loads = self.sandbox.loads
        self.assertEqual((loads[name].revision, loads[name].weight_kg), (2, 1500.0))
        self.assertEqual((loads[f"{name}-2"].revision, loads[f"{name}-2"].weight_kg), (1, 500.0))
        self.assertEqual(part_2.tender_state, "accepted")
        self.assertEqual(part_2.stop_ids.mapped("stop_type"), ["pickup", "delivery"])
        # the order grows: only the delivery still in the warehouse is revised
        line = self.order_.order_line
        self.order_.write({"order_line": [(1, line.id, {"product_uom_qty": 6})]})
        self.run_jobs()
        self.assertEqual(sum(part_2.picking_ids.move_ids.mapped("product_uom_qty")), 3)
        self.assertEqual((loads[f"{name}-2"].revision, loads[f"{name}-2"].weight_kg), (2, 1500.0))
        self.assertEqual(loads[name].revision, 2)

    def test_unknown_product_or_delivery_and_bad_events(self):
        self.step("picked", 1, product="NOT-ORDERED")
        self.assertIn("not on this delivery", self.issues("warehouse_contradiction").description)
        response = self.post({"event_id": "x", "step": "flown"}, path=ROUTE, key=self.wms_key)
        self.assertEqual(response.status_code, 422)
        fields = {f["field"] for f in response.json()["error"]["fields"]}
        self.assertTrue({"picking", "step"} <= fields, fields)
        shipped_without_lines = {
            "event_id": "y",
            "picking": self.picking.name,
            "warehouse": self.warehouse_code,
            "step": "shipped",
            "event_time": "2026-05-01T08:00:00Z",
        }
        response = self.post(shipped_without_lines, path=ROUTE, key=self.wms_key)
        self.assertEqual(response.status_code, 422)
        # a TMS key is not a warehouse's
        response = self.post(shipped_without_lines, path=ROUTE)
        self.assertEqual(response.status_code, 403)
