from odoo import models


class LogisticsIntegrationMessage(models.Model):
    _inherit = "logistics.integration.message"

    def _metric_families(self):
        held, unbilled, latency = self.env["logistics.billing.kpi"]._metric_samples()
        self.env.cr.execute(
            """SELECT side, count(*) FROM logistics_freight_charge
                WHERE audit_status = 'mismatched' GROUP BY 1 ORDER BY 1"""
        )
        mismatched = [({"side": side}, count) for side, count in self.env.cr.fetchall()]
        self.env.cr.execute(
            """SELECT count(*) FILTER (WHERE auto_approved)::float / NULLIF(count(*), 0),
                      count(*) FILTER (WHERE state = 'held'),
                      COALESCE(sum(variance), 0)
                 FROM logistics_carrier_bill
                WHERE create_date > (now() at time zone 'UTC') - interval '30 days'"""
        )
        auto_share, held_bills, variance = self.env.cr.fetchone()
        return [
            *super()._metric_families(),
            (
                "logistics_billing_held",
                "gauge",
                "Delivered shipments held from invoicing, by reason.",
                held,
            ),
            (
                "logistics_billing_unbilled",
                "gauge",
                "Delivered shipments not invoiced yet, by age since delivery.",
                unbilled,
            ),
            (
                "logistics_billing_pod_to_invoice_hours",
                "summary",
                "Proof of delivery to draft invoice, invoices of the last 30 days.",
                latency,
            ),
            (
                "logistics_carrier_bills_held",
                "gauge",
                "Carrier freight bills of the last 30 days held for review.",
                [({}, held_bills)],
            ),
            (
                "logistics_carrier_bills_variance",
                "gauge",
                "Carrier bills of the last 30 days: billed minus expected, company currency.",
                [({}, float(variance))],
            ),
            (
                "logistics_carrier_bills_auto_approved_ratio",
                "gauge",
                "Share of the last 30 days' carrier bills approved within tolerance.",
                [({}, auto_share)] if auto_share is not None else [],
            ),
            (
                "logistics_freight_charges_mismatched",
                "gauge",
                "Freight charges that do not match the rate card, by side.",
                mismatched,
            ),
        ]
