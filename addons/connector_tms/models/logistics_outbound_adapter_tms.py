import json

from odoo import models

from odoo.addons.logistics_integration.lib import http_delivery
from odoo.addons.logistics_integration.lib.errors import PermanentError

from ..lib.template import TemplateError


class LogisticsOutboundAdapterTms(models.AbstractModel):
    """Tenders and cancellations written in the TMS's dialect by its template,
    POSTed in order through the outbox (circuit breaker, retries)."""

    _name = "logistics.outbound.adapter.tms"
    _inherit = "logistics.outbound.adapter"
    _description = "TMS Outbound Adapter"
    _adapter_key = "tms"

    def _render(self, backend, message_type, payload):
        version = backend.tms_template_id.version_id
        try:
            path, body = backend._tms_template(version).render(
                payload["section"], payload["document"]
            )
        except TemplateError as error:
            raise PermanentError(str(error), code="template_error") from error
        return {
            "payload": json.dumps(body, sort_keys=True),
            "payload_format": "json",
            "tms_path": path,
            "tms_version_id": version.id,
        }

    def _send(self, backend, message):
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": message.idempotency_key,
            "X-Correlation-ID": message.correlation_id or f"out-{message.id}",
        }
        token = backend._secret("api_token")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        url = (backend.base_url or "").rstrip("/") + message.tms_path
        status, answer = http_delivery.post_json(url, message.payload.encode(), headers)
        if message.message_type == "tms_tender" and message.tms_tender_id:
            template = backend._tms_template(message.tms_version_id)
            message.tms_tender_id._tendered(template.answer_load_id("tender", answer))
        return status
