"""Sale orders tendered to the sandbox TMS over real HTTP, through the outbox."""

import json

from .common import TmsCase


class TestTmsTender(TmsCase):
    def test_confirmed_order_is_tendered_once_and_accepted(self):
        order = self.order()
        [tender] = order.tender_ids
        self.assertEqual((tender.state, tender.revision), ("to_tender", 1))
        shipment = tender.shipment_id
        self.assertEqual(shipment.sale_order_id, order)
        self.assertEqual(shipment.weight_kg, 2000.0)
        self.assertEqual(shipment.stop_ids.mapped("stop_type"), ["pickup", "delivery"])
        self.assertEqual(shipment.destination_id, order.partner_shipping_id)
        # a second confirmation (a double click, a retried request) sends nothing more
        self.env["logistics.tender"]._tender_order(order, self.tms)
        order._tender(revise=False)
        self.run_jobs()
        self.assertEqual(len(self.tender_requests()), 1)
        self.assertEqual(len(order.tender_ids), 1)
        self.assertEqual(tender.state, "accepted")
        self.assertTrue(tender.load_id)
        self.assertTrue(tender.sent_at and tender.answered_at)
        # the TMS's load id names the shipment from now on
        ref = self.env["logistics.external.ref"]._find(
            self.tms, "logistics.shipment", tender.load_id
        )
        self.assertEqual(ref, shipment)
        self.assertIn("TENDER_ACCEPTED", self.codes(shipment))
        self.assertEqual(shipment.status, "accepted")

    def test_two_tms_taking_orders_is_not_guessed_between(self):
        self.tms.copy({"code": f"{self.code}_twin", "tms_tender_orders": True})
        self.assertFalse(self.order().tender_ids)
        # an order that names its TMS is tendered to it
        order = self.order(confirm=False)
        order.tms_backend_id = self.tms
        order.action_confirm()
        self.assertEqual(order.tender_ids.backend_id, self.tms)

    def test_tender_is_written_in_the_dialect(self):
        order = self.tendered()
        body = json.loads(self.tender_requests()[0]["body"])
        if self.dialect == "nested":
            tender = body["tender"]
            self.assertEqual(tender["reference"], order.name)
            self.assertEqual(tender["customer"]["code"], "ACME")
            self.assertEqual([s["type"] for s in tender["stops"]], ["PICKUP", "DELIVERY"])
            self.assertEqual(tender["stops"][1]["location"]["city"], "Dallas")
            self.assertEqual(tender["items"][0]["weight"], {"value": 2000.0, "unit": "kg"})
        else:
            self.assertEqual(body["ref_no"], order.name)
            self.assertEqual(body["dest_city"], "Dallas")
            self.assertAlmostEqual(body["wgt_lb"], 4409.245, places=2)
            self.assertRegex(body["pu_date"], r"-0[56]:00$")  # Chicago wall time

    def test_replayed_tender_message_sends_nothing_more(self):
        order = self.tendered()
        outbound = self.messages(direction="outbound", message_type="tms_tender")
        self.assertEqual(outbound.state, "done")
        order.tender_ids._send("tms_tender", "tender")  # the same revision once more
        self.run_jobs()
        self.assertEqual(len(self.tender_requests()), 1)

    def test_rejected_tender_raises_an_exception_for_dispatch(self):
        order = self.tendered(pallets=60)  # 30 t: over the truck's capacity
        tender = order.tender_ids
        self.assertEqual(tender.state, "rejected")
        self.assertIn("Over truck capacity", tender.reason)
        exception = tender.shipment_id.exception_ids.filtered(
            lambda e: e.exception_type_id.code == "tender_rejected"
        )
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.team_id, self.env.ref("logistics_canonical.team_dispatch"))
        self.assertEqual(tender.shipment_id.status, "rejected")

    def test_revised_order_sends_a_revised_tender(self):
        order = self.tendered()
        first = order.tender_ids
        order.write({"order_line": [(1, order.order_line.id, {"product_uom_qty": 6})]})
        self.run_jobs()
        second = order.tender_ids.filtered(lambda t: t.revision == 2)
        self.assertEqual(first.state, "superseded")
        self.assertEqual(second.state, "accepted")
        self.assertEqual(second.load_id, first.load_id)
        self.assertEqual(second.shipment_id, first.shipment_id)
        self.assertEqual(second.shipment_id.weight_kg, 3000.0)
        self.assertEqual(len(self.tender_requests()), 2)
        self.assertEqual(len(second.shipment_id.stop_ids), 2)

    def test_cancelled_order_cancels_the_tender(self):
        order = self.tendered()
        order._action_cancel()
        self.run_jobs()
        tender = order.tender_ids
        self.assertEqual(tender.state, "cancelled")
        cancels = [r for r in self.sandbox.requests if "cancel" in r["path"]]
        self.assertEqual(len(cancels), 1)
        self.assertEqual(self.sandbox.loads[order.name].state, "cancelled")
        self.assertEqual(tender.shipment_id.status, "cancelled")

    def test_tms_down_queues_tenders_and_sends_them_in_order(self):
        self.sandbox.down = True
        orders = [self.order() for _ in range(3)]
        self.run_jobs()
        queued = self.messages(direction="outbound", message_type="tms_tender")
        self.assertEqual(set(queued.mapped("state")), {"queued"})
        self.assertFalse(self.tender_requests()[-1]["status"] < 300)
        self.sandbox.down = False
        queued.write({"next_attempt_at": False})
        self.tms.action_reset_circuit()
        self.env["logistics.outbox"]._schedule_delivery(self.tms)
        self.run_jobs()
        sent = [json.loads(r["body"]) for r in self.tender_requests() if r["status"] < 300]
        refs = [b["tender"]["reference"] if "tender" in b else b["ref_no"] for b in sent]
        self.assertEqual(refs, [o.name for o in orders])
        self.assertEqual(set(queued.mapped("state")), {"done"})
        self.assertEqual({o.tender_ids.state for o in orders}, {"accepted"})


class TestTmsTenderFlat(TestTmsTender):
    allow_inherited_tests_method = True
    dialect = "flat"
