import threading

import pika

from odoo import models

from odoo.addons.logistics_integration.lib.errors import TransientError

from ..lib import amqp

# one publisher (and its connection) per broker and exchange, per worker process
_publishers = {}
_publishers_lock = threading.Lock()


class LogisticsOutboundAdapterAmqp(models.AbstractModel):
    """Publishes outbound messages to the backend's topic exchange, persistent,
    with publisher confirms: a message counts as sent once the broker confirmed
    it. The outbox sends one backend's messages in order, so a consumer bound
    to a shipment's routing keys sees its events in order."""

    _name = "logistics.outbound.adapter.amqp"
    _inherit = "logistics.outbound.adapter"
    _description = "AMQP Outbound Adapter"
    _adapter_key = "amqp"

    def _render(self, backend, message_type, payload):
        rendered = super()._render(backend, message_type, payload)
        document = payload if isinstance(payload, dict) else {}
        event = document.get("code") or document.get("event") or document.get("type")
        rendered["routing_key"] = amqp.routing_key(
            message_type, event, document.get("shipment_ref")
        )[:255]
        return rendered

    def _send(self, backend, message):
        properties = pika.BasicProperties(
            content_type=message.content_type or "application/json",
            delivery_mode=pika.DeliveryMode.Persistent,
            message_id=message.idempotency_key,
            correlation_id=message.correlation_id or f"out-{message.id}",
            type=message.message_type,
            timestamp=int(message.received_at.timestamp()),
            app_id="odoo-logistics",
        )
        key = message.routing_key or amqp.routing_key(message.message_type)
        try:
            self._publisher(backend).publish(key, message.payload.encode(), properties)
        except amqp.ERRORS as error:
            raise TransientError(
                f"broker {backend.sudo().amqp_url} did not confirm: {error or type(error).__name__}"
            ) from error

    def _publisher(self, backend):
        backend = backend.sudo()
        identity = (
            backend.id,
            backend.amqp_url,
            backend.amqp_username,
            backend.amqp_exchange,
            backend._secret("amqp_password"),
        )
        with _publishers_lock:
            publisher = _publishers.get(identity)
            if publisher is None:
                stale = [key for key in _publishers if key[0] == backend.id]
                for key in stale:
                    _publishers.pop(key).close()
                publisher = _publishers[identity] = amqp.Publisher(
                    backend._amqp_parameters(), backend.amqp_exchange or "logistics.events"
                )
        return publisher
