from odoo import api, models


class LogisticsException(models.Model):
    """An exception raised is published to the company's message brokers."""

    _inherit = "logistics.exception"

    @api.model_create_multi
    def create(self, vals_list):
        exceptions = super().create(vals_list)
        exceptions._amqp_announce()
        return exceptions

    def _amqp_announce(self):
        Backend, Outbox = self.env["logistics.backend"], self.env["logistics.outbox"]
        for exception in self:
            environment = (
                exception.shipment_id.environment
                or exception.backend_id.environment
                or "production"
            )
            for backend in Backend._amqp_publishers(exception.company_id, environment):
                Outbox._enqueue(
                    backend,
                    "exception",
                    exception._amqp_payload(),
                    f"exception:{exception.id}",
                    shipment_id=exception.shipment_id.id or None,  # a raw insert: no False
                    parent=exception.message_id,
                )

    def _amqp_payload(self):
        """The exception as brokers' consumers receive it."""
        self.ensure_one()
        return {
            "event": "exception.raised",
            "exception_id": self.id,
            "code": self.exception_type_id.code,
            "summary": self.name,
            "severity": self.severity,
            "shipment_ref": self.shipment_id.name or None,
            "team": self.team_id.name or None,
            "raised_at": self.create_date.replace(microsecond=0).isoformat() + "Z",
        }
