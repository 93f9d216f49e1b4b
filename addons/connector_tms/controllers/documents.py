"""Warehouse events from an external WMS and transport orders from customers'
systems, through the one door."""

from odoo.addons.logistics_integration.controllers.base import IntegrationController, api_route


class WarehouseEventsApi(IntegrationController):
    # Odoo merges every controller built on IntegrationController into one
    # class: method names stay apart from other modules'.
    @api_route("/logistics/v1/warehouse/events", scope="warehouse")
    def post_warehouse_event(self):
        """One WMS step on one of our delivery orders."""
        return self._serve(
            lambda call: self._intake_document(
                call,
                "wms_event",
                "the event does not match the warehouse event schema",
                kinds=("wms",),
            )
        )

    @api_route("/logistics/v1/orders", scope="orders")
    def post_transport_order(self):
        """A customer's transport order: a confirmed sale order, tendered."""
        return self._serve(
            lambda call: self._intake_document(
                call, "order", "the order does not match the order schema"
            )
        )
