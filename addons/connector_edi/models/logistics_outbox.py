from odoo import api, fields, models

from ..lib import edifact, x12


class LogisticsOutbox(models.AbstractModel):
    _inherit = "logistics.outbox"

    @api.model
    def _subscriptions(self, shipment, milestone):
        subscribers = super()._subscriptions(shipment, milestone)
        customer = shipment.customer_id.commercial_partner_id
        if customer.id in self.env["logistics.edi.partner"]._status_customer_ids():
            subscribers |= self.env["logistics.backend"]._edi_subscribers(shipment, milestone)
        return subscribers

    @api.model
    def _enqueue(self, backend, message_type, payload, idempotency_key, shipment=None, parent=None):
        message = super()._enqueue(
            backend, message_type, payload, idempotency_key, shipment=shipment, parent=parent
        )
        profile = backend._edi_partner() if message else False
        if profile and message.payload_format in ("x12", "edifact"):
            vals = {"edi_control": _group_control(message.payload)}
            # acknowledgments are not acknowledged; a TA1 has no group to acknowledge
            if (
                vals["edi_control"]
                and message_type not in ("ack", "ta1")
                and profile.expect_997
                and profile.standard == "x12"
            ):
                vals.update(edi_ack_state="expected", edi_ack_due=profile._ack_due())
            message.write(vals)
        return message

    @api.model
    def _check_overdue_acks(self):
        """Cron: a 997 that did not come in time is an exception for the integration team."""
        overdue = (
            self.env["logistics.integration.message"]
            .sudo()
            .search(
                [("edi_ack_state", "=", "expected"), ("edi_ack_due", "<", fields.Datetime.now())]
            )
        )
        for message in overdue:
            message.edi_ack_state = "overdue"
            self.env["logistics.inbox"]._raise_exception(
                message,
                "ack_overdue",
                f"no 997 from {message.backend_id.name} for group {message.edi_control}",
            )


def _group_control(payload):
    """GS06 of an X12 interchange, or the UNB reference of an EDIFACT one."""
    if payload.lstrip().startswith("ISA"):
        for _separators, elements in x12.segments(payload):
            if elements[0] == "GS":
                return elements[6] if len(elements) > 6 else ""
        return ""
    for _delimiters, elements in edifact.segments(payload):
        if elements[0] == "UNB":
            return edifact.value(elements[5]) if len(elements) > 5 else ""
    return ""
