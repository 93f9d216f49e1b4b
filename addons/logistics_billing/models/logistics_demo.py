from datetime import timedelta

from odoo import api, fields, models

# How far the demo's revenue charges are from the rate card, by shipment: most
# match, some are within the tolerance, a few are not.
VARIANCES = [0, 0, 0, 0.01, 0, 0.15, 0, 0]


class LogisticsDemo(models.AbstractModel):
    _inherit = "logistics.demo"

    @api.model
    def _generate_billing(self):
        ref = self.env.ref
        table = ref("logistics_billing.demo_fuel_table_diesel")
        today = fields.Date.context_today(self)
        self.env["logistics.fuel.price"].create(
            [
                {"index_name": "diesel", "effective_date": today - timedelta(weeks=w), "price": p}
                for w, p in enumerate([3.62, 3.58, 3.44, 3.41, 3.39, 3.47, 3.52, 3.55])
            ]
        )
        customers = [ref(f"logistics_canonical.demo_customer_{i}") for i in range(1, 6)]
        carriers = [ref(f"logistics_canonical.demo_carrier_{i}") for i in range(1, 4)]
        for partner, side, rate in [(c, "sell", 0.12) for c in customers] + [
            (c, "buy", 0.09) for c in carriers
        ]:
            self._demo_card(partner, side, rate, table, today - timedelta(days=365))
        customers[1].write(
            {"logistics_invoice_policy": "consolidated", "logistics_invoice_period": "weekly"}
        )
        customers[4].logistics_credit_hold = True
        shipments = self.env["logistics.shipment"].search(
            [("customer_id", "in", [c.id for c in customers])], order="id"
        )
        self._demo_charges_as_agreed(shipments)
        shipments._evaluate_billing()
        shipments._invoice_ready()

    @api.model
    def _demo_card(self, partner, side, rate, table, since):
        us = self.env.ref("base.us")
        self.env["logistics.rate.card"].create(
            {
                "name": f"{partner.name} {since.year + 1}",
                "partner_id": partner.id,
                "side": side,
                "date_from": since,
                "fuel_table_id": table.id,
                "lane_ids": [
                    fields.Command.create(
                        {"basis": "weight", "rate": rate, "minimum": 350.0, "sequence": 20}
                    ),
                    fields.Command.create(
                        {
                            "origin_country_id": us.id,
                            "destination_country_id": us.id,
                            "basis": "weight",
                            "rate": round(rate * 0.8, 3),
                            "minimum": 300.0,
                            "sequence": 10,
                        }
                    ),
                ],
                "accessorial_ids": [
                    fields.Command.create({"code": "LIFTGATE", "name": "Liftgate", "amount": 75}),
                    fields.Command.create(
                        {
                            "code": "DETENTION",
                            "name": "Detention (per hour)",
                            "charge_type": "detention",
                            "amount": 85,
                        }
                    ),
                ],
            }
        )

    @api.model
    def _demo_charges_as_agreed(self, shipments):
        """The demo's TMS charges what the cards say (mostly), and the carriers
        bill their part on numbered freight bills."""
        self.env["logistics.freight.audit"]._rate(shipments)
        for index, shipment in enumerate(shipments):
            variance = VARIANCES[index % len(VARIANCES)]
            shipment.charge_ids.unlink()
            for expected in shipment.expected_charge_ids:
                source = "tms" if expected.side == "revenue" else "carrier_bill"
                bump = 1 + variance if expected.charge_type == "linehaul" else 1
                self.env["logistics.freight.charge"].create(
                    {
                        "shipment_id": shipment.id,
                        "charge_type": expected.charge_type,
                        "description": expected.description,
                        "amount": round(expected.amount * bump, 2),
                        "currency_id": expected.currency_id.id,
                        "source": source,
                        "bill_ref": source == "carrier_bill"
                        and f"{shipment.carrier_id.logistics_scac or 'CB'}-{7100 + index}",
                    }
                )
