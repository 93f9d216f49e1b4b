from odoo import fields, models, tools
from odoo.tools import SQL

from .logistics_integration_message import MESSAGE_STATES

# Figures that are not sums: computed from the underlying messages of each
# group (pivot cell, row, column and total alike), never averaged across rows.
GROUP_FIGURES = {
    "failure_rate": SQL(
        "round(100.0 * count(*) FILTER (WHERE %s.state IN ('failed', 'dead', 'rejected'))"
        " / NULLIF(count(*), 0), 2)",
        SQL.identifier("logistics_integration_kpi"),
    ),
    "latency_p50_ms": SQL(
        "percentile_cont(0.5) WITHIN GROUP (ORDER BY %s.duration_ms)"
        " FILTER (WHERE %s.state = 'done')",
        SQL.identifier("logistics_integration_kpi"),
        SQL.identifier("logistics_integration_kpi"),
    ),
    "latency_p95_ms": SQL(
        "percentile_cont(0.95) WITHIN GROUP (ORDER BY %s.duration_ms)"
        " FILTER (WHERE %s.state = 'done')",
        SQL.identifier("logistics_integration_kpi"),
        SQL.identifier("logistics_integration_kpi"),
    ),
}


class LogisticsIntegrationKpi(models.Model):
    """Messages by backend, direction and day: volume, outcome, latency.

    One row per message, so that every grouping the pivot asks for is
    computed from the messages themselves: counts are summed, while the
    failure rate and the latency percentiles are computed afresh per group
    (see ``_read_group_select``)."""

    _name = "logistics.integration.kpi"
    _description = "Integration KPIs"
    _auto = False
    _order = "day desc"

    day = fields.Date(readonly=True)
    backend_id = fields.Many2one("logistics.backend", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    direction = fields.Selection([("inbound", "Inbound"), ("outbound", "Outbound")], readonly=True)
    message_type = fields.Char(string="Type", readonly=True)
    state = fields.Selection(MESSAGE_STATES, readonly=True)
    duration_ms = fields.Integer(string="Latency (ms)", readonly=True, aggregator=False)
    message_count = fields.Integer(string="Messages", readonly=True)
    done_count = fields.Integer(string="Done", readonly=True)
    failed_count = fields.Integer(string="Failed", readonly=True)
    dead_count = fields.Integer(string="Dead Letters", readonly=True)
    queued_count = fields.Integer(string="Queued", readonly=True)
    rejected_count = fields.Integer(string="Rejected", readonly=True)
    failure_rate = fields.Float(
        string="Failure Rate (%)",
        readonly=True,
        aggregator="avg",  # replaced by the group's own ratio, see GROUP_FIGURES
        help="Failed, dead and rejected among all messages of the group.",
    )
    latency_p50_ms = fields.Float(string="Latency p50 (ms)", readonly=True, aggregator="max")
    latency_p95_ms = fields.Float(string="Latency p95 (ms)", readonly=True, aggregator="max")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
                SELECT m.id, m.received_at::date AS day,
                       m.backend_id, m.company_id, m.direction, m.message_type, m.state,
                       m.duration_ms,
                       1 AS message_count,
                       (m.state = 'done')::int AS done_count,
                       (m.state = 'failed')::int AS failed_count,
                       (m.state = 'dead')::int AS dead_count,
                       (m.state = 'queued')::int AS queued_count,
                       (m.state = 'rejected')::int AS rejected_count,
                       CASE WHEN m.state IN ('failed', 'dead', 'rejected') THEN 100.0
                            ELSE 0.0 END AS failure_rate,
                       CASE WHEN m.state = 'done' THEN m.duration_ms END AS latency_p50_ms,
                       CASE WHEN m.state = 'done' THEN m.duration_ms END AS latency_p95_ms
                  FROM logistics_integration_message m
            )
            """
        )

    def _read_group_select(self, aggregate_spec, query):
        fname = aggregate_spec.split(":")[0]
        if fname in GROUP_FIGURES:
            self.check_field_access_rights("read", [fname])
            return GROUP_FIGURES[fname]
        return super()._read_group_select(aggregate_spec, query)
