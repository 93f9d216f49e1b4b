import json

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

ADMIN_GROUP = "logistics_canonical.group_integration_admin"
MESSAGE_STATES = [
    ("queued", "Queued"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("dead", "Dead Letter"),
    ("ignored", "Ignored"),
    ("rejected", "Rejected"),
]
# States a person can send through the pipeline again.
REPLAYABLE = ("failed", "dead", "ignored", "done")


class LogisticsIntegrationMessage(models.Model):
    """One message in or out, kept with its raw payload from receipt to outcome.

    The message itself carries its terminal state and the reason: a dead
    letter is visible here, never only as a failed job somewhere else, and a
    replay always starts again from the raw payload.
    """

    _name = "logistics.integration.message"
    _description = "Integration Message"
    _order = "id desc"

    direction = fields.Selection(
        [("inbound", "Inbound"), ("outbound", "Outbound")],
        required=True,
        default="inbound",
        index=True,
    )
    backend_id = fields.Many2one(
        "logistics.backend", required=True, ondelete="restrict", index=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True, index=True)
    message_type = fields.Char(
        string="Type",
        required=True,
        default="event",
        help="What the payload is: event, x12_214, iftsta, notification…",
    )
    payload_format = fields.Selection(
        [
            ("json", "JSON"),
            ("x12", "X12"),
            ("edifact", "EDIFACT"),
            ("xml", "XML"),
            ("text", "Text"),
        ],
        string="Format",
        required=True,
        default="json",
    )
    idempotency_key = fields.Char(required=True, readonly=True)
    correlation_id = fields.Char(readonly=True, index=True)
    payload = fields.Text(readonly=True, help="The raw payload, exactly as received or sent.")
    content_type = fields.Char(readonly=True)
    channel = fields.Selection(
        [("realtime", "Realtime"), ("batch", "Batch")],
        default="realtime",
        required=True,
        readonly=True,
        help="Realtime traffic never waits behind batch traffic.",
    )
    partition = fields.Integer(
        readonly=True, help="Processing lane: one shipment's messages share a lane."
    )
    shipment_ref = fields.Char(
        readonly=True, index="btree_not_null", help="The backend's shipment reference."
    )
    state = fields.Selection(
        MESSAGE_STATES, required=True, default="queued", index=True, readonly=True
    )
    attempts = fields.Integer(readonly=True)
    next_attempt_at = fields.Datetime(readonly=True, help="Not processed before this moment.")
    error_code = fields.Char(readonly=True)
    error_message = fields.Text(readonly=True)
    received_at = fields.Datetime(default=fields.Datetime.now, readonly=True, index=True)
    processed_at = fields.Datetime(readonly=True)
    duration_ms = fields.Integer(
        string="Latency (ms)", readonly=True, help="From receipt to the end of processing."
    )
    trace = fields.Text(string="Trace (JSON)", readonly=True, help="Each step of each attempt.")
    trace_html = fields.Html(compute="_compute_trace_html", string="Trace", sanitize=False)
    response_status = fields.Integer(readonly=True, help="Outbound: the destination's answer.")
    parent_id = fields.Many2one(
        "logistics.integration.message",
        string="Caused by",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    shipment_id = fields.Many2one(
        "logistics.shipment", readonly=True, index="btree_not_null", ondelete="set null"
    )
    exception_ids = fields.One2many("logistics.exception", "message_id")

    _sql_constraints = [
        (
            "backend_direction_key_unique",
            "UNIQUE (backend_id, direction, idempotency_key)",
            "This message was already received.",
        ),
    ]

    def init(self):
        # The pipeline claims work by (backend, lane, channel) in arrival order.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS logistics_integration_message_pending_idx
                ON logistics_integration_message (backend_id, direction, partition, channel, id)
             WHERE state = 'queued'
            """
        )

    def _compute_display_name(self):
        for message in self:
            message.display_name = f"#{message.id} {message.message_type} ({message.direction})"

    @api.depends("trace")
    def _compute_trace_html(self):
        for message in self:
            steps = json.loads(message.trace or "[]")
            rows = Markup("").join(
                Markup(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class='text-end'>{}</td>"
                    "<td>{}</td></tr>"
                ).format(
                    step.get("attempt", ""),
                    step.get("at", ""),
                    step.get("step", ""),
                    step.get("outcome", ""),
                    step.get("ms", ""),
                    step.get("detail", ""),
                )
                for step in steps
            )
            message.trace_html = (
                Markup(
                    "<table class='table table-sm o_logistics_trace'><thead><tr><th>#</th>"
                    "<th>{}</th><th>{}</th><th>{}</th><th class='text-end'>ms</th><th>{}</th>"
                    "</tr></thead><tbody>{}</tbody></table>"
                ).format(
                    escape(self.env._("At")),
                    escape(self.env._("Step")),
                    escape(self.env._("Outcome")),
                    escape(self.env._("Detail")),
                    rows,
                )
                if steps
                else False
            )

    def _add_trace(self, steps):
        """Append step records (dicts) to each message's trace."""
        for message in self:
            message.trace = json.dumps(json.loads(message.trace or "[]") + steps)

    def _check_can_operate(self):
        if not self.env.user.has_group(ADMIN_GROUP):
            raise AccessError(
                self.env._("Only Integration Administrators can replay or ignore messages.")
            )

    def action_replay(self):
        """Run the stored raw payload through today's mappings again."""
        self._check_can_operate()
        not_replayable = self.filtered(lambda m: m.state not in REPLAYABLE)
        if not_replayable:
            raise UserError(
                self.env._(
                    "Messages %s are not finished: they cannot be replayed.",
                    ", ".join(f"#{m.id}" for m in not_replayable),
                )
            )
        now = fields.Datetime.now()
        self.sudo().write(
            {
                "state": "queued",
                "attempts": 0,
                "next_attempt_at": False,
                "error_code": False,
                "error_message": False,
            }
        )
        for message in self:
            message.sudo()._add_trace(
                [
                    {
                        "at": fields.Datetime.to_string(now),
                        "step": "replay",
                        "outcome": "queued",
                        "detail": self.env._("replayed by %s", self.env.user.name),
                    }
                ]
            )
        self.env["logistics.inbox"]._schedule(self.filtered(lambda m: m.direction == "inbound"))
        self.env["logistics.outbox"]._schedule_delivery(
            self.filtered(lambda m: m.direction == "outbound").backend_id
        )
        return True

    def action_ignore(self):
        """Close a failed or dead message without processing it."""
        self._check_can_operate()
        self.filtered(lambda m: m.state in ("queued", "failed", "dead")).sudo().write(
            {"state": "ignored"}
        )
        return True

    @api.model
    def _metric_families(self):
        """The integration's figures, for the Prometheus endpoint."""
        cr = self.env.cr
        cr.execute(
            """
            SELECT b.code, m.direction, m.state, count(*)
              FROM logistics_integration_message m
              JOIN logistics_backend b ON b.id = m.backend_id
             GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """
        )
        counts = cr.fetchall()
        cr.execute(
            """
            SELECT b.code,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY m.duration_ms)
                       FILTER (WHERE m.state = 'done'),
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY m.duration_ms)
                       FILTER (WHERE m.state = 'done'),
                   count(*) FILTER (WHERE m.state IN ('failed', 'dead'))::float / count(*)
              FROM logistics_integration_message m
              JOIN logistics_backend b ON b.id = m.backend_id
             WHERE m.direction = 'inbound' AND m.state IN ('done', 'failed', 'dead')
               AND m.processed_at > (now() at time zone 'UTC') - interval '1 hour'
             GROUP BY 1 ORDER BY 1
            """
        )
        recent = cr.fetchall()
        latency = [
            ({"backend": code, "quantile": quantile}, value)
            for code, p50, p95, _ratio in recent
            for quantile, value in (("0.5", p50), ("0.95", p95))
            if value is not None
        ]
        return [
            (
                "logistics_messages",
                "gauge",
                "Integration messages by backend, direction and state.",
                [({"backend": c, "direction": d, "state": s}, n) for c, d, s, n in counts],
            ),
            (
                "logistics_queue_depth",
                "gauge",
                "Messages waiting to be processed or delivered.",
                [({"backend": c, "direction": d}, n) for c, d, s, n in counts if s == "queued"],
            ),
            (
                "logistics_dead_letters",
                "gauge",
                "Messages dead-lettered after their retry budget.",
                [({"backend": c, "direction": d}, n) for c, d, s, n in counts if s == "dead"],
            ),
            (
                "logistics_processing_latency_ms",
                "summary",
                "Receipt to processed, inbound, last hour.",
                latency,
            ),
            (
                "logistics_failure_ratio",
                "gauge",
                "Failed or dead among processed inbound messages, last hour.",
                [({"backend": code}, ratio) for code, _p50, _p95, ratio in recent],
            ),
            (
                "logistics_open_exceptions",
                "gauge",
                "Open exceptions by severity and age.",
                self.env["logistics.exception.kpi"]._metric_samples(),
            ),
        ]
