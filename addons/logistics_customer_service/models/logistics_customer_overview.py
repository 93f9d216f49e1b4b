from odoo import fields, models, tools

from odoo.addons.logistics_canonical.models.logistics_shipment import FINAL_STATUSES

from .logistics_claim import OPEN_STATES

RECENT_INVOICE_DAYS = 30


class LogisticsCustomerOverview(models.Model):
    """One line per customer (and company) with shipments, exceptions or claims:
    what customer service and a team lead watch. Counts add up at every grouping level; the oldest open
    exception is a maximum, never an average."""

    _name = "logistics.customer.overview"
    _description = "Customer Service Overview"
    _auto = False
    _order = "late_shipments desc, open_exceptions desc, open_shipments desc"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    open_shipments = fields.Integer(readonly=True)
    late_shipments = fields.Integer(string="Late", readonly=True)
    open_exceptions = fields.Integer(readonly=True)
    oldest_exception_hours = fields.Float(
        string="Oldest Exception (h)", readonly=True, aggregator="max", digits=(16, 1)
    )
    claims_in_progress = fields.Integer(readonly=True)
    claimed_open = fields.Monetary(string="Claimed (open)", readonly=True)
    returns_in_progress = fields.Integer(readonly=True)
    unbilled_deliveries = fields.Integer(readonly=True)
    billing_holds = fields.Integer(readonly=True)
    recent_invoices = fields.Integer(
        string="Invoices (30 days)",
        readonly=True,
        help="Customer invoices posted in the last 30 days.",
    )
    unmatched_payments = fields.Integer(
        readonly=True, help="Money received from the customer not matched to an invoice yet."
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS
            WITH shipments AS (
                SELECT p.commercial_partner_id AS partner_id, s.company_id,
                       count(*) FILTER (WHERE s.status NOT IN %(final)s) AS open_shipments,
                       count(*) FILTER (
                           WHERE s.status NOT IN %(final)s
                             AND (s.is_delayed OR s.planned_delivery < (now() AT TIME ZONE 'utc'))
                       ) AS late_shipments,
                       count(*) FILTER (
                           WHERE s.return_of_id IS NOT NULL AND s.status NOT IN %(final)s
                       ) AS returns_in_progress,
                       count(*) FILTER (
                           WHERE s.billing_state IN ('billable', 'held')
                       ) AS unbilled_deliveries,
                       count(*) FILTER (WHERE s.billing_state = 'held') AS billing_holds
                  FROM logistics_shipment s
                  JOIN res_partner p ON p.id = s.customer_id
                 WHERE s.environment = 'production' AND s.merged_into_id IS NULL
                 GROUP BY 1, 2
            ), exceptions AS (
                SELECT p.commercial_partner_id AS partner_id, e.company_id,
                       count(*) AS open_exceptions,
                       max(EXTRACT(EPOCH FROM (now() AT TIME ZONE 'utc') - e.create_date))
                           / 3600.0 AS oldest_exception_hours
                  FROM logistics_exception e
                  JOIN res_partner p ON p.id = e.customer_id
                 WHERE e.state IN ('new', 'assigned')
                 GROUP BY 1, 2
            ), claims AS (
                SELECT p.commercial_partner_id AS partner_id, c.company_id,
                       count(*) AS claims_in_progress, sum(c.claimed_amount) AS claimed_open
                  FROM logistics_claim c
                  JOIN res_partner p ON p.id = c.customer_id
                 WHERE c.state IN %(open_claims)s
                 GROUP BY 1, 2
            ), invoices AS (
                SELECT m.commercial_partner_id AS partner_id, m.company_id,
                       count(*) AS recent_invoices
                  FROM account_move m
                 WHERE m.move_type = 'out_invoice' AND m.state = 'posted'
                   AND m.invoice_date >= (now() AT TIME ZONE 'utc')::date - %(recent_days)s
                 GROUP BY 1, 2
            ), payments AS (
                SELECT p.commercial_partner_id AS partner_id, m.company_id,
                       count(*) AS unmatched_payments
                  FROM account_bank_statement_line l
                  JOIN account_move m ON m.id = l.move_id
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE NOT l.is_reconciled AND l.amount > 0 AND m.state = 'posted'
                 GROUP BY 1, 2
            ), customers AS (
                SELECT partner_id, company_id FROM shipments
                UNION SELECT partner_id, company_id FROM exceptions
                UNION SELECT partner_id, company_id FROM claims
            )
            SELECT k.partner_id::bigint * 1000 + k.company_id AS id,
                   k.partner_id, k.company_id,
                   coalesce(s.open_shipments, 0) AS open_shipments,
                   coalesce(s.late_shipments, 0) AS late_shipments,
                   coalesce(e.open_exceptions, 0) AS open_exceptions,
                   coalesce(e.oldest_exception_hours, 0) AS oldest_exception_hours,
                   coalesce(c.claims_in_progress, 0) AS claims_in_progress,
                   coalesce(c.claimed_open, 0) AS claimed_open,
                   coalesce(s.returns_in_progress, 0) AS returns_in_progress,
                   coalesce(s.unbilled_deliveries, 0) AS unbilled_deliveries,
                   coalesce(s.billing_holds, 0) AS billing_holds,
                   coalesce(i.recent_invoices, 0) AS recent_invoices,
                   coalesce(pay.unmatched_payments, 0) AS unmatched_payments
              FROM customers k
              LEFT JOIN shipments s USING (partner_id, company_id)
              LEFT JOIN exceptions e USING (partner_id, company_id)
              LEFT JOIN claims c USING (partner_id, company_id)
              LEFT JOIN invoices i USING (partner_id, company_id)
              LEFT JOIN payments pay USING (partner_id, company_id)
            """,
            {
                "final": tuple(FINAL_STATUSES),
                "open_claims": tuple(OPEN_STATES),
                "recent_days": RECENT_INVOICE_DAYS,
            },
        )

    def action_open_customer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }
