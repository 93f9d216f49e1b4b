import json
import logging

import requests

from odoo import api, fields, models

from ..lib import rate_card_document as doc

_logger = logging.getLogger(__name__)

TIMEOUT = (5, 60)


class LogisticsRateCardSync(models.AbstractModel):
    """The scheduled read of the rate cards a pricing system publishes.

    Off the realtime channel: one job per backend on the batch channel, each
    card one message through the door (batch channel), so a card is stored
    before it is applied, an unchanged card is a duplicate, and a card Odoo
    cannot read fails alone into an exception for finance.
    """

    _name = "logistics.rate.card.sync"
    _description = "Rate Card Sync"

    @api.model
    def _cron_sync(self):
        for backend in self.env["logistics.backend"].search([("rate_card_path", "!=", False)]):
            self._enqueue(backend)

    @api.model
    def _enqueue(self, backend):
        return self.with_delay(
            identity_key=f"logistics-rate-card-sync-{backend.id}",
            description=f"Read the rate cards of backend {backend.code}",
        )._sync(backend.id)

    @api.model
    def _sync(self, backend_id):
        """Read the backend's published cards and hand each to the door."""
        backend = self.env["logistics.backend"].browse(backend_id).sudo()
        now = fields.Datetime.now()
        text = self._fetch(backend)
        if text is None:
            return backend._rate_card_sync_done(now, failed=True)
        try:
            found = doc.cards(json.loads(text))
        except ValueError:
            found = None
        if found is None:
            self._refuse(backend, text)
            return backend._rate_card_sync_done(now, failed=True)
        items = [
            {"payload": json.dumps(card), "document": card, "message_type": "rate_card"}
            for card in found
        ]
        receipts = self.env["logistics.inbox"]._receive(
            backend._inbox_target(), items, channel="batch", report_refused=True
        )
        return backend._rate_card_sync_done(
            now,
            read=len(receipts),
            new=sum(1 for r in receipts if not r.duplicate and not r.problems),
            refused=sum(1 for r in receipts if r.problems and not r.duplicate),
        )

    @api.model
    def _fetch(self, backend):
        """The published body, or None (the reason on the backend)."""
        url = (backend.base_url or "").rstrip("/") + "/" + backend.rate_card_path.lstrip("/")
        headers = {"Accept": "application/json"}
        token = backend._secret("api_token")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            response = requests.get(url, headers=headers, timeout=TIMEOUT)
            response.raise_for_status()
            return response.text
        except requests.RequestException as error:
            reason = (
                f"HTTP {error.response.status_code}"
                if isinstance(error, requests.HTTPError) and error.response is not None
                else type(error).__name__
            )
            _logger.info("backend %s: rate cards not read (%s)", backend.code, reason)
            backend.rate_card_last_result = self.env._(
                "The rate cards could not be read: %(reason)s", reason=reason
            )
            return None

    @api.model
    def _refuse(self, backend, text):
        """An answer that is not a list of cards: kept, and an issue for the admin."""
        Inbox = self.env["logistics.inbox"]
        reason = 'expected JSON: {"rate_cards": [...]} or a list of rate cards'
        message_id = Inbox._refuse(
            backend._inbox_target(), text[: Inbox._max_bytes()], "invalid_message", reason
        )
        self.env["logistics.integration.message"].browse(message_id)._open_issue(
            "invalid_message", reason
        )
        backend.rate_card_last_result = self.env._(
            "The answer is not a list of rate cards: see the integration log."
        )
