from odoo import api, fields, models, tools
from odoo.models import parse_read_group_spec
from odoo.tools import SQL

from .logistics_shipment import BILLING_STATES, HOLD_REASONS

# a percentile is computed over the group's rows, never averaged from sub-groups
PERCENTILES = {"pod_to_invoice_p50": 0.5, "pod_to_invoice_p95": 0.95}
AGE_BUCKETS = [
    ("lt_1d", "< 1 day"),
    ("1d_3d", "1-3 days"),
    ("3d_7d", "3-7 days"),
    ("gt_7d", "> 7 days"),
]


class LogisticsBillingKpi(models.Model):
    """Delivered shipments and how they were billed: unbilled ones and their
    age, holds by reason, and POD-to-invoice time as true percentiles at
    every grouping level."""

    _name = "logistics.billing.kpi"
    _description = "Billing KPIs"
    _auto = False
    _order = "pod_date desc"

    shipment_id = fields.Many2one("logistics.shipment", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    customer_id = fields.Many2one("res.partner", readonly=True)
    carrier_id = fields.Many2one("res.partner", readonly=True)
    billing_state = fields.Selection(BILLING_STATES, readonly=True)
    billing_hold_reason = fields.Selection(HOLD_REASONS, string="Hold Reason", readonly=True)
    delivered_on = fields.Date(readonly=True)
    pod_date = fields.Datetime(string="POD Received", readonly=True)
    invoiced_at = fields.Datetime(readonly=True)
    age_bucket = fields.Selection(AGE_BUCKETS, string="Unbilled For", readonly=True)
    shipment_count = fields.Integer(string="Deliveries", readonly=True)
    unbilled_count = fields.Integer(string="Unbilled", readonly=True)
    held_count = fields.Integer(string="Held", readonly=True)
    oldest_unbilled_days = fields.Float(
        string="Oldest Unbilled (days)", readonly=True, aggregator="max"
    )
    pod_to_invoice_p50 = fields.Float(
        string="POD to Invoice p50 (h)", readonly=True, aggregator="max"
    )
    pod_to_invoice_p95 = fields.Float(
        string="POD to Invoice p95 (h)", readonly=True, aggregator="max"
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
                SELECT s.id, s.id AS shipment_id, s.company_id, s.customer_id, s.carrier_id,
                       s.billing_state, s.billing_hold_reason,
                       COALESCE(s.actual_delivery, s.pod_date)::date AS delivered_on,
                       s.pod_date, s.invoiced_at,
                       CASE WHEN s.billing_state = 'invoiced' THEN NULL
                            WHEN a.age < interval '1 day' THEN 'lt_1d'
                            WHEN a.age < interval '3 days' THEN '1d_3d'
                            WHEN a.age < interval '7 days' THEN '3d_7d'
                            ELSE 'gt_7d' END AS age_bucket,
                       1 AS shipment_count,
                       (s.billing_state <> 'invoiced')::int AS unbilled_count,
                       (s.billing_state = 'held')::int AS held_count,
                       CASE WHEN s.billing_state <> 'invoiced'
                            THEN GREATEST(extract(epoch FROM a.age) / 86400, 0)
                            END AS oldest_unbilled_days,
                       CASE WHEN s.billing_state = 'invoiced'
                            THEN s.pod_to_invoice_hours END AS pod_to_invoice_p50,
                       CASE WHEN s.billing_state = 'invoiced'
                            THEN s.pod_to_invoice_hours END AS pod_to_invoice_p95
                  FROM logistics_shipment s,
                       LATERAL (SELECT (now() at time zone 'UTC')
                                       - COALESCE(s.actual_delivery, s.pod_date) AS age) a
                 WHERE s.billing_state IN ('held', 'billable', 'invoiced')
                   AND s.active
            )
            """
        )

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        fname, _property, _func = parse_read_group_spec(aggregate_spec)
        if fname in PERCENTILES:
            return SQL(
                "percentile_cont(%s) WITHIN GROUP (ORDER BY %s)",
                PERCENTILES[fname],
                self._field_to_sql(self._table, fname, query),
            )
        return super()._read_group_select(aggregate_spec, query)

    @api.model
    def _metric_samples(self):
        """(held by reason, unbilled by age, POD-to-invoice quantiles of the last 30 days)."""
        cr = self.env.cr
        cr.execute(
            f"""SELECT billing_hold_reason, count(*) FROM {self._table}
                 WHERE billing_state = 'held' GROUP BY 1 ORDER BY 1"""
        )
        held = [({"reason": reason}, count) for reason, count in cr.fetchall()]
        cr.execute(
            f"""SELECT age_bucket, count(*) FROM {self._table}
                 WHERE billing_state <> 'invoiced' GROUP BY 1 ORDER BY 1"""
        )
        unbilled = [({"age": bucket}, count) for bucket, count in cr.fetchall()]
        cr.execute(
            f"""SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY pod_to_invoice_p50),
                       percentile_cont(0.95) WITHIN GROUP (ORDER BY pod_to_invoice_p50)
                  FROM {self._table}
                 WHERE invoiced_at > (now() at time zone 'UTC') - interval '30 days'"""
        )
        p50, p95 = cr.fetchone()
        latency = [
            ({"quantile": quantile}, value)
            for quantile, value in (("0.5", p50), ("0.95", p95))
            if value is not None
        ]
        return held, unbilled, latency
