import json

from odoo import api, models, tools

from ..lib import http_delivery, signature
from ..lib.errors import PermanentError

CONTENT_TYPES = {
    "json": "application/json",
    "x12": "application/edi-x12",
    "edifact": "application/edifact",
    "xml": "application/xml",
    "text": "text/plain",
}


class LogisticsOutboundAdapter(models.AbstractModel):
    """How an outbound message is rendered and reaches its destination.

    An adapter declares the backend ``adapter`` value it serves in
    ``_adapter_key`` (two adapters with one key is an error when the
    registry loads). ``_render`` turns a payload into what is stored and
    sent, once, so a retry resends exactly the same bytes; ``_send``
    returns a status to record, raises :class:`TransientError` when a retry
    may succeed and :class:`PermanentError` when it will not. Connector
    modules add REST, SOAP, EDI or AMQP adapters the same way.
    """

    _name = "logistics.outbound.adapter"
    _inherit = ["logistics.registry.mixin"]
    _description = "Logistics Outbound Adapter"
    _claim_attribute = "_adapter_key"
    _adapter_key = None

    @api.model
    @tools.ormcache("key")
    def _adapter_name(self, key):
        return self._claim_table().get(key)

    @api.model
    def _for_backend(self, backend):
        name = self._adapter_name(backend.adapter)
        if not name:
            raise PermanentError(
                f"backend {backend.code} has no outbound adapter", code="no_adapter"
            )
        return self.env[name]

    def _render(self, backend, message_type, payload):
        """The message fields of ``payload`` as stored and sent: at least
        ``payload`` (text) and ``payload_format``. JSON here."""
        body = payload if isinstance(payload, str) else json.dumps(payload, sort_keys=True)
        return {"payload": body, "payload_format": "json"}

    def _send(self, backend, message):
        raise NotImplementedError


class LogisticsOutboundAdapterWebhook(models.AbstractModel):
    """A signed JSON POST to the backend's URL (webhook subscriptions, API partners)."""

    _name = "logistics.outbound.adapter.webhook"
    _inherit = "logistics.outbound.adapter"
    _description = "Webhook Outbound Adapter"
    _adapter_key = "webhook"

    def _send(self, backend, message):
        body = message.payload.encode()
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": message.idempotency_key,
            "X-Correlation-ID": message.correlation_id or f"out-{message.id}",
        }
        secret = backend._secret("signing_secret")
        if secret:
            headers[signature.HEADER] = signature.sign(secret, body)
        return http_delivery.post(backend.base_url, body, headers)
