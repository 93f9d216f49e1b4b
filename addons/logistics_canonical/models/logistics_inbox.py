import json
import logging
import time
import zlib
from datetime import timedelta

import psycopg2

from odoo import api, fields, models, tools
from odoo.sql_db import connection_info_for
from odoo.tools import SQL

from odoo.addons.queue_job.exception import RetryableJobError

from ..lib import rate_counter
from ..lib.errors import PermanentError, TransientError

_logger = logging.getLogger(__name__)

CHANNELS = {"realtime": "root.logistics.realtime", "batch": "root.logistics.batch"}
DRAIN_BATCH = 200
# Messages applied together in one savepoint (a failure splits the chunk).
CHUNK = 50
# Namespace of the advisory locks that keep one drain per lane.
DRAIN_LOCK = 0x4C47
TRANSIENT_DB_ERRORS = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.DeadlockDetected,
    psycopg2.errors.LockNotAvailable,
    psycopg2.errors.UniqueViolation,  # two lanes creating the same record at once
)


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


def _lane_key(backend_id, partition, channel):
    return backend_id * 1000 + partition * 10 + list(CHANNELS).index(channel)


class LogisticsInbox(models.AbstractModel):
    """The inbox: durable, idempotent accept, then processing in micro-batches.

    Accept inserts raw messages with ``INSERT … ON CONFLICT DO NOTHING`` on the
    unique (backend, direction, idempotency key) index, so two identical
    concurrent requests store one message. A drain job per backend lane and
    channel then processes queued messages in arrival order, each in its own
    savepoint: one bad message never fails its neighbours, and one job carries
    up to DRAIN_BATCH messages instead of one job per message.
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

    # --- accept ---------------------------------------------------------------

    @api.model
    @tools.ormcache("key_hash")
    def _target_for_key(self, key_hash):
        """The :class:`InboxTarget` of an active key of an active backend, or None.

        Cached per worker (cleared on any key or backend change), so a request
        authenticates without a query."""
        self.env.cr.execute(
            """
            SELECT k.backend_id, k.expires_at
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
        return backend._inbox_target(expires_at=row[1])

    @api.model
    def _authenticate(self, key_hash):
        target = self._target_for_key(key_hash)
        if not target or (target.expires_at and target.expires_at < fields.Datetime.now()):
            return None
        return target

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
    def _partition(self, target, shipment_ref):
        return zlib.crc32((shipment_ref or "").encode()) % max(target.partitions, 1)

    @api.model
    def _accept(self, target, items, channel="realtime", correlation_id=None, content_type=None):
        """Store raw messages idempotently; return one ``(id, state, duplicate)`` per item.

        ``items`` are dicts with ``payload``, ``idempotency_key`` and optionally
        ``shipment_ref``, ``message_type``, ``payload_format``, ``state``,
        ``error_code``, ``error_message``. The caller commits.
        """
        if not items:
            return []
        uid = self.env.uid
        rows = []
        for item in items:
            rows.append(
                (
                    target.id,
                    target.company_id,
                    "inbound",
                    item.get("message_type", "event"),
                    item.get("payload_format", "json"),
                    item["idempotency_key"],
                    correlation_id,
                    item["payload"],
                    content_type,
                    item.get("state", "queued"),
                    channel,
                    self._partition(target, item.get("shipment_ref")),
                    item.get("shipment_ref"),
                    item.get("error_code"),
                    item.get("error_message"),
                    uid,
                    uid,
                )
            )
        row_sql = (
            "("
            + ", ".join(["%s"] * 17)
            + ", {now}, {now}, {now})".format(now="now() at time zone 'UTC'")
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO logistics_integration_message
                    (backend_id, company_id, direction, message_type, payload_format,
                     idempotency_key, correlation_id, payload, content_type, state, channel,
                     partition, shipment_ref, error_code, error_message, create_uid, write_uid,
                     received_at, create_date, write_date)
                VALUES %s
                ON CONFLICT (backend_id, direction, idempotency_key) DO NOTHING
                RETURNING idempotency_key, id
                """,
                SQL(", ").join(SQL(row_sql, *row) for row in rows),
            )
        )
        created = dict(self.env.cr.fetchall())
        keys = [item["idempotency_key"] for item in items]
        existing = {}
        missing = [key for key in keys if key not in created]
        if missing:
            self.env.cr.execute(
                """
                SELECT idempotency_key, id, state FROM logistics_integration_message
                 WHERE backend_id = %s AND direction = 'inbound' AND idempotency_key = ANY(%s)
                """,
                [target.id, missing],
            )
            existing = {
                key: (message_id, state) for key, message_id, state in self.env.cr.fetchall()
            }
        results = []
        for item, key in zip(items, keys, strict=True):
            if key in created:
                results.append((created[key], item.get("state", "queued"), False))
            else:
                message_id, state = existing[key]
                results.append((message_id, state, True))
        return results

    # --- scheduling -----------------------------------------------------------

    @api.model
    def _schedule(self, messages):
        """Make sure a drain will pick up each queued message."""
        lanes = {(m.backend_id.id, m.partition, m.channel) for m in messages if m.state == "queued"}
        for backend_id, partition, channel in lanes:
            self._ensure_drain(backend_id, partition, channel)

    @api.model
    def _ensure_drain(self, backend_id, partition, channel, eta=None):
        """Enqueue a drain job for a lane unless one is already waiting.

        Called after the messages are committed: a drain seen waiting here has
        not started yet, so it will see them."""
        identity = f"logistics-drain-{backend_id}-{partition}-{channel}"
        description = f"Process inbox of backend {backend_id} (lane {partition}, {channel})"
        if job_waiting(self.env, identity, description, eta):
            return
        self.with_delay(
            channel=CHANNELS[channel],
            priority=5 if channel == "realtime" else 15,
            # a later job must not hide an earlier one: only jobs due now share a key
            identity_key=None if eta else identity,
            eta=eta,
            description=description,
        )._drain(backend_id, partition, channel)

    @api.model
    def _maintenance(self):
        """Cron: revive drains killed with their worker, requeue stuck lanes,
        forget old rate-limit counters."""
        self._revive_dead_drains()
        self._requeue_stuck()
        self.env["logistics.outbox"]._maintenance()
        self.env.cr.execute(
            "DELETE FROM logistics_rate_window WHERE window_start < now() - interval '1 hour'"
        )

    @api.model
    def _revive_dead_drains(self, grace_minutes=2):
        """A drain left 'started' or 'enqueued' by a crashed worker fills its
        channel for good (queue_job cannot tell it is dead). A drain holds its
        lane's advisory lock while it runs: a free lock proves it is not running,
        and draining is idempotent, so such a job is safely set back to pending."""
        limit = fields.Datetime.now() - timedelta(minutes=grace_minutes)
        jobs = (
            self.env["queue.job"]
            .sudo()
            .search(
                [
                    ("model_name", "=", self._name),
                    ("method_name", "=", "_drain"),
                    "|",
                    "&",
                    ("state", "=", "started"),
                    ("date_started", "<", limit),
                    "&",
                    ("state", "=", "enqueued"),
                    ("date_enqueued", "<", limit),
                ]
            )
        )
        for job in jobs:
            backend_id, partition, channel = job.args[:3]
            self.env.cr.execute(
                "SELECT pg_try_advisory_xact_lock(%s, %s)",
                [DRAIN_LOCK, _lane_key(backend_id, partition, channel)],
            )
            if self.env.cr.fetchone()[0]:
                job.requeue()

    @api.model
    def _requeue_stuck(self, grace_minutes=2):
        """Cron safety net: a lane with messages due for more than ``grace_minutes``
        gets a drain, whatever happened to the job that should have run."""
        self.env["logistics.integration.message"].flush_model()
        self.env.cr.execute(
            """
            SELECT DISTINCT backend_id, partition, channel FROM logistics_integration_message
             WHERE state = 'queued' AND direction = 'inbound'
               AND COALESCE(next_attempt_at, received_at) < (now() at time zone 'UTC') - %s
            """,
            [timedelta(minutes=grace_minutes)],
        )
        for backend_id, partition, channel in self.env.cr.fetchall():
            self._ensure_drain(backend_id, partition, channel)

    # --- processing -----------------------------------------------------------

    def _drain(self, backend_id, partition, channel, limit=DRAIN_BATCH):
        """Job: process the due messages of one lane, oldest first."""
        backend = self.env["logistics.backend"].sudo().browse(backend_id).exists()
        if not backend:
            return "backend deleted"
        self.env.cr.execute(
            "SELECT pg_try_advisory_xact_lock(%s, %s)",
            [DRAIN_LOCK, _lane_key(backend_id, partition, channel)],
        )
        if not self.env.cr.fetchone()[0]:
            # another drain holds the lane; it may have started before our messages arrived
            raise RetryableJobError("lane busy", seconds=1, ignore_retry=True)
        self.env["logistics.integration.message"].flush_model()
        self.env.cr.execute(
            """
            SELECT id FROM logistics_integration_message
             WHERE backend_id = %s AND direction = 'inbound' AND partition = %s
               AND channel = %s AND state = 'queued'
               AND (next_attempt_at IS NULL OR next_attempt_at <= now() at time zone 'UTC')
             ORDER BY id
             LIMIT %s
               FOR UPDATE SKIP LOCKED
            """,
            [backend_id, partition, channel, limit],
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        inbox = self.with_company(backend.company_id).sudo()
        messages = self.env["logistics.integration.message"].with_env(inbox.env).browse(ids)
        for start in range(0, len(messages), CHUNK):
            inbox._process_chunk(messages[start : start + CHUNK])
        if len(ids) == limit:
            self._ensure_drain(backend_id, partition, channel)
        else:
            self._schedule_retries(backend_id, partition, channel)
        return f"{len(ids)} message(s)"

    def _schedule_retries(self, backend_id, partition, channel):
        self.env["logistics.integration.message"].flush_model()
        self.env.cr.execute(
            """
            SELECT min(next_attempt_at) FROM logistics_integration_message
             WHERE backend_id = %s AND direction = 'inbound' AND partition = %s
               AND channel = %s AND state = 'queued' AND next_attempt_at IS NOT NULL
            """,
            [backend_id, partition, channel],
        )
        next_at = self.env.cr.fetchone()[0]
        if next_at:
            self._ensure_drain(backend_id, partition, channel, eta=next_at)

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
                shipments = self._apply_together(fresh)
                self.env.cr.precommit.run()
        except Exception:
            for message in fresh:
                self._process(message)
            return
        self._mark_done_together(fresh, shipments, started)

    def _apply_together(self, messages):
        """Decode and map each message, then apply them per processor in one go."""
        Processor = self.env["logistics.processor"]
        items_by_processor = {}
        for message in messages:
            processor = Processor._for_message(message)
            items_by_processor.setdefault(processor._name, []).extend(processor._prepare(message))
        shipments = {}
        for name, items in items_by_processor.items():
            processor = self.env[name]
            for (message, _mapped), record in zip(items, processor._apply_many(items), strict=True):
                processor._rules(message, record)
                shipments.setdefault(message.id, processor._shipment_of(record))
        return shipments

    def _mark_done_together(self, messages, shipments, started):
        elapsed = round((time.monotonic() - started) * 1000, 1)
        now = fields.Datetime.now()
        at = fields.Datetime.to_string(now)
        rows = []
        for message in messages:
            step = {
                "attempt": 1,
                "at": at,
                "step": "decode, map, apply, rules",
                "outcome": "ok",
                "ms": elapsed,
                "detail": self.env._("together with %s message(s)", len(messages)),
            }
            result = {
                "attempt": 1,
                "at": at,
                "step": "result",
                "outcome": "done",
                "ms": elapsed,
                "detail": "",
            }
            shipment = shipments.get(message.id)
            rows.append(
                (
                    message.id,
                    json.dumps([step, result]),
                    shipment.id if shipment else None,
                    int((now - message.received_at).total_seconds() * 1000),
                )
            )
        self.env.cr.execute(
            SQL(
                """
                UPDATE logistics_integration_message m
                   SET state = 'done', attempts = 1, next_attempt_at = NULL, error_code = NULL,
                       error_message = NULL, processed_at = %s, trace = v.trace,
                       shipment_id = v.shipment_id, duration_ms = v.duration_ms,
                       write_date = %s, write_uid = %s
                  FROM (VALUES %s) AS v (id, trace, shipment_id, duration_ms)
                 WHERE m.id = v.id
                """,
                now,
                now,
                self.env.uid,
                SQL(", ").join(SQL("(%s, %s, %s::int, %s)", *row) for row in rows),
            )
        )
        messages.invalidate_recordset()

    def _process(self, message):
        """Run one message through its processor, in a savepoint, and record the outcome."""
        backend = message.backend_id
        attempt = message.attempts + 1
        trace = []
        started = time.monotonic()
        vals = {"attempts": attempt, "next_attempt_at": False}
        earlier_exceptions = message.exception_ids
        try:
            with self.env.cr.savepoint():
                processor = self.env["logistics.processor"]._for_message(message)
                shipment = processor._run(message, trace)
                # finish the message's side effects (chatter tracking) inside its savepoint
                self.env.cr.precommit.run()
        except PermanentError as error:
            self._record_failure(message, trace, error, "failed", vals)
        except (TransientError, *TRANSIENT_DB_ERRORS) as error:
            self._retry_or_bury(message, trace, error, vals, attempt)
        except Exception as error:  # a bug: keep the message, retry, then dead-letter
            _logger.exception(
                "message %s [%s] of %s: unexpected error",
                message.id,
                message.correlation_id,
                backend.code,
            )
            self._retry_or_bury(message, trace, error, vals, attempt)
        else:
            vals.update(state="done", error_code=False, error_message=False)
            if shipment:
                vals["shipment_id"] = shipment.id
            self._close_integration_exceptions(earlier_exceptions)
        now = fields.Datetime.now()
        vals.update(
            processed_at=now, duration_ms=int((now - message.received_at).total_seconds() * 1000)
        )
        trace.append(self._trace_step(attempt, "result", vals.get("state", "queued"), started))
        message._add_trace(trace)
        message.write(vals)

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

    def _retry_or_bury(self, message, trace, error, vals, attempt):
        backend = message.backend_id
        if attempt >= backend.max_attempts:
            self._record_failure(message, trace, error, "dead", vals)
            return
        wait = getattr(error, "retry_after", None) or backend._retry_delay(attempt)
        vals.update(
            state="queued",
            next_attempt_at=fields.Datetime.now() + timedelta(seconds=wait),
            error_code=getattr(error, "code", None) or type(error).__name__,
            error_message=str(error),
        )
        _logger.info(
            "message %s [%s]: attempt %s failed (%s), retry in %ss",
            message.id,
            message.correlation_id,
            attempt,
            vals["error_code"],
            wait,
        )

    def _record_failure(self, message, trace, error, state, vals):
        code = getattr(error, "code", None) or type(error).__name__
        vals.update(state=state, error_code=code, error_message=str(error))
        type_code = (
            "dead_letter"
            if state == "dead"
            else getattr(error, "exception_type", "invalid_message")
        )
        exception = self._raise_exception(
            message, type_code, str(error), getattr(error, "field", None)
        )
        if exception.shipment_id:
            vals["shipment_id"] = exception.shipment_id.id
        _logger.info("message %s [%s]: %s (%s)", message.id, message.correlation_id, state, code)

    def _raise_exception(self, message, type_code, text, field=None):
        """Open one exception per message and type; a repeated failure adds to
        its history. Bookkeeping must never break the drain: if it fails, the
        message still records its failure and the error is logged."""
        try:
            with self.env.cr.savepoint():
                return self._open_exception(message, type_code, text, field)
        except Exception:
            _logger.exception("message %s: could not open a %s exception", message.id, type_code)
            return self.env["logistics.exception"]

    def _open_exception(self, message, type_code, text, field):
        Type = self.env["logistics.exception.type"].with_context(active_test=False)
        exception_type = Type.search([("code", "=", type_code)], limit=1) or Type.search(
            [("code", "=", "invalid_message")], limit=1
        )
        open_one = message.exception_ids.filtered(
            lambda e: e.exception_type_id == exception_type and e.state in ("new", "assigned")
        )
        detail = f"{field}: {text}" if field else text
        if open_one:
            open_one.message_post(body=detail)
            return open_one
        shipment = message.shipment_id or self._known_shipment(message)
        return self.env["logistics.exception"].create(
            {
                "name": f"#{message.id} {message.backend_id.code}: {detail}"[:200],
                "exception_type_id": exception_type.id,
                "company_id": message.company_id.id,
                "message_id": message.id,
                "backend_id": message.backend_id.id,
                "shipment_id": shipment.id,
                "description": detail,
            }
        )

    def _known_shipment(self, message):
        if not message.shipment_ref:
            return self.env["logistics.shipment"]
        return self.env["logistics.external.ref"]._find(
            message.backend_id, "logistics.shipment", message.shipment_ref
        )

    def _close_integration_exceptions(self, exceptions):
        """A message that finally went through closes the exceptions its earlier
        attempts raised (not those this attempt raised, e.g. for one bad event)."""
        exceptions.filtered(lambda e: e.state in ("new", "assigned")).write(
            {
                "state": "resolved",
                "resolution": self.env._("The message was processed."),
                "closed_date": fields.Datetime.now(),
            }
        )
