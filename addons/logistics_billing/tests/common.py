"""A customer and a carrier with rate cards, and delivered shipments to bill."""

from datetime import date, datetime

from odoo.addons.logistics_canonical.tests.common import LogisticsCase


class BillingCase(LogisticsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        us = cls.env.ref("base.us")
        texas = cls.env.ref("base.state_us_44")
        cls.customer.write({"is_company": True, "country_id": us.id})
        cls.origin = cls.env["res.partner"].create(
            {"name": "Chicago DC", "city": "Chicago", "zip": "60601", "country_id": us.id}
        )
        cls.destination = cls.env["res.partner"].create(
            {
                "name": "Dallas Store",
                "city": "Dallas",
                "zip": "75201",
                "state_id": texas.id,
                "country_id": us.id,
            }
        )
        cls.fuel_table = cls.env["logistics.fuel.table"].create(
            {
                "name": "Diesel",
                "index_name": "diesel",
                "band_ids": [
                    (0, 0, {"price_from": 3.0, "price_to": 4.0, "percent": 10.0}),
                    (0, 0, {"price_from": 4.0, "price_to": 0, "percent": 15.0}),
                ],
            }
        )
        cls.env["logistics.fuel.price"].create(
            {"index_name": "diesel", "effective_date": date(2026, 11, 2), "price": 3.5}
        )
        cls.sell_card = cls._card(cls.customer, "sell", rate=0.5, minimum=300.0, liftgate=75.0)
        cls.buy_card = cls._card(cls.carrier, "buy", rate=0.4, minimum=250.0, liftgate=60.0)

    @classmethod
    def _card(cls, partner, side, rate, minimum, liftgate):
        us = cls.env.ref("base.us")
        return cls.env["logistics.rate.card"].create(
            {
                "name": f"{partner.name} {side}",
                "partner_id": partner.id,
                "side": side,
                "date_from": date(2026, 1, 1),
                "fuel_table_id": cls.fuel_table.id,
                "lane_ids": [
                    (
                        0,
                        0,
                        {
                            "origin_country_id": us.id,
                            "destination_country_id": us.id,
                            "destination_zip_prefix": "75",
                            "basis": "weight",
                            "rate": rate,
                            "minimum": minimum,
                        },
                    )
                ],
                "accessorial_ids": [
                    (0, 0, {"code": "LIFTGATE", "name": "Liftgate", "amount": liftgate})
                ],
            }
        )

    @classmethod
    def create_shipment(cls, **vals):
        defaults = {
            "origin_id": cls.origin.id,
            "destination_id": cls.destination.id,
            "weight_kg": 2000.0,
            "planned_pickup": datetime(2026, 11, 10, 8, 0),
        }
        return super().create_shipment(**{**defaults, **vals})

    def deliver(self, shipment, pod=True, when="2026-11-12T10:00:00Z"):
        self.report(shipment, "DELIVERED", when)
        if pod:
            self.report(shipment, "POD_RECEIVED", when, source_event_id=f"pod-{shipment.id}")

    def charge(self, shipment, amount, charge_type="linehaul", source="tms", **vals):
        return self.env["logistics.freight.charge"].create(
            {
                "shipment_id": shipment.id,
                "charge_type": charge_type,
                "amount": amount,
                "source": source,
                "description": vals.pop("description", charge_type),
                **vals,
            }
        )

    def run_billing(self):
        return self.env["logistics.billing.run"]._run()

    def invoices_of(self, shipment):
        return self.env["account.move"].search([("logistics_shipment_ids", "in", shipment.ids)])


def invoice_on_pod(shipment, charges):
    """Report ``charges`` ({charge type: amount}) as the TMS would, then a POD,
    and return the invoice billing drafts: the path the billing bridges'
    tests start from."""
    env = shipment.env
    env["logistics.freight.charge"].create(
        [
            {"shipment_id": shipment.id, "charge_type": kind, "amount": amount, "source": "tms"}
            for kind, amount in charges.items()
        ]
    )
    code = env["logistics.milestone.code"]._by_code("POD_RECEIVED")
    env["logistics.milestone"].create(
        {"shipment_id": shipment.id, "milestone_code_id": code.id, "event_time": "2026-11-12"}
    )
    shipment._evaluate_billing()
    shipment._invoice_ready()
    return shipment.invoice_id
