import json
import logging
from datetime import timedelta, timezone

import requests

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

MAX_PAGES = 50
TIMEOUT = (5, 30)


class LogisticsTmsFeed(models.AbstractModel):
    """The TMS's change feed: the pull that heals what webhooks missed.

    Rules learnt from other systems' bugs: only this pull moves the cursor
    (webhooks never do); each pull starts an overlap window before the cursor,
    longer than the TMS's visibility lag, so an event it shows late is still
    read; events are deduplicated by their id at the door, so reading one
    twice (or by webhook and feed) stores it once; the cursor is written in
    the transaction the door commits with the events it covers.
    """

    _name = "logistics.tms.feed"
    _description = "TMS Change Feed"

    @api.model
    def _items(self, backend, document, source):
        """The door's items for the events of a webhook body or a feed page."""
        version = backend.tms_template_id.version_id
        template = backend._tms_template(version)
        return [
            {
                "payload": json.dumps(raw),
                "document": raw,
                "message_type": "tms_event",
                "tms_version_id": version.id,
            }
            for raw in template.events(document, source)
        ]

    @api.model
    def _cron_pull(self):
        backends = self.env["logistics.backend"].search(
            [
                ("kind", "=", "tms"),
                ("tms_feed_enabled", "=", True),
                ("tms_template_id", "!=", False),
            ]
        )
        for backend in backends:
            try:
                self._pull(backend)
            except Exception:
                # one TMS failing never holds back the others; it says why on its form
                self.env.cr.rollback()
                _logger.exception("TMS %s: feed pull failed", backend.code)
                backend.tms_feed_last_result = self.env._("Failed: see the server log.")

    @api.model
    def _pull(self, backend, max_pages=MAX_PAGES):
        """Read the feed from the cursor minus the overlap, page by page."""
        template = backend._tms_template()
        now = fields.Datetime.now()
        start = backend.tms_feed_cursor or now - timedelta(hours=backend.tms_feed_retention)
        since = start - timedelta(seconds=backend.tms_feed_overlap)
        stale = backend._tms_feed_stale()
        read = stored = 0
        for _page in range(max_pages):
            page = self._fetch(backend, template, since)
            if page is None:
                return backend._tms_feed_done(now, read, stored, stale, failed=True)
            items = self._items(backend, page, "feed")
            positions = [
                moment
                for moment in (template.feed_position(item["document"]) for item in items)
                if moment
            ]
            newest = max(positions, default=None)
            if newest:
                newest = newest.astimezone(timezone.utc).replace(tzinfo=None)
                # written before the door commits: the cursor and its events in one transaction
                backend.tms_feed_cursor = max(backend.tms_feed_cursor or newest, newest)
            receipts = self.env["logistics.inbox"]._receive(
                backend._inbox_target(), items, channel="batch", report_refused=True
            )
            read += len(receipts)
            stored += sum(1 for r in receipts if not r.duplicate and not r.problems)
            if not items or not template.feed_has_more(page) or not newest or newest <= since:
                break
            since = newest
        return backend._tms_feed_done(now, read, stored, stale)

    @api.model
    def _fetch(self, backend, template, since):
        """One page of the feed as JSON, or None when the TMS could not answer."""
        feed = template.spec["feed"]
        headers = {"Accept": "application/json"}
        token = backend._secret("api_token")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        params = template.feed_params(
            since.replace(tzinfo=timezone.utc), backend.tms_feed_page_size
        )
        url = (backend.base_url or "").rstrip("/") + feed["path"]
        try:
            response = requests.get(url, params=params, headers=headers, timeout=TIMEOUT)
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as error:
            _logger.info("TMS %s: feed not read (%s)", backend.code, type(error).__name__)
            backend.tms_feed_last_result = self.env._(
                "The feed could not be read: %(error)s", error=_short(error)
            )
            return None


def _short(error):
    if isinstance(error, requests.HTTPError) and error.response is not None:
        return f"HTTP {error.response.status_code}"
    return type(error).__name__
