"""What every inbound route of the logistics API shares.

Every answer is JSON. Whatever a client sends is answered with a 2xx or a
4xx naming the problem, and logged; a bug of ours answers a JSON 500 naming
the request, never Odoo's HTML page. A route authenticates and reads what it
needs, then hands the content to the door (``logistics.inbox._receive``),
which commits before anything is scheduled or answered.
"""

import contextvars
import functools
import json
import logging
import re
import uuid

from psycopg2 import OperationalError
from werkzeug.exceptions import RequestEntityTooLarge

from odoo import SUPERUSER_ID, fields, http
from odoo.http import request

from ..lib import apikey, networks, openapi, secret_box, signature
from ..lib.openapi import CORRELATION_ID_PATTERN

_logger = logging.getLogger(__name__)

CORRELATION_ID = re.compile(CORRELATION_ID_PATTERN)
# Problems a kept copy of the request helps to understand (the body was read).
KEPT_STATUSES = (400, 415, 422)


# The scope the route being served asks of API keys (set by api_route).
ROUTE_SCOPE = contextvars.ContextVar("logistics_route_scope", default=None)


def api_route(path, methods=("POST",), scope=None):
    """The route of a logistics API endpoint: JSON over HTTP, no session, no
    CSRF token (partners authenticate with keys), a read-write cursor.
    ``scope``: what an API key must be allowed to do to call it (a
    ``logistics.api.scope`` code); it is also published in the OpenAPI document."""
    if scope:
        openapi.ROUTE_SCOPES[re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)] = scope

    def decorator(endpoint):
        @functools.wraps(endpoint)
        def scoped(controller, *args, **kwargs):
            ROUTE_SCOPE.set(scope)
            return endpoint(controller, *args, **kwargs)

        return http.route(
            path,
            type="http",
            auth="none",
            methods=list(methods),
            csrf=False,
            save_session=False,
            readonly=False,  # auth="none" routes default to a read-only cursor
        )(scoped)

    return decorator


class ApiError(Exception):
    def __init__(self, status, code, message, fields=None, headers=None, kept=False):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields, self.headers = fields or [], headers or {}
        self.kept = kept  # the door already keeps the refused content


class Call:
    """One request as the routes see it: who sent it, what, under which id."""

    def __init__(self, correlation_id, scope=None):
        self.correlation_id = correlation_id
        self.scope = scope  # what the key must be allowed to do
        self.target = None
        self.body = None


class IntegrationController(http.Controller):
    """Base of the logistics API's routes: one way to answer, refuse and log."""

    def _serve(self, handler):
        """Run ``handler(call)`` and answer JSON, whatever happens."""
        call = Call(uuid.uuid4().hex, ROUTE_SCOPE.get())
        try:
            call.correlation_id = self._correlation_id()
            return handler(call)
        except ApiError as error:
            self._log_rejection(call, error)
            if (
                call.target
                and call.body is not None
                and error.status in KEPT_STATUSES
                and not error.kept
            ):
                self._keep_rejected(call, error)
            return self._error(error, call.correlation_id)
        except OperationalError:
            raise  # a serialization failure: Odoo retries the whole request
        except secret_box.SecretsUnavailable as error:  # the hub lacks its key: ours to fix
            _logger.error("request refused [%s]: %s", call.correlation_id, error)
            request.env.cr.rollback()
            unavailable = ApiError(
                503, "secrets_unavailable", "the hub cannot use its secrets now; retry later"
            )
            return self._error(unavailable, call.correlation_id)
        except Exception:
            # a bug of ours: the client gets a JSON answer naming the request to
            # report, and we get the traceback; nothing was accepted
            _logger.exception("request failed [%s]", call.correlation_id)
            request.env.cr.rollback()
            error = ApiError(500, "internal_error", "the request was not accepted; retry later")
            return self._error(error, call.correlation_id)

    def _read_content(self, call, content_types=("application/json",), max_bytes=None):
        """What every intake does first: who sends (a backend that sends), the
        body within the size limit (the API's, or the route's ``max_bytes``),
        its signature, its content type."""
        self._authenticate_sender(call)
        body = self._read_body(call, max_bytes)
        self._check_signature(call)
        self._check_content_type(content_types)
        return body

    # --- checks ---------------------------------------------------------------

    def _authenticate(self, call):
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
        target = request.env["logistics.inbox"]._target_for_key(apikey.digest(token))
        if target:
            self._check_address(target)  # before anything says whether the key is good
        if not target or (target.expires_at and target.expires_at < fields.Datetime.now()):
            raise ApiError(
                401,
                "invalid_api_key",
                "unknown, revoked or expired API key",
                headers={"WWW-Authenticate": "Bearer"},
            )
        request.env["logistics.inbox"]._note_key_use(target, request.httprequest.remote_addr)
        if call.scope and target.scopes is not None and call.scope not in target.scopes:
            raise ApiError(
                403,
                "insufficient_scope",
                f"this API key lacks the scope {call.scope!r}",
                headers={
                    "WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{call.scope}"'
                },
            )
        call.target = target
        return target

    def _authenticate_sender(self, call):
        """Authenticate a backend that sends content (not a receive-only one)."""
        target = self._authenticate(call)
        if target.outbound_only:
            raise ApiError(403, "forbidden", "this backend does not send content")
        return target

    def _read_body(self, call, max_bytes=None):
        limit = max_bytes or request.env["logistics.inbox"].sudo()._max_bytes()
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
        call.body = body
        return body

    def _check_address(self, target):
        address = request.httprequest.remote_addr
        if not networks.allows(target.networks, address):
            raise ApiError(
                403, "address_not_allowed", f"requests from {address} are not allowed here"
            )

    def _check_secrets(self, target):
        if target.secrets_problem:  # ours to fix: the partner retries later
            _logger.error("signature of %s not checked: %s", target.code, target.secrets_problem)
            raise ApiError(
                503, "secrets_unavailable", "the signature cannot be checked now; retry later"
            )

    def _check_signature(self, call):
        target = call.target
        if not target.require_signature:
            return
        self._check_secrets(target)
        try:
            signature.verify(
                request.httprequest.headers.get(signature.HEADER),
                call.body,
                target.secrets,
                tolerance=target.tolerance,
            )
        except signature.SignatureError as error:
            raise ApiError(401, "invalid_signature", str(error)) from error

    def _check_rate(self, call, hits):
        target = call.target
        wait = request.env["logistics.inbox"].sudo()._rate_limited(target, hits)
        if wait:
            raise ApiError(
                429,
                "rate_limited",
                f"more than {target.rate_limit} requests per minute; retry in {wait} s",
                headers={"Retry-After": str(wait)},
            )

    def _check_content_type(self, accepted=("application/json",)):
        mimetype = request.httprequest.mimetype
        if mimetype not in accepted:
            raise ApiError(
                415,
                "unsupported_media_type",
                f"Content-Type must be {' or '.join(sorted(accepted))}, not {mimetype or 'none'}",
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

    # --- the door -----------------------------------------------------------------

    def _receive(self, call, items, channel="realtime", **options):
        """Hand authenticated content to the door; its receipts, in order."""
        return (
            request.env["logistics.inbox"]
            .sudo()
            ._receive(
                call.target,
                items,
                channel=channel,
                correlation_id=call.correlation_id,
                content_type=request.httprequest.headers.get("Content-Type"),
                **options,
            )
        )

    def _intake_document(self, call, message_type, refusal, kinds=None):
        """One JSON document through the door: 202 once stored, 200 for one
        already received, 422 naming its fields (``refusal`` says what it is
        not). ``kinds``: the only backend kinds that may send it."""
        document = self._parse_json(self._read_content(call))
        if kinds and call.target.kind not in kinds:
            raise ApiError(403, "forbidden", f"only {' or '.join(kinds)} backends send this")
        return self._receive_document(call, document, call.body.decode(), message_type, refusal)

    def _receive_document(self, call, document, payload, message_type, refusal):
        """One document, read from the request, through the door: as
        :meth:`_intake_document` answers."""
        self._check_rate(call, 1)
        item = {
            "payload": payload,
            "document": document,
            "message_type": message_type,
            "idempotency_key": request.httprequest.headers.get("Idempotency-Key"),
        }
        [receipt] = self._receive(call, [item])
        if receipt.problems:
            raise ApiError(422, "validation_failed", refusal, list(receipt.problems), kept=True)
        return self._json(
            200 if receipt.duplicate else 202, self._accepted(receipt, call.correlation_id)
        )

    def _receive_items(self, call, items, refusal):
        """Several items of one request through the door (a partner's webhook):
        202 when any is new, 200 when every one was received before, 422 (the
        request kept) when any is refused: ``refusal`` says what it lacks."""
        receipts = self._receive(call, items)
        refused = [receipt for receipt in receipts if receipt.problems]
        if refused:
            raise ApiError(
                422,
                "validation_failed",
                f"{len(refused)} of {len(receipts)} {refusal}",
                list(refused[0].problems),
                kept=True,
            )
        return self._json(
            200 if all(receipt.duplicate for receipt in receipts) else 202,
            {
                "correlation_id": call.correlation_id,
                "results": [self._accepted(r, call.correlation_id) for r in receipts],
            },
        )

    def _signing_backend(self, call, kind, code, noun):
        """The one backend of ``kind`` a partner's webhook path names (partners
        that sign their calls instead of sending a key), checked for its address
        and secrets; 404 when none or several."""
        request.update_env(user=SUPERUSER_ID)
        backends = (
            request.env["logistics.backend"]
            .sudo()
            .search([("kind", "=", kind), ("code", "=", code)], limit=2)
        )
        if len(backends) != 1:
            raise ApiError(
                404,
                f"unknown_{kind}",
                f"no {noun} backend {code!r}"
                if not backends
                else f"{noun} code {code!r} is ambiguous",
            )
        call.target = backends._inbox_target()
        self._check_address(call.target)
        self._check_secrets(call.target)
        return backends

    @staticmethod
    def _accepted(receipt, correlation_id):
        return {
            "message_id": receipt.message_id,
            "state": receipt.state,
            "duplicate": receipt.duplicate,
            "correlation_id": correlation_id,
        }

    # --- helpers --------------------------------------------------------------

    def _correlation_id(self):
        given = request.httprequest.headers.get("X-Correlation-ID")
        if given is None:
            return uuid.uuid4().hex
        if not CORRELATION_ID.fullmatch(given):
            raise ApiError(
                400,
                "invalid_correlation_id",
                "X-Correlation-ID must be 1 to 128 letters, digits or . _ : -",
                [{"field": "X-Correlation-ID", "message": "does not match the documented pattern"}],
            )
        return given

    def _log_rejection(self, call, error):
        _logger.info(
            "rejected %s %s from %s [%s]: %s %s %s",
            request.httprequest.method,
            request.httprequest.path,
            call.target.code if call.target else request.httprequest.remote_addr,
            call.correlation_id,
            error.status,
            error.code,
            error.message,
        )

    def _keep_rejected(self, call, error):
        """A refused request of a known backend stays in the integration log."""
        try:
            request.env["logistics.inbox"].sudo()._refuse(
                call.target,
                call.body.decode(errors="replace"),
                error.code,
                error.message,
                error.fields,
                call.correlation_id,
                request.httprequest.headers.get("Content-Type"),
            )
        except Exception:
            _logger.exception("could not keep rejected payload [%s]", call.correlation_id)

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
