"""Payment events from a bank or a payment provider, through the one door."""

from odoo.addons.logistics_integration.controllers.base import IntegrationController, api_route


class PaymentEventsApi(IntegrationController):
    # Odoo merges every controller built on IntegrationController into one
    # class: method names stay apart from other modules'.
    @api_route("/logistics/v1/payments", scope="payments")
    def post_payment_event(self):
        """One payment received on one of our bank accounts."""
        return self._serve(
            lambda call: self._intake_document(
                call,
                "payment",
                "the payment does not match the payment event schema",
                kinds=("bank",),
            )
        )
