import logging
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.queue_job.exception import RetryableJobError

from ..lib.errors import PermanentError, TransientError
from ..lib.transactions import commit
from .logistics_inbox import job_waiting

_logger = logging.getLogger(__name__)

DELIVERY_BATCH = 50
DELIVERY_BUDGET = 60  # seconds of delivering per job
CONTENT_TYPES = {
    "json": "application/json",
    "x12": "application/edi-x12",
    "edifact": "application/edifact",
}
DELIVERY_LOCK = 0x4C48


class LogisticsOutbox(models.AbstractModel):
    """The outbox: messages to backends, delivered in order through adapters.

    An outbound message is stored once per idempotency key (a milestone is
    never sent twice to one destination). Delivery goes oldest first; the
    first failure stops the batch, so one shipment's messages never overtake
    each other. Repeated failures open the backend's circuit: messages wait,
    nothing is dropped, and a probe after the cool-down closes it again.
    """

    _name = "logistics.outbox"
    _description = "Logistics Outbox"

    @api.model
    def _enqueue(self, backend, message_type, payload, idempotency_key, shipment=None, parent=None):
        """Store an outbound message unless that key was already queued; schedule delivery."""
        self.env.cr.execute(
            """
            SELECT id FROM logistics_integration_message
             WHERE backend_id = %s AND direction = 'outbound' AND idempotency_key = %s
            """,
            [backend.id, idempotency_key],
        )
        if self.env.cr.fetchone():  # known: do not render (nor use control numbers) again
            return self.env["logistics.integration.message"]
        body, payload_format = backend._render_outbound(message_type, payload)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO logistics_integration_message
                    (backend_id, company_id, direction, message_type, payload_format,
                     idempotency_key, correlation_id, payload, content_type, state, channel,
                     partition, shipment_id, parent_id, attempts, create_uid, write_uid,
                     received_at, create_date, write_date)
                VALUES (%s, %s, 'outbound', %s, %s, %s, %s, %s, %s, 'queued',
                        'realtime', 0, %s, %s, 0, %s, %s, now() at time zone 'UTC',
                        now() at time zone 'UTC', now() at time zone 'UTC')
                ON CONFLICT (backend_id, direction, idempotency_key) DO NOTHING
                RETURNING id
                """,
                backend.id,
                backend.company_id.id,
                message_type,
                payload_format,
                idempotency_key,
                parent.correlation_id if parent else None,
                body,
                CONTENT_TYPES.get(payload_format, "application/json"),
                shipment.id if shipment else None,
                parent.id if parent else None,
                self.env.uid,
                self.env.uid,
            )
        )
        row = self.env.cr.fetchone()
        if row:
            self._schedule_delivery(backend)
        return self.env["logistics.integration.message"].browse(row[0] if row else [])

    @api.model
    def _schedule_delivery(self, backends, eta=None):
        for backend in backends:
            identity = f"logistics-deliver-{backend.id}"
            description = f"Deliver outbox of backend {backend.id}"
            if job_waiting(self.env, identity, description, eta):
                continue
            self.with_delay(
                channel="root.logistics.outbound",
                identity_key=None if eta else identity,
                eta=eta,
                description=description,
            )._deliver(backend.id)

    def _lock(self, backend_id):
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [DELIVERY_LOCK, backend_id])
        return self.env.cr.fetchone()[0]

    def _deliver(self, backend_id, limit=DELIVERY_BATCH, budget=DELIVERY_BUDGET):
        """Job: deliver due outbound messages of one backend, oldest first.

        Each delivered message is committed at once: an error later in the run
        (or a worker killed for time) can never make it be sent again. The run
        stops after ``budget`` seconds and hands over to a new job."""
        backend = self.env["logistics.backend"].sudo().browse(backend_id).exists()
        if not backend:
            return "backend deleted"
        if not self._lock(backend_id):
            raise RetryableJobError("another delivery runs", seconds=2, ignore_retry=True)
        started, now = time.monotonic(), fields.Datetime.now()
        circuit = backend._circuit()
        if not circuit.allows(now):
            self._schedule_delivery(backend, eta=circuit.retry_at())
            return "circuit open"
        adapter = self.env["logistics.outbound.adapter"]._for_backend(backend)
        sent = 0
        for message in self._queued(backend, limit):
            # strict order: a message waiting for its retry holds back the ones after it
            if message.next_attempt_at and message.next_attempt_at > now:
                break
            delivered = self._deliver_one(adapter, backend, message, circuit)
            backend._store_circuit(circuit)
            commit(self.env)
            if not delivered:
                break
            sent += 1
            # the commit released the lock: keep it, or leave the rest to whoever took it
            if time.monotonic() - started > budget or not self._lock(backend_id):
                break
        self._schedule_next(backend, circuit)
        return f"{sent} sent, circuit {circuit.state}"

    def _queued(self, backend, limit=None):
        return (
            self.env["logistics.integration.message"]
            .sudo()
            .search(
                [
                    ("backend_id", "=", backend.id),
                    ("direction", "=", "outbound"),
                    ("state", "=", "queued"),
                ],
                order="id",
                limit=limit,
            )
        )

    def _deliver_one(self, adapter, backend, message, circuit):
        """Send one message; return False when delivery must stop here."""
        now = fields.Datetime.now()
        attempt = message.attempts + 1
        step = {"attempt": attempt, "at": fields.Datetime.to_string(now), "step": "deliver"}
        try:
            status = adapter._send(backend, message)
        except PermanentError as error:
            # the destination answered: it is up, this message is wrong
            circuit.record_success()
            self._finish(message, "failed", attempt, step, str(error), error.code)
            self.env["logistics.inbox"]._raise_exception(message, error.exception_type, str(error))
            return True
        except TransientError as error:
            circuit.record_failure(now)
            wait = error.retry_after or backend._retry_delay(circuit.failures)
            message.write({"next_attempt_at": fields.Datetime.add(now, seconds=wait)})
            self._finish(message, "queued", attempt, step, str(error), error.code)
            _logger.info(
                "outbound %s [%s] to %s failed (%s); circuit %s",
                message.id,
                message.correlation_id,
                backend.code,
                error,
                circuit.state,
            )
            return False
        circuit.record_success()
        message.response_status = status
        self._finish(message, "done", attempt, step, f"HTTP {status}" if status else "", None)
        return True

    def _finish(self, message, state, attempt, step, detail, error_code):
        step.update(outcome=state, detail=detail)
        message._add_trace([step])
        now = fields.Datetime.now()
        message.write(
            {
                "state": state,
                "attempts": attempt,
                "error_code": error_code,
                "error_message": detail if state != "done" else False,
                "processed_at": now if state == "done" else False,
                "duration_ms": int((now - message.received_at).total_seconds() * 1000),
            }
        )

    def _schedule_next(self, backend, circuit):
        if circuit.state == "open":
            self._schedule_delivery(backend, eta=circuit.retry_at())
            return
        head = self._queued(backend, limit=1)
        if head:
            now = fields.Datetime.now()
            self._schedule_delivery(backend, eta=max(head.next_attempt_at or now, now))

    @api.model
    def _maintenance(self, grace_minutes=2):
        """Cron: revive deliveries killed with their worker (their backend lock is
        free, so they are not running) and wake backends whose due messages
        have no delivery waiting."""
        limit = fields.Datetime.now() - timedelta(minutes=grace_minutes)
        stuck = (
            self.env["queue.job"]
            .sudo()
            .search(
                [
                    ("model_name", "=", self._name),
                    ("method_name", "=", "_deliver"),
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
        for job in stuck:
            if self._lock(job.args[0]):
                job.requeue()
        self.env["logistics.integration.message"].flush_model()
        self.env.cr.execute(
            """
            SELECT DISTINCT m.backend_id FROM logistics_integration_message m
              JOIN logistics_backend b ON b.id = m.backend_id
             WHERE m.direction = 'outbound' AND m.state = 'queued' AND b.circuit_state != 'open'
               AND COALESCE(m.next_attempt_at, m.received_at) < %s
            """,
            [limit],
        )
        backends = (
            self.env["logistics.backend"].sudo().browse([row[0] for row in self.env.cr.fetchall()])
        )
        self._schedule_delivery(backends)

    # --- what goes into the outbox ---------------------------------------------

    @api.model
    def _on_milestones(self, milestones):
        """Business rule: tell subscribers and notify customers of new milestones."""
        for milestone in milestones.filtered(lambda m: not m.is_duplicate):
            shipment = milestone.shipment_id
            if not shipment.customer_id:
                continue
            for backend in self._subscriptions(shipment, milestone):
                self._enqueue(
                    backend,
                    "milestone",
                    milestone._webhook_payload(),
                    f"milestone:{milestone.id}",
                    shipment=shipment,
                    parent=milestone.message_id,
                )
            if not milestone.is_late:  # a customer is told what is new, not old news
                self.env["logistics.notification.rule"]._notify(milestone)

    @api.model
    def _subscriptions(self, shipment, milestone):
        customer = shipment.customer_id.commercial_partner_id
        if customer.id not in self.env["logistics.backend"]._subscriber_partner_ids():
            return self.env["logistics.backend"]
        subscriptions = (
            self.env["logistics.backend"]
            .sudo()
            .search(
                [
                    ("adapter", "=", "webhook"),
                    ("partner_id", "=", customer.id),
                    ("company_id", "=", shipment.company_id.id),
                    ("environment", "=", shipment.environment),
                ]
            )
        )
        return subscriptions.filtered(
            lambda b: not b.subscribed_code_ids
            or milestone.milestone_code_id in b.subscribed_code_ids
        )
