"""The logistics API v1: authenticated, idempotent intake of canonical events.

Every answer is JSON. Whatever a client sends is answered with a 2xx or a
4xx naming the problem, and logged; it never causes a 500. Accepted means
durable: 202 is returned after the raw payload is committed.
"""

import json
import logging
import re
import uuid

from psycopg2 import OperationalError
from werkzeug.exceptions import RequestEntityTooLarge

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..lib import apikey, event_schema, openapi, signature

_logger = logging.getLogger(__name__)

DEFAULT_MAX_BODY = 1024 * 1024
DEFAULT_BATCH_MAX = 100
CORRELATION_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class ApiError(Exception):
    def __init__(self, status, code, message, fields=None, headers=None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields, self.headers = fields or [], headers or {}


class LogisticsApi(http.Controller):
    # --- routes ---------------------------------------------------------------

    @http.route(
        "/logistics/v1/events",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,  # auth="none" routes default to a read-only cursor
    )
    def post_event(self):
        return self._intake(batch=False)

    @http.route(
        "/logistics/v1/events/batch",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,  # auth="none" routes default to a read-only cursor
    )
    def post_events(self):
        return self._intake(batch=True)

    @http.route(
        "/logistics/v1/messages/<int:message_id>",
        type="http",
        auth="none",
        methods=["GET"],
        save_session=False,
    )
    def get_message(self, message_id):
        correlation_id = self._correlation_id()
        try:
            target = self._authenticate()
            message = (
                request.env["logistics.integration.message"].sudo().browse(message_id).exists()
            )
            if not message or message.backend_id.id != target.id:
                raise ApiError(404, "not_found", f"no message {message_id} of this backend")
        except ApiError as error:
            return self._error(error, correlation_id)
        return self._json(
            200,
            {
                "message_id": message.id,
                "state": message.state,
                "attempts": message.attempts,
                "error_code": message.error_code or None,
                "error_message": message.error_message or None,
                "shipment": message.shipment_id.name or None,
                "correlation_id": message.correlation_id or None,
            },
        )

    @http.route(
        "/logistics/v1/openapi.json", type="http", auth="none", methods=["GET"], save_session=False
    )
    def openapi_document(self):
        base_url = request.httprequest.host_url.rstrip("/")
        return self._json(
            200, openapi.document(base_url, self._setting("batch_max_events", DEFAULT_BATCH_MAX))
        )

    # --- subscriptions -----------------------------------------------------------

    @http.route(
        "/logistics/v1/subscriptions",
        type="http",
        auth="none",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def subscriptions(self):
        """A partner's webhooks for the milestones of its own shipments: list them
        (GET) or add one (POST ``{"url", "milestones"?}``; the signing secret is
        in the answer, once)."""
        correlation_id = self._correlation_id()
        try:
            caller = self._subscriber()
            Subscription = request.env["logistics.backend"].sudo()
            if request.httprequest.method == "GET":
                found = Subscription.search(caller._subscriptions_domain())
                return self._json(200, {"subscriptions": [s._subscription_json() for s in found]})
            self._check_content_type()
            document = self._parse_json(self._read_body())
            problems = caller._subscription_problems(document)
            if problems:
                raise ApiError(422, "validation_failed", "the subscription is not valid", problems)
            subscription, secret = caller._subscribe(
                document["url"], document.get("milestones") or []
            )
            request.env.cr.commit()  # pylint: disable=invalid-commit
        except ApiError as error:
            return self._error(error, correlation_id)
        return self._json(201, {**subscription._subscription_json(), "signing_secret": secret})

    @http.route(
        "/logistics/v1/subscriptions/<int:subscription_id>",
        type="http",
        auth="none",
        methods=["DELETE"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def unsubscribe(self, subscription_id):
        correlation_id = self._correlation_id()
        try:
            caller = self._subscriber()
            found = (
                request.env["logistics.backend"]
                .sudo()
                .search([*caller._subscriptions_domain(), ("id", "=", subscription_id)])
            )
            if not found:
                raise ApiError(404, "not_found", f"no subscription {subscription_id} of yours")
            found.active = False
        except ApiError as error:
            return self._error(error, correlation_id)
        return request.make_response("", status=204)

    def _subscriber(self):
        target = self._authenticate()
        caller = request.env["logistics.backend"].sudo().browse(target.id)
        if not caller.partner_id:
            raise ApiError(
                403, "forbidden", "this backend is no customer or partner: it cannot subscribe"
            )
        return caller

    # --- intake ---------------------------------------------------------------

    def _intake(self, batch):
        correlation_id = self._correlation_id()
        target = body = None
        try:
            target = self._authenticate()
            body = self._read_body()
            self._check_signature(target, body)
            self._check_content_type()
            document = self._parse_json(body)
            if batch:
                return self._intake_batch(target, document, correlation_id)
            return self._intake_one(target, document, body, correlation_id)
        except ApiError as error:
            self._log_rejection(target, error, correlation_id)
            if target and body is not None and error.status in (400, 415, 422):
                self._keep_rejected(target, body, error, correlation_id)
            return self._error(error, correlation_id)
        except OperationalError:
            raise  # a serialization failure: Odoo retries the whole request
        except Exception:
            # a bug of ours: the client gets a JSON answer naming the request to
            # report, and we get the traceback; nothing was accepted
            _logger.exception("intake failed [%s]", correlation_id)
            request.env.cr.rollback()
            error = ApiError(500, "internal_error", "the event was not accepted; retry later")
            return self._error(error, correlation_id)

    def _intake_one(self, target, event, body, correlation_id):
        self._check_rate(target, 1)
        problems = event_schema.errors(event)
        if problems:
            raise ApiError(422, "validation_failed", "the event does not match schema v1", problems)
        key = request.httprequest.headers.get("Idempotency-Key") or event_schema.identity(event)
        if len(key) > 255:
            raise ApiError(
                422, "invalid_idempotency_key", "Idempotency-Key is longer than 255 characters"
            )
        item = {
            "payload": body.decode(),
            "idempotency_key": key,
            "shipment_ref": event["shipment_ref"],
        }
        [(message_id, state, duplicate)] = self._store(target, [item], "realtime", correlation_id)
        return self._json(
            200 if duplicate else 202,
            {
                "message_id": message_id,
                "state": state,
                "duplicate": duplicate,
                "correlation_id": correlation_id,
            },
        )

    def _intake_batch(self, target, document, correlation_id):
        limit = self._setting("batch_max_events", DEFAULT_BATCH_MAX)
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
        self._check_rate(target, len(events))
        results, items, positions = [], [], []
        for index, event in enumerate(events):
            problems = event_schema.errors(event)
            if problems:
                results.append(
                    {
                        "index": index,
                        "status": 422,
                        "error": {
                            "code": "validation_failed",
                            "message": "the event does not match schema v1",
                            "fields": problems,
                        },
                    }
                )
                continue
            positions.append(index)
            results.append(None)
            items.append(
                {
                    "payload": json.dumps(event, separators=(",", ":")),
                    "idempotency_key": event_schema.identity(event),
                    "shipment_ref": event["shipment_ref"],
                }
            )
        # the same event twice in one batch is stored once: the second is a duplicate
        unique_items = list({item["idempotency_key"]: item for item in items}.values())
        stored = dict(
            zip(
                [item["idempotency_key"] for item in unique_items],
                self._store(target, unique_items, "batch", correlation_id),
                strict=True,
            )
        )
        seen = set()
        for index, item in zip(positions, items, strict=True):
            message_id, state, duplicate = stored[item["idempotency_key"]]
            duplicate = duplicate or item["idempotency_key"] in seen
            seen.add(item["idempotency_key"])
            results[index] = {
                "index": index,
                "status": 200 if duplicate else 202,
                "message_id": message_id,
                "state": state,
                "duplicate": duplicate,
            }
        rejected = [r for r in results if r["status"] == 422]
        if rejected:
            _logger.info(
                "batch from %s [%s]: %s of %s events rejected",
                target.code,
                correlation_id,
                len(rejected),
                len(events),
            )
        return self._json(200, {"correlation_id": correlation_id, "results": results})

    def _store(self, target, items, channel, correlation_id):
        """Insert, commit, then make sure a drain will run: accepted means durable."""
        inbox = request.env["logistics.inbox"].sudo()
        content_type = request.httprequest.headers.get("Content-Type")
        results = (
            inbox._accept(target, items, channel, correlation_id, content_type) if items else []
        )
        request.env.cr.commit()  # pylint: disable=invalid-commit
        lanes = {
            inbox._partition(target, item["shipment_ref"])
            for item, (_id, _state, duplicate) in zip(items, results, strict=True)
            if not duplicate
        }
        for lane in sorted(lanes):
            inbox._ensure_drain(target.id, lane, channel)
        return results

    # --- checks ---------------------------------------------------------------

    def _authenticate(self):
        token = apikey.from_authorization(request.httprequest.headers.get("Authorization"))
        if not token:
            raise ApiError(
                401,
                "unauthenticated",
                "send 'Authorization: Bearer <API key>'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        # the API acts as OdooBot: jobs need a user, and a backend only ever
        # reaches its own records through its external references
        request.update_env(user=SUPERUSER_ID)
        target = request.env["logistics.inbox"]._authenticate(apikey.digest(token))
        if not target:
            raise ApiError(
                401,
                "invalid_api_key",
                "unknown, revoked or expired API key",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if target.outbound_only:
            raise ApiError(403, "forbidden", "this backend does not send events")
        return target

    def _read_body(self):
        limit = self._setting("max_body_bytes", DEFAULT_MAX_BODY)
        length = request.httprequest.content_length
        if length is not None and length > limit:
            raise ApiError(
                413, "payload_too_large", f"body of {length} bytes exceeds {limit} bytes"
            )
        # also bounds bodies sent without Content-Length (chunked); cached because
        # Odoo replays the whole request after a serialization failure
        request.httprequest.max_content_length = limit
        try:
            body = request.httprequest.get_data(cache=True)
        except RequestEntityTooLarge as error:
            raise ApiError(413, "payload_too_large", f"body exceeds {limit} bytes") from error
        if len(body) > limit:  # a stream werkzeug did not bound (e.g. behind some proxies)
            raise ApiError(413, "payload_too_large", f"body exceeds {limit} bytes")
        return body

    def _check_signature(self, target, body):
        if not target.require_signature:
            return
        try:
            signature.verify(
                request.httprequest.headers.get(signature.HEADER),
                body,
                target.secrets,
                tolerance=target.tolerance,
            )
        except signature.SignatureError as error:
            raise ApiError(401, "invalid_signature", str(error)) from error

    def _check_rate(self, target, hits):
        wait = request.env["logistics.inbox"].sudo()._rate_limited(target, hits)
        if wait:
            raise ApiError(
                429,
                "rate_limited",
                f"more than {target.rate_limit} events per minute; retry in {wait} s",
                headers={"Retry-After": str(wait)},
            )

    def _check_content_type(self):
        mimetype = request.httprequest.mimetype
        if mimetype != "application/json":
            raise ApiError(
                415,
                "unsupported_media_type",
                f"Content-Type must be application/json, not {mimetype or 'none'}",
            )

    def _parse_json(self, body):
        try:
            # decoded here: json.loads would also take UTF-16 and UTF-32 bytes
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ApiError(400, "invalid_encoding", f"body is not UTF-8: {error}") from error
        try:
            return json.loads(text)
        except ValueError as error:
            raise ApiError(400, "invalid_json", f"body is not JSON: {error}") from error
        except RecursionError as error:
            raise ApiError(400, "invalid_json", "body is nested too deeply") from error

    # --- helpers --------------------------------------------------------------

    def _correlation_id(self):
        given = request.httprequest.headers.get("X-Correlation-ID", "")
        return given if CORRELATION_ID.match(given) else uuid.uuid4().hex

    def _setting(self, name, default):
        value = request.env["ir.config_parameter"].sudo().get_param(f"logistics.api.{name}")
        return int(value) if value and value.isdigit() else default

    def _log_rejection(self, target, error, correlation_id):
        _logger.info(
            "rejected %s %s from %s [%s]: %s %s %s",
            request.httprequest.method,
            request.httprequest.path,
            target.code if target else request.httprequest.remote_addr,
            correlation_id,
            error.status,
            error.code,
            error.message,
        )

    def _keep_rejected(self, target, body, error, correlation_id):
        """A refused payload of a known backend stays in the integration log."""
        try:
            request.env["logistics.inbox"].sudo()._accept(
                target,
                [
                    {
                        # PostgreSQL text holds no NUL: garbage is kept, visibly replaced
                        "payload": body.decode(errors="replace").replace("\x00", "\ufffd"),
                        "idempotency_key": f"rejected:{correlation_id}:{uuid.uuid4().hex[:8]}",
                        "state": "rejected",
                        "error_code": error.code,
                        "error_message": json.dumps(
                            {"message": error.message, "fields": error.fields}
                        ),
                    }
                ],
                "realtime",
                correlation_id,
                request.httprequest.headers.get("Content-Type"),
            )
            request.env.cr.commit()  # pylint: disable=invalid-commit
        except Exception:
            _logger.exception("could not keep rejected payload [%s]", correlation_id)

    def _json(self, status, body, headers=None):
        return request.make_json_response(
            body, status=status, headers=list((headers or {}).items())
        )

    def _error(self, error, correlation_id):
        body = {
            "error": {"code": error.code, "message": error.message},
            "correlation_id": correlation_id,
        }
        if error.fields:
            body["error"]["fields"] = error.fields
        return self._json(error.status, body, error.headers)
