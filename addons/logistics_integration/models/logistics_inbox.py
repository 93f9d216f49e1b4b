import json
import logging
import time
import uuid
from datetime import timedelta
from typing import NamedTuple

import psycopg2

from odoo import api, fields, models, tools
from odoo.sql_db import connection_info_for

from odoo.addons.queue_job.exception import RetryableJobError

from ..lib import json_schema, key_usage, lanes, rate_counter
from ..lib.errors import PermanentError, TransientError
from ..lib.transactions import commit

_logger = logging.getLogger(__name__)

# queue_job channel of each inbox channel (see data/queue_job_data.xml)
CHANNELS = {name: f"root.logistics.{name}" for name in lanes.CHANNELS}
DRAIN_BATCH = 200
# Messages applied together in one savepoint (a failure splits the chunk).
CHUNK = 50
# Namespace of the advisory locks that keep one drain per lane.
DRAIN_LOCK = "logistics-drain"
TRANSIENT_DB_ERRORS = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.DeadlockDetected,
    psycopg2.errors.LockNotAvailable,
    psycopg2.errors.UniqueViolation,  # two lanes creating the same record at once
)


class Receipt(NamedTuple):
    """What the door answers for one item."""

    message_id: int
    state: str
    duplicate: bool
    problems: tuple = ()


def job_waiting(env, identity, description, eta=None):
    """Will a job of this lane run by ``eta`` (now, when None) anyway?

    Jobs due now carry the identity key (an indexed look-up, the common case
    under load). Jobs scheduled for later carry none, so that a later one never
    hides an earlier one; they are found by their description."""
    env["queue.job"].flush_model(["state", "eta"])
    env.cr.execute(
        """
        SELECT 1 FROM queue_job
         WHERE state IN ('pending', 'enqueued', 'wait_dependencies')
           AND (identity_key = %s OR (%s IS NOT NULL AND name = %s AND eta <= %s))
         LIMIT 1
        """,
        [identity, eta, description, eta],
    )
    return bool(env.cr.fetchone())


def try_lock(env, *key):
    """Take a transaction-scoped advisory lock; False when someone holds it."""
    env.cr.execute("SELECT pg_try_advisory_xact_lock(%s)", [lanes.lock_key(*key)])
    return env.cr.fetchone()[0]


class LogisticsInbox(models.AbstractModel):
    """The inbox: the one inbound door, then processing in micro-batches.

    Every channel — the HTTP API, EDI over HTTP, SFTP and folder pickups,
    carrier webhooks and polls, TMS feeds — hands what it has authenticated
    to :meth:`_receive`, which checks, stores idempotently, commits and only
    then schedules a drain. A drain job per backend lane and channel then
    processes queued messages in arrival order, applied together and split
    into per-message savepoints only when one fails.
    """

    _name = "logistics.inbox"
    _description = "Logistics Inbox"

    def init(self):
        # Per-minute request counters of the rate limit (see _rate_limited).
        self.env.cr.execute(
            """
            CREATE TABLE IF NOT EXISTS logistics_rate_window (
                backend_id integer NOT NULL,
                window_start timestamp NOT NULL,
                hits integer NOT NULL,
                PRIMARY KEY (backend_id, window_start)
            )
            """
        )

    # --- authentication and limits (for the channels) ------------------------------

    @api.model
    @tools.ormcache("key_hash")
    def _target_for_key(self, key_hash):
        """The :class:`InboxTarget` of an active key of an active backend, or None.

        Cached per worker (cleared on any key or backend change), so a request
        authenticates without a query."""
        self.env.cr.execute(
            """
            SELECT k.backend_id, k.expires_at, k.id
              FROM logistics_backend_key k
              JOIN logistics_backend b ON b.id = k.backend_id
             WHERE k.key_hash = %s AND k.active AND b.active
            """,
            [key_hash],
        )
        row = self.env.cr.fetchone()
        if not row:
            return None
        backend = self.env["logistics.backend"].sudo().browse(row[0])
        key = self.env["logistics.backend.key"].sudo().browse(row[2])
        return backend._inbox_target(expires_at=row[1], scopes=key._scope_codes(), key_id=key.id)

    @api.model
    def _note_key_use(self, target, address):
        """Remember when and from where ``target``'s key was last used, for the
        backend's key timeline; never fails the request over it."""
        if not key_usage.due(target.key_id, address):
            return
        _dbname, params = connection_info_for(self.env.cr.dbname)
        try:
            key_usage.note(params, target.key_id, address)
        except psycopg2.Error:
            _logger.warning("last use of API key %s not noted", target.key_id, exc_info=True)

    @api.model
    def _rate_limited(self, target, hits=1):
        """Count ``hits`` against the backend's per-minute budget; return the
        seconds to wait when over it, else 0. The count lives in PostgreSQL so
        it holds across worker processes (see lib/rate_counter.py)."""
        if not target.rate_limit:
            return 0
        _dbname, params = connection_info_for(self.env.cr.dbname)
        total, seconds_left = rate_counter.count(params, target.id, hits)
        return max(seconds_left, 1) if total > target.rate_limit else 0

    @api.model
    def _max_bytes(self):
        return self.env["logistics.openapi"]._setting("max_body_bytes")

    # --- the door --------------------------------------------------------------

    @api.model
    def _receive(
        self,
        target,
        items,
        channel="realtime",
        correlation_id=None,
        content_type=None,
        report_refused=False,
    ):
        """The one inbound door: check, store idempotently, commit, schedule.

        ``target`` is the backend's :class:`InboxTarget`; ``items`` are dicts
        with the raw ``payload`` (text), a ``message_type``, optionally the
        ``document`` the channel already parsed from it, an
        ``idempotency_key`` the sender gave, its own ``correlation_id``, and
        extra message fields. The
        message type's processor admits each item (:meth:`_admit` of
        ``logistics.processor``): what it refuses is kept as a rejected
        message with the problems, and, with ``report_refused`` (channels
        with nobody to answer, such as file pickups), raised as an issue.
        Returns one :class:`Receipt` per item, in order; duplicates are
        answered with the original message."""
        if not items:
            return []
        Processor = self.env["logistics.processor"]
        limit = self._max_bytes()
        rows, problems_of = [], []
        for given in items:
            item = dict(given)
            document = item.pop("document", None)
            payload = item["payload"]
            problems = []
            if len(payload) > limit:
                problems = [{"field": "", "message": f"payload exceeds {limit} bytes"}]
            else:
                processor = Processor._for_type(target.kind, item["message_type"])
                problems = _admitted(processor, item, document)
            row = {
                **item,
                "backend_id": target.id,
                "company_id": target.company_id,
                "direction": "inbound",
                # a channel of separate messages (a broker) gives each its own
                "correlation_id": item.get("correlation_id") or correlation_id,
                "content_type": content_type,
                "channel": channel,
            }
            if problems:
                row.update(
                    _refused_row(payload, row["correlation_id"], problems, problems[0].get("code"))
                )
            else:
                row["lane"] = lanes.lane_of(row.get("subject_ref"), target.lanes)
            rows.append(row)
            problems_of.append(tuple(problems))
        Message = self.env["logistics.integration.message"].sudo()
        results = Message._insert(rows)
        commit(self.env)  # accepted means durable: nothing is scheduled before this
        receipts = [
            Receipt(message_id, state, duplicate, problems)
            for (message_id, state, duplicate), problems in zip(results, problems_of, strict=True)
        ]
        new_lanes = {
            row["lane"]
            for row, receipt in zip(rows, receipts, strict=True)
            if receipt.state == "queued" and not receipt.duplicate
        }
        try:
            with self.env.cr.savepoint():
                for lane in sorted(new_lanes):
                    self._ensure_drain(target.id, lane, channel)
        except Exception:
            # what is stored stays stored and accepted: the maintenance cron
            # gives every lane with due messages a drain
            _logger.exception("backend %s: could not schedule lanes %s", target.code, new_lanes)
        if report_refused:
            for receipt in receipts:
                if receipt.problems and not receipt.duplicate:
                    Message.browse(receipt.message_id)._open_issue(
                        "invalid_message", json_schema.problems_text(receipt.problems)
                    )
        return receipts

    @api.model
    def _refuse(
        self, target, payload, code, text, problems=(), correlation_id=None, content_type=None
    ):
        """Keep a request the channel refused before the door (unreadable
        body, wrong content type) as a rejected message; return its id."""
        [(message_id, _state, _duplicate)] = (
            self.env["logistics.integration.message"]
            .sudo()
            ._insert(
                [
                    {
                        "backend_id": target.id,
                        "company_id": target.company_id,
                        "direction": "inbound",
                        "message_type": "refused",
                        "payload_format": "text",
                        "correlation_id": correlation_id,
                        "content_type": content_type,
                        **_refused_row(payload, correlation_id, problems, code, text),
                    }
                ]
            )
        )
        commit(self.env)
        return message_id

    # --- scheduling -----------------------------------------------------------

    @api.model
    def _schedule(self, messages):
        """Make sure a drain will pick up each queued message."""
        due = {(m.backend_id.id, m.lane, m.channel) for m in messages if m.state == "queued"}
        for backend_id, lane, channel in due:
            self._ensure_drain(backend_id, lane, channel)

    @api.model
    def _ensure_drain(self, backend_id, lane, channel, eta=None):
        """Enqueue a drain job for a lane unless one is already waiting.

        Called after the messages are committed: a drain seen waiting here has
        not started yet, so it will see them."""
        identity = f"logistics-drain-{backend_id}-{lane}-{channel}"
        description = f"Process inbox of backend {backend_id} (lane {lane}, {channel})"
        if job_waiting(self.env, identity, description, eta):
            return
        self.with_delay(
            channel=CHANNELS[channel],
            priority=5 if channel == "realtime" else 15,
            # a later job must not hide an earlier one: only jobs due now share a key
            identity_key=None if eta else identity,
            eta=eta,
            description=description,
        )._drain(backend_id, lane, channel)

    @api.model
    def _maintenance(self):
        """Cron: give a drain to lanes whose due messages have none, wake
        outboxes, forget old rate-limit counters. (Drains killed with their
        worker are revived by queue_job's own stuck-job cron, see queue_job.py.)"""
        self._requeue_stuck()
        self.env["logistics.outbox"]._maintenance()
        self.env.cr.execute(
            "DELETE FROM logistics_rate_window WHERE window_start < now() - interval '1 hour'"
        )

    @api.model
    def _is_running(self, backend_id, lane, channel, *_args):
        """Does a drain work this lane right now? It holds the lane's lock."""
        return not try_lock(self.env, DRAIN_LOCK, backend_id, lane, channel)

    @api.model
    def _requeue_stuck(self, grace_minutes=2):
        """Cron safety net: a lane with messages due for more than ``grace_minutes``
        gets a drain, whatever happened to the job that should have run."""
        self.env["logistics.integration.message"].flush_model()
        self.env.cr.execute(
            """
            SELECT DISTINCT backend_id, lane, channel FROM logistics_integration_message
             WHERE state = 'queued' AND direction = 'inbound'
               AND COALESCE(next_attempt_at, received_at) < (now() at time zone 'UTC') - %s
            """,
            [timedelta(minutes=grace_minutes)],
        )
        for backend_id, lane, channel in self.env.cr.fetchall():
            self._ensure_drain(backend_id, lane, channel)

    # --- processing -----------------------------------------------------------

    def _drain(self, backend_id, lane, channel, limit=DRAIN_BATCH):
        """Job: process the due messages of one lane, oldest first."""
        backend = self.env["logistics.backend"].sudo().browse(backend_id).exists()
        if not backend:
            return "backend deleted"
        if not try_lock(self.env, DRAIN_LOCK, backend_id, lane, channel):
            # another drain holds the lane; it may have started before our messages arrived
            raise RetryableJobError("lane busy", seconds=1, ignore_retry=True)
        self.env["logistics.integration.message"].flush_model()
        self.env.cr.execute(
            """
            SELECT id FROM logistics_integration_message
             WHERE backend_id = %s AND direction = 'inbound' AND lane = %s
               AND channel = %s AND state = 'queued'
               AND (next_attempt_at IS NULL OR next_attempt_at <= now() at time zone 'UTC')
             ORDER BY id
             LIMIT %s
               FOR UPDATE SKIP LOCKED
            """,
            [backend_id, lane, channel, limit],
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        inbox = self.with_company(backend.company_id).sudo()
        messages = self.env["logistics.integration.message"].with_env(inbox.env).browse(ids)
        for start in range(0, len(messages), CHUNK):
            inbox._process_chunk(messages[start : start + CHUNK])
        if len(ids) == limit:
            self._ensure_drain(backend_id, lane, channel)
        else:
            self._schedule_retries(backend_id, lane, channel)
        return f"{len(ids)} message(s)"

    def _schedule_retries(self, backend_id, lane, channel):
        self.env["logistics.integration.message"].flush_model()
        self.env.cr.execute(
            """
            SELECT min(next_attempt_at) FROM logistics_integration_message
             WHERE backend_id = %s AND direction = 'inbound' AND lane = %s
               AND channel = %s AND state = 'queued' AND next_attempt_at IS NOT NULL
            """,
            [backend_id, lane, channel],
        )
        next_at = self.env.cr.fetchone()[0]
        if next_at:
            self._ensure_drain(backend_id, lane, channel, eta=next_at)

    def _process_chunk(self, messages):
        """Apply messages tried for the first time together, in one savepoint;
        if any of them fails, process each alone to find it. Retries and
        replays always go alone."""
        fresh = messages.filtered(lambda m: not m.trace)
        for message in messages - fresh:
            self._process(message)
        if not fresh:
            return
        started = time.monotonic()
        try:
            with self.env.cr.savepoint():
                subjects = self._apply_together(fresh)
                self.env.cr.precommit.run()
        except Exception:
            for message in fresh:
                self._process(message)
            return
        step = self._trace_step(1, "decode, map, apply, rules", "ok", started)
        step["detail"] = self.env._("together with %s message(s)", len(fresh))
        fresh._mark_done([step, self._trace_step(1, "result", "done", started)], subjects)

    def _apply_together(self, messages):
        """Decode and map each message, then apply them per processor in one go;
        return ``{message id: the record it concerned}``."""
        Processor = self.env["logistics.processor"]
        items_by_processor = {}
        for message in messages:
            processor = Processor._for_message(message)
            items_by_processor.setdefault(processor._name, []).extend(processor._prepare(message))
        subjects = {}
        for name, items in items_by_processor.items():
            processor = self.env[name]
            for (message, _mapped), record in zip(items, processor._apply_many(items), strict=True):
                processor._rules(message, record)
                subjects.setdefault(message.id, processor._subject_of(record))
        return subjects

    def _process(self, message):
        """Run one message through its processor, in a savepoint, and record the outcome."""
        backend = message.backend_id
        attempt = message.attempts + 1
        trace = []
        started = time.monotonic()
        earlier_issues = message._open_issues()
        try:
            with self.env.cr.savepoint():
                processor = self.env["logistics.processor"]._for_message(message)
                subject = processor._run(message, trace)
                # finish the message's side effects (chatter tracking) inside its savepoint
                self.env.cr.precommit.run()
        except PermanentError as error:
            trace.append(self._trace_step(attempt, "result", "failed", started))
            message._mark_failed(error, trace)
        except (TransientError, *TRANSIENT_DB_ERRORS) as error:
            self._retry_or_bury(message, trace, error, attempt, started)
        except Exception as error:  # a bug: keep the message, retry, then dead-letter
            _logger.exception(
                "message %s [%s] of %s: unexpected error",
                message.id,
                message.correlation_id,
                backend.code,
            )
            self._retry_or_bury(message, trace, error, attempt, started)
        else:
            trace.append(self._trace_step(attempt, "result", "done", started))
            message._mark_done(trace, {message.id: subject} if subject else None, earlier_issues)

    @api.model
    def _trace_step(self, attempt, step, outcome, started, detail=""):
        return {
            "attempt": attempt,
            "at": fields.Datetime.to_string(fields.Datetime.now()),
            "step": step,
            "outcome": outcome,
            "ms": round((time.monotonic() - started) * 1000, 1),
            "detail": detail,
        }

    def _retry_or_bury(self, message, trace, error, attempt, started):
        if attempt >= message.backend_id.max_attempts:
            trace.append(self._trace_step(attempt, "result", "dead", started))
            message._mark_dead(error, trace)
            return
        wait = getattr(error, "retry_after", None) or message.backend_id._retry_delay(attempt)
        trace.append(self._trace_step(attempt, "result", "queued", started))
        message._mark_retry(error, wait, trace)


def _admitted(processor, item, document):
    """The problems of an item at the door, as its processor and the inbox see them."""
    if processor is None:
        return [{"field": "", "message": f"no processor for {item['message_type']!r} messages"}]
    problems = processor._admit(item, document)
    if not problems and len(item["idempotency_key"]) > 255:
        problems = [{"field": "Idempotency-Key", "message": "longer than 255 characters"}]
    return problems


def _refused_row(payload, correlation_id, problems, code=None, text=None):
    """The columns of a refused item: kept, visibly, as a rejected message."""
    first = problems[0] if problems else {}
    return {
        # PostgreSQL text holds no NUL: garbage is kept, visibly replaced
        "payload": payload.replace("\x00", "\ufffd"),
        "idempotency_key": f"rejected:{correlation_id or '-'}:{uuid.uuid4().hex[:12]}",
        "state": "rejected",
        "error_code": code or "validation_failed",
        "error_message": json.dumps(
            {"message": text or first.get("message", ""), "fields": list(problems)}
        ),
    }
