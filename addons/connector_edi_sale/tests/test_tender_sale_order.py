"""A shipper's 204s over real HTTP become a sale order, tendered on to the sandbox TMS."""

import json

from odoo.exceptions import ValidationError

from odoo.addons.connector_edi.lib import x12_sets as tx
from odoo.addons.connector_edi.tests.common import EdiCase
from odoo.addons.connector_edi.tests.test_edi_flows import TENDER
from odoo.addons.connector_tms.tests.common import TmsCase


class TestTenderSaleOrder(EdiCase, TmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.transport = cls.env["product.product"].create(
            {"name": "FTL transport", "type": "service", "list_price": 1450.0}
        )
        cls.profile.write(
            {"tenders_make_sale_orders": True, "freight_product_id": cls.transport.id}
        )

    def tender(self, control, **changes):
        interchange = self.interchange(
            [("204", f"{control:04d}", tx.build_204(dict(TENDER, **changes)))],
            control=control,
            functional_id="SM",
        )
        response = self.post_edi(interchange)
        self.assertEqual(response.status_code, 202, response.text)
        self.run_jobs()
        self.assertEqual(self.message(response).state, "done", self.message(response).error_message)

    def the_order(self):
        return self.env["sale.order"].search(
            [("partner_id", "=", self.customer.id), ("client_order_ref", "=", "LOAD-204")]
        )

    def tms_tenders(self):
        return [json.loads(r["body"]) for r in self.tender_requests()]

    def test_a_tender_is_a_confirmed_order_tendered_on_with_the_partners_route(self):
        self.tender(1)
        order = self.the_order()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.order_line.product_id, self.transport)
        self.assertEqual(order.order_line.price_unit, 1450.0)
        self.assertIn("CHICAGO to DALLAS", order.order_line.name)
        self.assertEqual(order.partner_shipping_id.name, "Store 12")
        shipment = self.env["logistics.external.ref"]._find(
            self.edi_backend, "logistics.shipment", "LOAD-204"
        )
        self.assertEqual(order.logistics_shipment_ids, shipment, "one shipment, both ways")
        self.assertEqual(str(order.commitment_date), "2024-05-02 21:00:00")
        # the TMS is asked to move the partner's load, not to pick up at our warehouse
        [sent] = self.tms_tenders()
        stops = sent["tender"]["stops"]
        self.assertEqual([s["location"]["city"] for s in stops], ["CHICAGO", "DALLAS"])
        self.assertEqual(shipment.stop_ids.partner_id.mapped("name"), ["Shipper DC", "Store 12"])
        self.assertEqual(order.tender_ids.state, "accepted")

    def test_a_changed_tender_revises_the_order_and_one_sent_again_does_not(self):
        self.tender(1)
        self.tender(2)  # the same tender again (a partner's retransmission)
        order = self.the_order()
        self.assertEqual(len(self.tms_tenders()), 1, "nothing changed: no revised tender")
        later = [dict(TENDER["stops"][0]), dict(TENDER["stops"][1])]
        later[1]["windows"] = [("70", "2024-05-03T10:00:00-05:00")]
        self.tender(3, purpose="04", stops=later)
        self.assertEqual(len(order), 1)
        self.assertEqual(str(order.commitment_date), "2024-05-03 15:00:00")
        self.assertEqual(order.tender_ids.sorted("revision").mapped("revision"), [1, 2])
        self.assertEqual(self.tms_tenders()[-1]["tender"]["revision"], 2)

    def test_a_cancelled_tender_cancels_the_order_and_the_tms_load(self):
        self.tender(1)
        self.tender(2, purpose="01")
        order = self.the_order()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.tender_ids.state, "cancelled")
        self.assertTrue([r for r in self.sandbox.requests if "cancel" in r["path"]])
        self.assertEqual(self.codes(order.logistics_shipment_ids).count("CANCELLED"), 1)
        # a late copy of the first tender does not bring the order back
        self.tender(3)
        self.assertEqual(self.the_order().state, "cancel")

    def test_a_partner_without_the_setting_makes_no_order(self):
        self.profile.tenders_make_sale_orders = False
        self.tender(1)
        self.assertFalse(self.the_order())

    def test_the_setting_needs_a_product_to_sell(self):
        with self.assertRaises(ValidationError):
            self.profile.freight_product_id = False
