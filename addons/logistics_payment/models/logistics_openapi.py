"""The payment event in the OpenAPI document."""

from odoo import api, models

from odoo.addons.logistics_integration.lib.openapi import component, document_operation

from ..lib import payment_event


class LogisticsOpenapi(models.AbstractModel):
    _inherit = "logistics.openapi"

    @api.model
    def _document(self, server_url):
        document = super()._document(server_url)
        document["paths"]["/logistics/v1/payments"] = document_operation(
            "postPaymentEvent",
            "A payment received on one of our bank accounts",
            "PaymentEvent",
            "payment",
            "Becomes a line of the backend's bank journal (once per payment id) and is matched "
            "to the customer invoice it pays: by the reference or end-to-end id quoted first, "
            "then by amount and payer. An unmatched payment is an exception for finance. Only a "
            "backend of kind Bank may send them.",
        )
        document["components"]["schemas"]["PaymentEvent"] = component(payment_event.schema())
        return document
