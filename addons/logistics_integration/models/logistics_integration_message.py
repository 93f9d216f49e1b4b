import json
import logging

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .groups import ADMIN_GROUP

_logger = logging.getLogger(__name__)

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
# Columns every inserted message has; a row may add other stored fields.
INSERT_DEFAULTS = {
    "message_type": "event",
    "payload_format": "json",
    "state": "queued",
    "channel": "realtime",
    "lane": 0,
    "attempts": 0,
}
NOW_UTC = SQL("(now() at time zone 'UTC')")
CLOCK_UTC = SQL("(clock_timestamp() at time zone 'UTC')")


class LogisticsIntegrationMessage(models.Model):
    """One message in or out, kept with its raw payload from receipt to outcome.

    The message owns its life cycle: it is inserted by :meth:`_insert` only
    (idempotent on backend, direction and key), and each change of state is
    one method below — done, retry, failed, dead, delivered, ignored,
    replayed — that writes once, appends the trace and opens or closes the
    issue a person must look at. A dead letter is visible here, never only
    as a failed job somewhere else, and a replay starts again from the raw
    payload. Durations come from one clock (PostgreSQL's) at one precision.
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
    idempotency_key = fields.Char(
        required=True,
        readonly=True,
        help="What makes this message unique for its backend and direction: a resend "
        "with the same key is a duplicate.",
    )
    correlation_id = fields.Char(readonly=True, index=True)
    schema_version = fields.Char(
        readonly=True,
        help="The version of its message type's schema the message was accepted under; "
        "processing and replays read it in that version.",
    )
    payload = fields.Text(readonly=True, help="The raw payload, exactly as received or sent.")
    payload_purged_at = fields.Datetime(
        string="Payload Purged On",
        readonly=True,
        help="The payload of this processed message was deleted after the retention period; "
        "its record and trace remain.",
    )
    content_type = fields.Char(readonly=True)
    channel = fields.Selection(
        [("realtime", "Realtime"), ("batch", "Batch")],
        default="realtime",
        required=True,
        readonly=True,
        help="Realtime traffic never waits behind batch traffic.",
    )
    lane = fields.Integer(
        readonly=True,
        help="Processing lane: the messages of one subject share a lane and are "
        "processed in arrival order.",
    )
    subject_ref = fields.Char(
        string="Subject",
        readonly=True,
        index="btree_not_null",
        help="The backend's reference of what the message is about (a shipment, an order).",
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

    _sql_constraints = [
        (
            "backend_direction_key_unique",
            "UNIQUE (backend_id, direction, idempotency_key)",
            "This message was already received.",
        ),
        (
            "duration_not_negative",
            "CHECK (duration_ms IS NULL OR duration_ms >= 0)",
            "A latency cannot be negative.",
        ),
    ]

    def init(self):
        # The pipeline claims work by (backend, lane, channel) in arrival order.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS logistics_integration_message_pending_idx
                ON logistics_integration_message (backend_id, direction, lane, channel, id)
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

    # --- insert: the one way a message comes into existence ----------------------

    @api.model
    def _insert(self, rows):
        """Insert messages idempotently; return ``(id, state, duplicate)`` per row.

        ``rows`` are dicts of column values: ``backend_id``, ``company_id``,
        ``direction``, ``idempotency_key`` and, optionally, any other stored
        field (defaults in ``INSERT_DEFAULTS``). A row whose (backend,
        direction, key) exists is not inserted: the existing message answers
        for it, marked duplicate. The caller commits."""
        if not rows:
            return []
        rows = [{**INSERT_DEFAULTS, **row} for row in rows]
        columns = sorted(set().union(*rows))
        unknown = [name for name in columns if not getattr(self._fields.get(name), "store", False)]
        if unknown:
            raise ValueError(f"not stored fields of a message: {unknown}")
        uid = self.env.uid
        values = SQL(", ").join(
            SQL(
                "(%s, %s, %s, %s, %s, %s)",
                SQL(", ").join(SQL("%s", row.get(name)) for name in columns),
                uid,
                uid,
                NOW_UTC,
                NOW_UTC,
                NOW_UTC,
            )
            for row in rows
        )
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO logistics_integration_message
                    (%s, create_uid, write_uid, received_at, create_date, write_date)
                VALUES %s
                ON CONFLICT (backend_id, direction, idempotency_key) DO NOTHING
                RETURNING backend_id, direction, idempotency_key, id
                """,
                SQL(", ").join(SQL.identifier(name) for name in columns),
                values,
            )
        )
        created = {tuple(row[:3]): row[3] for row in self.env.cr.fetchall()}
        keys = [(row["backend_id"], row["direction"], row["idempotency_key"]) for row in rows]
        existing = self._existing([key for key in keys if key not in created])
        results, seen = [], set()
        for row, key in zip(rows, keys, strict=True):
            if key in created:  # the first row with a key made it; a second is its duplicate
                results.append((created[key], row["state"], key in seen))
            else:
                results.append((*existing[key], True))
            seen.add(key)
        return results

    @api.model
    def _existing(self, keys):
        """``{(backend, direction, key): (id, state)}`` of messages already stored."""
        if not keys:
            return {}
        self.env.cr.execute(
            SQL(
                """
                SELECT backend_id, direction, idempotency_key, id, state
                  FROM logistics_integration_message
                 WHERE (backend_id, direction, idempotency_key) IN %s
                """,
                tuple(keys),
            )
        )
        return {tuple(row[:3]): (row[3], row[4]) for row in self.env.cr.fetchall()}

    # --- transitions ------------------------------------------------------------

    @api.model
    def _db_now(self):
        """The database's clock, to the microsecond: every timestamp and
        duration of a message comes from it."""
        self.env.cr.execute(SQL("SELECT %s", CLOCK_UTC))
        return self.env.cr.fetchone()[0]

    def _mark_done(self, steps, subjects=None, earlier_issues=None):
        """Processed (inbound) in one UPDATE for the whole recordset.

        ``steps`` are the trace steps of this attempt, shared by all;
        ``subjects`` maps a message id to the record it concerned;
        ``earlier_issues`` (from :meth:`_open_issues` before the attempt) are
        closed now that the message went through."""
        if not self:
            return
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                """
                UPDATE logistics_integration_message m
                   SET state = 'done', attempts = m.attempts + 1, next_attempt_at = NULL,
                       error_code = NULL, error_message = NULL,
                       processed_at = %(clock)s,
                       duration_ms = GREATEST(0, round(1000 * extract(epoch FROM
                                     %(clock)s - m.received_at)))::int,
                       trace = (COALESCE(m.trace, '[]')::jsonb || %(steps)s::jsonb)::text,
                       write_date = %(clock)s, write_uid = %(uid)s
                 WHERE m.id IN %(ids)s
                """,
                clock=CLOCK_UTC,
                steps=json.dumps(steps),
                uid=self.env.uid,
                ids=tuple(self.ids),
            )
        )
        self.invalidate_recordset()
        if subjects:
            self._link_subjects(subjects)
        if earlier_issues:
            self._resolve_issues(earlier_issues)

    def _mark_retry(self, error, wait, steps):
        """A transient fault: queued again, not before ``wait`` seconds."""
        self.ensure_one()
        now = self._db_now()
        self._write_outcome(
            "queued",
            steps,
            now,
            next_attempt_at=fields.Datetime.add(now, seconds=wait),
            error_code=_code(error),
            error_message=str(error),
        )
        _logger.info(
            "message %s [%s]: attempt %s failed (%s), retry in %ss",
            self.id,
            self.correlation_id,
            self.attempts,
            self.error_code,
            wait,
        )

    def _mark_failed(self, error, steps):
        """A permanent fault: failed fast, an issue for the team that owns it."""
        self._finish_with_error("failed", error, steps, getattr(error, "exception_type", None))

    def _mark_dead(self, error, steps):
        """The retry budget is spent: a dead letter, visible and replayable."""
        self._finish_with_error("dead", error, steps, "dead_letter")

    def _finish_with_error(self, state, error, steps, issue_type):
        self.ensure_one()
        self._write_outcome(
            state, steps, self._db_now(), error_code=_code(error), error_message=str(error)
        )
        self._open_issue(issue_type or "invalid_message", str(error), getattr(error, "field", None))
        _logger.info("message %s [%s]: %s (%s)", self.id, self.correlation_id, state, _code(error))

    def _mark_delivered(self, status, steps):
        """Outbound: the destination took it."""
        self.ensure_one()
        self._write_outcome("done", steps, self._db_now(), response_status=status)

    def _write_outcome(self, state, steps, now, **vals):
        terminal = state != "queued"
        self.write(
            {
                "state": state,
                "attempts": self.attempts + 1,
                "next_attempt_at": vals.pop("next_attempt_at", False),
                "error_code": False,
                "error_message": False,
                "processed_at": now if terminal else False,
                "duration_ms": max(0, round((now - self.received_at).total_seconds() * 1000))
                if terminal
                else False,
                "trace": json.dumps(json.loads(self.trace or "[]") + steps),
                **vals,
            }
        )

    def _check_can_operate(self):
        if not self.env.user.has_group(ADMIN_GROUP):
            raise AccessError(
                self.env._("Only Integration Administrators can replay or ignore messages.")
            )

    def action_replay(self):
        """Run the stored raw payload through today's mappings again."""
        self._check_can_operate()
        not_replayable = self.filtered(lambda m: m.state not in REPLAYABLE)
        purged = self.filtered("payload_purged_at")
        if not_replayable or purged:
            raise UserError(
                self.env._(
                    "Messages %s are not finished or their payload was purged: "
                    "they cannot be replayed.",
                    ", ".join(f"#{m.id}" for m in not_replayable | purged),
                )
            )
        self.sudo()._mark_replayed(self.env.user.name)
        return True

    def _mark_replayed(self, by):
        at = fields.Datetime.to_string(fields.Datetime.now())
        for message in self:
            step = {
                "at": at,
                "step": "replay",
                "outcome": "queued",
                "detail": self.env._("replayed by %s", by),
            }
            message.write(
                {
                    "state": "queued",
                    "attempts": 0,
                    "next_attempt_at": False,
                    "error_code": False,
                    "error_message": False,
                    "trace": json.dumps([*json.loads(message.trace or "[]"), step]),
                }
            )
        self.env["logistics.inbox"]._schedule(self.filtered(lambda m: m.direction == "inbound"))
        self.env["logistics.outbox"]._schedule_delivery(
            self.filtered(lambda m: m.direction == "outbound").backend_id
        )

    def action_ignore(self):
        """Close a failed or dead message without processing it."""
        self._check_can_operate()
        self.filtered(lambda m: m.state in ("queued", "failed", "dead")).sudo()._mark_ignored()
        return True

    def _mark_ignored(self):
        self.write({"state": "ignored"})

    def _api_state(self):
        """The message as ``GET /logistics/v1/messages/<id>`` shows it."""
        self.ensure_one()
        return {
            "message_id": self.id,
            "state": self.state,
            "attempts": self.attempts,
            "error_code": self.error_code or None,
            "error_message": self.error_message or None,
            "correlation_id": self.correlation_id or None,
        }

    # --- hooks of the modules that give messages a meaning ------------------------

    def _open_issue(self, type_code, text, field=None):
        """A person must look at this message: the shipment domain opens an
        exception owned by a team. Here, the message's state and error are
        the issue. Never breaks the caller."""
        return None

    def _open_issues(self):
        """What is open about this message now (to close once it goes through)."""
        return None

    def _resolve_issues(self, issues):
        """The message went through: close ``issues``, opened by earlier attempts."""
        return None

    def _link_subjects(self, subjects):
        """Remember the record each message concerned (``{message id: record}``)."""
        return None

    # --- retention -------------------------------------------------------------

    @api.model
    def _purge_payloads(self, batch=5000):
        """Cron: delete the payloads of done messages older than the retention
        setting (days; 0 keeps them). Records and traces stay."""
        days = self.env["logistics.backend"]._setting_int("payload_retention_days", 0)
        if not days:
            return 0
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                UPDATE logistics_integration_message
                   SET payload = NULL, payload_purged_at = %(now)s
                 WHERE id IN (SELECT id FROM logistics_integration_message
                               WHERE state = 'done' AND payload IS NOT NULL
                                 AND processed_at < %(now)s - make_interval(days => %(days)s)
                               LIMIT %(batch)s)
                """,
                now=NOW_UTC,
                days=days,
                batch=batch,
            )
        )
        self.invalidate_model(["payload", "payload_purged_at"])
        return self.env.cr.rowcount

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
        ]


def _code(error):
    return getattr(error, "code", None) or type(error).__name__
