from odoo import api, fields, models, tools

AGE_BUCKETS = [
    ("lt_1h", "< 1 h"),
    ("1h_4h", "1-4 h"),
    ("4h_24h", "4-24 h"),
    ("1d_3d", "1-3 days"),
    ("gt_3d", "> 3 days"),
]


class LogisticsExceptionKpi(models.Model):
    """Open exceptions by age and severity."""

    _name = "logistics.exception.kpi"
    _description = "Exception Ageing"
    _auto = False

    exception_type_id = fields.Many2one("logistics.exception.type", readonly=True)
    team_id = fields.Many2one("logistics.team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    severity = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High"), ("critical", "Critical")],
        readonly=True,
    )
    age_bucket = fields.Selection(AGE_BUCKETS, string="Age", readonly=True)
    is_overdue = fields.Boolean(readonly=True)
    exception_count = fields.Integer(string="Open Exceptions", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
                SELECT e.id, e.exception_type_id, e.team_id, e.company_id, e.severity,
                       CASE WHEN age < interval '1 hour' THEN 'lt_1h'
                            WHEN age < interval '4 hours' THEN '1h_4h'
                            WHEN age < interval '1 day' THEN '4h_24h'
                            WHEN age < interval '3 days' THEN '1d_3d'
                            ELSE 'gt_3d' END AS age_bucket,
                       COALESCE(e.sla_deadline < now() at time zone 'UTC', false) AS is_overdue,
                       1 AS exception_count
                  FROM logistics_exception e,
                       LATERAL (SELECT (now() at time zone 'UTC') - e.create_date AS age) a
                 WHERE e.state IN ('new', 'assigned')
            )
            """
        )

    @api.model
    def _metric_samples(self):
        self.env.cr.execute(
            f"SELECT severity, age_bucket, count(*) FROM {self._table} GROUP BY 1, 2 ORDER BY 1, 2"
        )
        return [
            ({"severity": sev, "age": age}, count) for sev, age, count in self.env.cr.fetchall()
        ]
