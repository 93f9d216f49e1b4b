import uuid

from odoo import api, models

from odoo.addons.logistics_integration.lib.json_schema import problems_text

from ..lib import amqp
from ..lib.amqp import Verdict

CONTENT_TYPES = ("application/json", "text/json", "text/plain", "")


class LogisticsAmqpIntake(models.AbstractModel):
    """What the AMQP consumer hands to the one door, and its verdicts."""

    _name = "logistics.amqp.intake"
    _description = "AMQP Intake"

    # --- as a channel of odoo-bin logistics-channels -----------------------------

    @api.model
    def _listener_config(self, backend):
        return (
            backend.id,
            backend.amqp_url,
            backend.amqp_username,
            backend._secret("amqp_password"),
            backend.amqp_queue,
            backend.amqp_prefetch,
            backend.amqp_dead_letter_exchange or "logistics.dead",
        )

    @api.model
    def _listener_loop(self, config, handle, stop):
        _backend_id, url, username, password, queue, prefetch, dead_letter_exchange = config
        return amqp.Consumer(
            amqp.parameters(url, username, password),
            queue,
            handle,
            prefetch=prefetch,
            dead_letter_exchange=dead_letter_exchange,
            stop=stop,
        )

    @api.model
    def _listener_receive(self, config, deliveries):
        return self._receive_deliveries(self.env["logistics.backend"].browse(config[0]), deliveries)

    # --- the door ---------------------------------------------------------------

    @api.model
    def _receive_deliveries(self, backend, deliveries):
        """Store a batch of deliveries through the door (which commits); return
        one :class:`Verdict` per delivery. The AMQP ``type`` property says what
        a message is (else the backend does), ``message_id`` is its idempotency
        key (else the content's identity), ``correlation_id`` follows it."""
        backend = backend.sudo()
        target = backend._inbox_target()
        Inbox = self.env["logistics.inbox"]
        verdicts, items, slots = [None] * len(deliveries), [], []
        for index, delivery in enumerate(deliveries):
            properties = delivery.properties
            refusal = self._unreadable(delivery)
            if refusal:
                message_id = Inbox._refuse(
                    target,
                    delivery.body.decode("utf-8", "replace"),
                    "unreadable",
                    refusal,
                    correlation_id=self._correlation_id(properties),
                    content_type=properties.content_type,
                )
                self.env["logistics.integration.message"].sudo().browse(message_id)._open_issue(
                    "invalid_message", refusal
                )
                verdicts[index] = Verdict(message_id, refusal)
                continue
            items.append(
                {
                    "payload": delivery.body.decode("utf-8-sig"),
                    "message_type": (properties.type or backend.amqp_message_type or "event"),
                    "idempotency_key": (properties.message_id or "")[:255] or None,
                    "correlation_id": self._correlation_id(properties),
                }
            )
            slots.append(index)
        receipts = Inbox._receive(target, items, channel="realtime", report_refused=True)
        for index, receipt in zip(slots, receipts, strict=True):
            refusal = problems_text(receipt.problems) if receipt.problems else ""
            verdicts[index] = Verdict(receipt.message_id, refusal)
        return verdicts

    @api.model
    def _unreadable(self, delivery):
        """Why a delivery cannot be read as a message at all, or ''."""
        content_type = (delivery.properties.content_type or "").split(";")[0].strip().lower()
        if content_type not in CONTENT_TYPES:
            return self.env._("content type %s: JSON is expected", content_type)
        try:
            delivery.body.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            return self.env._("not UTF-8 text (byte %s)", error.start)
        return ""

    @api.model
    def _correlation_id(self, properties):
        return (properties.correlation_id or "")[:100] or f"amqp-{uuid.uuid4().hex[:16]}"
