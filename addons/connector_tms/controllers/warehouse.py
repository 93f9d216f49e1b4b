"""Warehouse events from an external WMS, through the one door."""

from odoo.http import request

from odoo.addons.logistics_integration.controllers.base import (
    ApiError,
    IntegrationController,
    api_route,
)


class WarehouseEventsApi(IntegrationController):
    @api_route("/logistics/v1/warehouse/events")
    def post_warehouse_event(self):
        """One WMS step on one of our delivery orders. 202 once stored, 200 for
        an event already received."""
        return self._serve(self._intake_warehouse_event)

    def _intake_warehouse_event(self, call):
        document = self._parse_json(self._read_content(call))
        if call.target.kind != "wms":
            raise ApiError(
                403, "forbidden", "only a warehouse (WMS) backend sends warehouse events"
            )
        self._check_rate(call, 1)
        item = {
            "payload": call.body.decode(),
            "document": document,
            "message_type": "wms_event",
            "idempotency_key": request.httprequest.headers.get("Idempotency-Key"),
        }
        [receipt] = self._receive(call, [item])
        if receipt.problems:
            raise ApiError(
                422,
                "validation_failed",
                "the event does not match the warehouse event schema",
                list(receipt.problems),
                kept=True,
            )
        return self._json(
            200 if receipt.duplicate else 202, self._accepted(receipt, call.correlation_id)
        )
