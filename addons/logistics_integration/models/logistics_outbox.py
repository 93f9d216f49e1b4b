import logging
import time

from odoo import api, fields, models

from odoo.addons.queue_job.exception import RetryableJobError

from ..lib.errors import PermanentError, TransientError
from ..lib.transactions import commit
from .logistics_inbox import job_waiting, try_lock
from .logistics_outbound_adapter import CONTENT_TYPES

_logger = logging.getLogger(__name__)

DELIVERY_BATCH = 50
DELIVERY_BUDGET = 60  # seconds of delivering per job
DELIVERY_LOCK = "logistics-deliver"


class LogisticsOutbox(models.AbstractModel):
    """The outbox: messages to backends, delivered in order through adapters.

    An outbound message is stored once per idempotency key (a milestone is
    never sent twice to one destination). Delivery goes oldest first; the
    first failure stops the batch, so one subject's messages never overtake
    each other. Repeated failures open the backend's circuit: messages wait,
    nothing is dropped, and a probe after the cool-down closes it again.
    """

    _name = "logistics.outbox"
    _description = "Logistics Outbox"

    @api.model
    def _enqueue(self, backend, message_type, payload, idempotency_key, parent=None, **values):
        """Store an outbound message unless that key was already queued; schedule
        delivery. ``values`` are further message fields (a module's links)."""
        Message = self.env["logistics.integration.message"].sudo()
        if Message._existing([(backend.id, "outbound", idempotency_key)]):
            # known: do not render (nor use control numbers) again
            return Message.browse()
        adapter = self.env["logistics.outbound.adapter"]._for_backend(backend)
        rendered = adapter._render(backend, message_type, payload)
        [(message_id, _state, duplicate)] = Message._insert(
            [
                {
                    "content_type": CONTENT_TYPES.get(
                        rendered["payload_format"], "application/json"
                    ),
                    **values,
                    **rendered,
                    "backend_id": backend.id,
                    "company_id": backend.company_id.id,
                    "direction": "outbound",
                    "message_type": message_type,
                    "idempotency_key": idempotency_key,
                    "correlation_id": parent.correlation_id if parent else None,
                    "parent_id": parent.id if parent else None,
                }
            ]
        )
        if duplicate:
            return Message.browse()
        self._schedule_delivery(backend)
        return Message.browse(message_id)

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
        return try_lock(self.env, DELIVERY_LOCK, backend_id)

    @api.model
    def _is_running(self, backend_id, *_args):
        """Does a delivery run for this backend right now? It holds the lock."""
        return not self._lock(backend_id)

    def _deliver(self, backend_id, limit=DELIVERY_BATCH, budget=DELIVERY_BUDGET):
        """Job: deliver due outbound messages of one backend, oldest first.

        Each delivered message is committed at once: an error later in the run
        (or a worker killed for time) can never make it be sent again. The run
        stops after ``budget`` seconds and hands over to a new job."""
        backend = self.env["logistics.backend"].sudo().browse(backend_id).exists()
        if not backend:
            return "backend deleted"
        if not backend.active:
            return "backend archived: its messages wait"
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
        step = {
            "attempt": message.attempts + 1,
            "at": fields.Datetime.to_string(now),
            "step": "deliver",
        }
        try:
            status = adapter._send(backend, message)
        except PermanentError as error:
            # the destination answered: it is up, this message is wrong
            circuit.record_success()
            message._mark_failed(error, [{**step, "outcome": "failed", "detail": str(error)}])
            return True
        except TransientError as error:
            circuit.record_failure(now)
            wait = error.retry_after or backend._retry_delay(circuit.failures)
            message._mark_retry(error, wait, [{**step, "outcome": "queued", "detail": str(error)}])
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
        detail = f"HTTP {status}" if status else ""
        message._mark_delivered(status, [{**step, "outcome": "done", "detail": detail}])
        return True

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
        """Cron: wake backends whose due messages have no delivery waiting.
        (Deliveries killed with their worker are revived by queue_job's own
        stuck-job cron, see queue_job.py.)"""
        limit = fields.Datetime.subtract(fields.Datetime.now(), minutes=grace_minutes)
        self.env["logistics.integration.message"].flush_model()
        self.env.cr.execute(
            """
            SELECT DISTINCT m.backend_id FROM logistics_integration_message m
              JOIN logistics_backend b ON b.id = m.backend_id
             WHERE m.direction = 'outbound' AND m.state = 'queued' AND b.active
               AND b.circuit_state != 'open'
               AND COALESCE(m.next_attempt_at, m.received_at) < %s
            """,
            [limit],
        )
        backends = (
            self.env["logistics.backend"].sudo().browse([row[0] for row in self.env.cr.fetchall()])
        )
        self._schedule_delivery(backends)
