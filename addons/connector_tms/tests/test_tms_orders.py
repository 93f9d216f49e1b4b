"""Transport orders from a customer's system, over HTTP, to sale orders and tenders."""

from .common import TmsCase

ROUTE = "/logistics/v1/orders"


class TestTmsOrders(TmsCase):
    def document(self, revision=1, quantity=4, **extra):
        return {
            "order_ref": "PO-7781",
            "revision": revision,
            "customer_code": "ACME",
            "ship_to": {"name": "Acme Store 12", "city": "Austin", "country": "US"},
            "requested_delivery": "2026-05-04T16:00:00-05:00",
            "lines": [{"product": "TILE-P", "quantity": quantity}],
            **extra,
        }

    def send(self, document):
        response = self.post(document, path=ROUTE)
        self.run_jobs()
        return response

    def orders(self):
        return self.env["sale.order"].search([("client_order_ref", "=", "PO-7781")])

    def test_an_order_becomes_a_confirmed_sale_order_tendered_once(self):
        self.assertEqual(self.send(self.document()).status_code, 202)
        order = self.orders()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.partner_shipping_id.city, "Austin")
        self.assertEqual(order.partner_shipping_id.parent_id, self.customer)
        self.assertEqual(order.order_line.product_uom_qty, 4)
        self.assertEqual(order.tender_ids.state, "accepted")
        # resent by the customer's system: a duplicate, nothing more
        self.assertEqual(self.send(self.document()).status_code, 200)
        self.assertEqual(len(self.orders()), 1)
        self.assertEqual(len(self.tender_requests()), 1)

    def test_a_new_revision_replaces_the_order_and_revises_the_tender(self):
        self.send(self.document())
        self.send(self.document(revision=2, quantity=6))
        order = self.orders()
        self.assertEqual(order.order_line.product_uom_qty, 6)
        self.assertEqual(order.api_order_revision, 2)
        self.assertEqual(
            order.tender_ids.sorted("revision").mapped("state"), ["superseded", "accepted"]
        )
        # a late copy of revision 1 changes nothing
        self.send(
            self.document(revision=1, quantity=9, lines=[{"product": "TILE-P", "quantity": 9}])
        )
        self.assertEqual(order.order_line.product_uom_qty, 6)
        self.assertEqual(len(order.tender_ids), 2)

    def test_a_cancelled_order_cancels_its_tender(self):
        self.send(self.document())
        self.send(self.document(revision=2, cancel=True))
        order = self.orders()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.tender_ids.state, "cancelled")

    def test_what_cannot_be_an_order_is_refused_or_failed_with_the_field(self):
        response = self.post({"order_ref": "X", "lines": []}, path=ROUTE)
        self.assertEqual(response.status_code, 422)
        fields = {f["field"] for f in response.json()["error"]["fields"]}
        self.assertTrue({"customer_code", "ship_to", "lines"} <= fields, fields)
        response = self.post(self.document(requested_delivery=0), path=ROUTE)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["error"]["fields"][0]["field"], "requested_delivery")
        self.send(self.document(customer_code="NOBODY"))
        self.send(self.document(order_ref="PO-2", lines=[{"product": "NOPE", "quantity": 1}]))
        failed = self.env["logistics.integration.message"].search(
            [("backend_id", "=", self.backend.id), ("state", "=", "failed")]
        )
        self.assertEqual(
            sorted(failed.mapped("error_code")), ["unknown_customer", "unknown_product"]
        )
        self.assertFalse(self.orders())
