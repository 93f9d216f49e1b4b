import json
import time

from odoo import api, models, tools

from ..lib.errors import PermanentError


class LogisticsProcessor(models.AbstractModel):
    """Base of message processors: admit → decode → map → apply → rules.

    A processor says which messages it handles with ``_processor_for``, a
    tuple of ``(backend kind, message type)`` pairs (``"*"`` matches every
    kind). A connector adds a dialect by adding a processor model that
    inherits this one and overrides the steps it needs; the door and the
    drains find it through :meth:`_for_type`, never through an if/else
    chain. Two processors claiming one pair is an error when the registry
    loads, not a silent choice.
    """

    _name = "logistics.processor"
    _inherit = ["logistics.registry.mixin"]
    _description = "Logistics Message Processor"
    _claim_attribute = "_processor_for"
    _processor_for = ()

    @api.model
    @tools.ormcache("kind", "message_type")
    def _processor_name(self, kind, message_type):
        table = self._claim_table()
        return table.get((kind, message_type)) or table.get(("*", message_type))

    @api.model
    def _for_type(self, kind, message_type):
        """The processor of that kind of message, or None."""
        name = self._processor_name(kind, message_type)
        return self.env[name] if name else None

    @api.model
    def _for_message(self, message):
        processor = self._for_type(message.backend_id.kind, message.message_type)
        if processor is None:
            raise PermanentError(
                f"no processor for {message.message_type!r} messages of {message.backend_id.kind!r} backends",
                code="unsupported_message_type",
            )
        return processor

    # --- at the door -------------------------------------------------------------

    def _admit(self, item, document=None):
        """Check an item before it is stored; return its problems (``{field,
        message}`` dicts; empty: admitted). Completes ``item`` in place: the
        ``idempotency_key`` when the sender gave none (from the content's
        identity, so a resend under a new key is still a duplicate), the
        ``subject_ref`` that picks the lane, and message fields to store.
        ``document`` is the payload as the channel parsed it, if it did."""
        if not item.get("idempotency_key"):
            return [{"field": "", "message": "no idempotency key"}]
        return []

    @api.model
    def _json_document(self, item, document=None):
        """At the door: the document as the channel parsed it, else the item's
        payload read as JSON; None when it is not JSON."""
        if document is not None:
            return document
        try:
            return json.loads(item["payload"])
        except ValueError:
            return None

    # --- processing --------------------------------------------------------------

    @api.model
    def _json_payload(self, message):
        """In a drain: the stored payload as JSON (a PermanentError when it is not)."""
        try:
            return json.loads(message.payload)
        except ValueError as error:
            raise PermanentError(f"payload is not JSON: {error}", code="invalid_json") from error

    def _run(self, message, trace):
        """Process ``message`` alone; return the record it concerned (or None)."""
        attempt = message.attempts + 1
        documents = self._timed(trace, attempt, "decode", self._decode, message)
        subject = None
        for document in documents:
            mapped = self._timed(trace, attempt, "map", self._map, message, document)
            [record] = self._timed(trace, attempt, "apply", self._apply_many, [(message, mapped)])
            self._timed(trace, attempt, "rules", self._rules, message, record)
            subject = subject or self._subject_of(record)
        return subject

    def _prepare(self, message):
        """Decode and map ``message``: its ``(message, mapped)`` items, no writes."""
        return [(message, self._map(message, document)) for document in self._decode(message)]

    @api.model
    def _subject_of(self, record):
        """The record a message is remembered by (the shipment domain narrows it)."""
        return record or None

    def _timed(self, trace, attempt, step, method, *args):
        started = time.monotonic()
        try:
            result = method(*args)
        except Exception as error:
            trace.append(
                self._step(attempt, step, "error", started, f"{type(error).__name__}: {error}")
            )
            raise
        trace.append(self._step(attempt, step, "ok", started))
        return result

    @api.model
    def _step(self, attempt, step, outcome, started, detail=""):
        return self.env["logistics.inbox"]._trace_step(attempt, step, outcome, started, detail)

    # The steps. Each returns what the next one takes.
    def _decode(self, message):
        """Raw payload → list of documents (one message may carry several)."""
        raise NotImplementedError

    def _map(self, message, document):
        """Document → values in canonical terms (codes resolved through the code lists)."""
        return document

    def _apply_many(self, items):
        """``(message, mapped)`` items → the record each produced, in order.

        Items of many messages are applied together when the inbox processes a
        batch; a processor without a faster way applies them one by one."""
        raise NotImplementedError

    def _rules(self, message, record):
        """Business rules beyond the model's own. Hook for connectors."""
        return record
