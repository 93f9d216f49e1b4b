"""A sandbox TMS on loopback and a TMS backend pointing at it, per dialect."""

from datetime import timedelta

from odoo.addons.logistics_canonical.tests.common_api import ApiCase

from .sandbox_tms import TmsSandbox

SECRET = "tms-test-secret"
TEMPLATES = {
    "nested": "connector_tms.tms_template_routemaster",
    "flat": "connector_tms.tms_template_flatline",
}


class TmsCase(ApiCase):
    dialect = "nested"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = TmsSandbox(cls.dialect, token="tms-token", secret=SECRET, seed=7).start()
        cls.addClassCleanup(cls.sandbox.stop)
        cls.code = f"test_tms_{cls.dialect}"
        # the demo's TMS takes the company's orders too: two would be ambiguous
        cls.env["logistics.backend"].search([("kind", "=", "tms")]).tms_tender_orders = False
        cls.tms = cls.env["logistics.backend"].create(
            {
                "name": f"Test TMS ({cls.dialect})",
                "code": cls.code,
                "kind": "tms",
                "adapter": "tms",
                "environment": "production",
                "base_url": cls.sandbox.url,
                "api_token": "tms-token",
                "signing_secret": SECRET,
                "tms_template_id": cls.env.ref(TEMPLATES[cls.dialect]).id,
                "tms_tender_orders": True,
                "tms_feed_enabled": True,
                "tms_feed_lag": 30,
                "tms_feed_overlap": 120,
                "rate_limit_per_minute": 0,
                "max_attempts": 3,
            }
        )
        cls.env.company.partner_id.write(
            {"street": "1 Warehouse Way", "city": "Chicago", "zip": "60601"}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Acme Retail",
                "ref": "ACME",
                "is_company": True,
                "street": "500 Main St",
                "city": "Dallas",
                "zip": "75201",
                "country_id": cls.env.ref("base.us").id,
            }
        )
        cls.tiles = cls.env["product.product"].create(
            {
                "name": "Pallet of tiles",
                "default_code": "TILE-P",
                "type": "consu",
                "weight": 500.0,
                "list_price": 900.0,
            }
        )

    def setUp(self):
        super().setUp()
        self.sandbox.reset()
        self.sandbox.drop_rate = 0.0
        self.sandbox.lag = 0
        self.sandbox.clock_offset = timedelta(0)
        self.sandbox.hub_url = self.base_url() + f"/logistics/v1/tms/{self.code}/webhook"

    def order(self, pallets=4, confirm=True):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": self.tiles.id, "product_uom_qty": pallets})],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def tendered(self, pallets=4):
        """A confirmed order whose tender reached the TMS and was answered."""
        order = self.order(pallets)
        self.run_jobs()
        return order

    def tender_requests(self):
        return [
            r for r in self.sandbox.requests if r["method"] == "POST" and "cancel" not in r["path"]
        ]

    def messages(self, **extra):
        domain = [("backend_id", "=", self.tms.id)]
        domain += [(key, "=", value) for key, value in extra.items()]
        return self.env["logistics.integration.message"].search(domain)

    @staticmethod
    def codes(shipment):
        return shipment.milestone_ids.sorted("event_time").mapped("code")
