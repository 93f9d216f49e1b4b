import json

from odoo import api, models, tools

from ..lib import http_delivery, signature
from ..lib.errors import PermanentError


class LogisticsOutboundAdapter(models.AbstractModel):
    """How an outbound message reaches its destination.

    An adapter declares the backend ``adapter`` value it serves in
    ``_adapter_key``; connector modules add REST, SOAP, EDI or AMQP adapters
    the same way. ``_send`` returns a status to record, raises
    :class:`TransientError` when a retry may succeed and
    :class:`PermanentError` when it will not.
    """

    _name = "logistics.outbound.adapter"
    _description = "Logistics Outbound Adapter"
    _adapter_key = None

    @api.model
    @tools.ormcache("key")
    def _adapter_name(self, key):
        for name in sorted(self.env.registry.descendants([self._name], "_inherit")):
            if getattr(self.env.registry[name], "_adapter_key", None) == key:
                return name
        return None

    @api.model
    def _for_backend(self, backend):
        name = self._adapter_name(backend.adapter)
        if not name:
            raise PermanentError(
                f"backend {backend.code} has no outbound adapter", code="no_adapter"
            )
        return self.env[name]

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
        if backend.signing_secret:
            headers[signature.HEADER] = signature.sign(backend.signing_secret, body)
        return http_delivery.post(backend.base_url, body, headers)


class LogisticsOutboundAdapterMail(models.AbstractModel):
    """Customer e-mails: the payload names a mail template and a shipment."""

    _name = "logistics.outbound.adapter.mail"
    _inherit = "logistics.outbound.adapter"
    _description = "E-mail Outbound Adapter"
    _adapter_key = "mail"

    def _send(self, backend, message):
        data = json.loads(message.payload)
        template = self.env["mail.template"].browse(data["template_id"]).exists()
        shipment = self.env["logistics.shipment"].browse(data["shipment_id"]).exists()
        if not template or not shipment:
            raise PermanentError("template or shipment no longer exists", code="gone")
        template.send_mail(
            shipment.id, force_send=False, email_layout_xmlid="mail.mail_notification_light"
        )
        return 0
