"""Canonical events in: one at a time or in batches, through the one door."""

import json

from odoo.http import request

from odoo.addons.logistics_integration.controllers.base import (
    ApiError,
    IntegrationController,
    api_route,
)


class LogisticsEventsApi(IntegrationController):
    @api_route("/logistics/v1/events", scope="events")
    def post_event(self):
        return self._serve(self._intake_one)

    @api_route("/logistics/v1/events/batch", scope="events")
    def post_events(self):
        return self._serve(self._intake_batch)

    def _read_event_request(self, call):
        return self._parse_json(self._read_content(call))

    def _intake_one(self, call):
        return self._intake_document(call, "event", "the event does not match schema v1")

    def _intake_batch(self, call):
        document = self._read_event_request(call)
        limit = request.env["logistics.openapi"].sudo()._setting("batch_max_events")
        events = document.get("events") if isinstance(document, dict) else None
        if not isinstance(events, list) or not events:
            raise ApiError(
                422,
                "validation_failed",
                "expected an object with a non-empty 'events' array",
                [{"field": "events", "message": "a non-empty array is required"}],
            )
        if len(events) > limit:
            raise ApiError(
                422,
                "too_many_events",
                f"at most {limit} events per request",
                [{"field": "events", "message": f"{len(events)} events, at most {limit} allowed"}],
            )
        not_objects = [index for index, event in enumerate(events) if not isinstance(event, dict)]
        if not_objects:
            raise ApiError(
                422,
                "validation_failed",
                "every event is a JSON object",
                [{"field": f"events/{index}", "message": "not an object"} for index in not_objects],
            )
        self._check_rate(call, len(events))
        items = [
            {
                "payload": json.dumps(event, separators=(",", ":")),
                "document": event,
                "message_type": "event",
            }
            for event in events
        ]
        receipts = self._receive(call, items, channel="batch")
        results = [
            {
                "index": index,
                "status": 422,
                "message_id": receipt.message_id,
                "error": {
                    "code": "validation_failed",
                    "message": "the event does not match schema v1",
                    "fields": list(receipt.problems),
                },
            }
            if receipt.problems
            else {
                "index": index,
                "status": 200 if receipt.duplicate else 202,
                "message_id": receipt.message_id,
                "state": receipt.state,
                "duplicate": receipt.duplicate,
            }
            for index, receipt in enumerate(receipts)
        ]
        return self._json(200, {"correlation_id": call.correlation_id, "results": results})
