import statistics
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import BillingCase


def percentile_cont(values, fraction):
    """PostgreSQL's percentile_cont: linear interpolation between ranks."""
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@tagged("post_install", "-at_install")
class TestBillingKpi(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_customer = cls.env["res.partner"].create({"name": "Other Customer"})
        cls.other_carrier = cls.env["res.partner"].create(
            {"name": "Other Carrier", "is_logistics_carrier": True}
        )
        now = fields.Datetime.now()
        cls.hours = {}
        layout = [
            (cls.customer, cls.carrier, [1.0, 2.0, 10.0]),
            (cls.customer, cls.other_carrier, [4.0]),
            (cls.other_customer, cls.carrier, [0.5, 30.0]),
        ]
        for customer, carrier, hours in layout:
            for value in hours:
                shipment = cls.create_shipment(customer_id=customer.id, carrier_id=carrier.id)
                shipment.write(
                    {
                        "billing_state": "invoiced",
                        "actual_delivery": now - timedelta(days=2),
                        "pod_date": now - timedelta(days=2),
                        "invoiced_at": now - timedelta(days=1),
                        "pod_to_invoice_hours": value,
                    }
                )
                cls.hours.setdefault((customer, carrier), []).append(value)
        for days, state in ((0.5, "held"), (2, "billable"), (10, "held")):
            cls.create_shipment().write(
                {
                    "billing_state": state,
                    "billing_hold_reason": "pod_missing" if state == "held" else False,
                    "actual_delivery": now - timedelta(days=days),
                }
            )
        cls.env.flush_all()

    def kpis(self, groupby):
        Kpi = self.env["logistics.billing.kpi"]
        return Kpi._read_group(
            [("customer_id", "in", (self.customer | self.other_customer).ids)],
            groupby,
            ["pod_to_invoice_p50:max", "pod_to_invoice_p95:max", "unbilled_count:sum"],
        )

    def test_percentiles_are_true_at_every_grouping_level(self):
        everything = [value for values in self.hours.values() for value in values]
        [(p50, p95, _unbilled)] = self.kpis([])
        self.assertAlmostEqual(p50, statistics.median(everything))
        self.assertAlmostEqual(p95, percentile_cont(everything, 0.95))
        for customer, p50, p95, _unbilled in self.kpis(["customer_id"]):
            values = [v for (c, _k), vs in self.hours.items() if c == customer for v in vs]
            self.assertAlmostEqual(p50, percentile_cont(values, 0.5), msg=customer.name)
            self.assertAlmostEqual(p95, percentile_cont(values, 0.95), msg=customer.name)
        for customer, carrier, p50, p95, _unbilled in self.kpis(["customer_id", "carrier_id"]):
            values = self.hours.get((customer, carrier))
            if values is None:
                continue  # the unbilled shipments' group: no invoice, no time
            self.assertAlmostEqual(p50, percentile_cont(values, 0.5))
            self.assertAlmostEqual(p95, percentile_cont(values, 0.95))

    def test_unbilled_by_age_and_hold_reason(self):
        Kpi = self.env["logistics.billing.kpi"]
        mine = [("customer_id", "=", self.customer.id)]
        by_age = dict(Kpi._read_group(mine, ["age_bucket"], ["unbilled_count:sum"]))
        self.assertEqual(by_age, {"lt_1d": 1, "1d_3d": 1, "gt_7d": 1, False: 0})
        by_reason = dict(Kpi._read_group(mine, ["billing_hold_reason"], ["held_count:sum"]))
        self.assertEqual(by_reason["pod_missing"], 2)
        [(oldest,)] = Kpi._read_group(mine, [], ["oldest_unbilled_days:max"])
        self.assertAlmostEqual(oldest, 10, places=1)

    def test_the_metrics_endpoint_reports_billing(self):
        families = {
            name: samples
            for name, _kind, _help, samples in self.env[
                "logistics.integration.message"
            ]._metric_families()
        }
        held = {labels["reason"]: count for labels, count in families["logistics_billing_held"]}
        self.assertGreaterEqual(held["pod_missing"], 2)
        quantiles = {
            labels["quantile"] for labels, _v in families["logistics_billing_pod_to_invoice_hours"]
        }
        self.assertEqual(quantiles, {"0.5", "0.95"})
        self.assertIn("logistics_carrier_bills_variance", families)
        self.assertIn("logistics_carrier_bills_auto_approved_ratio", families)
