import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.logistics_integration.models.groups import ADMIN_GROUP

_logger = logging.getLogger(__name__)


class LogisticsBackend(models.Model):
    """A TMS: the dialect it speaks (a mapping template), where tenders go,
    and the change feed that heals what its webhooks missed."""

    _inherit = "logistics.backend"

    kind = fields.Selection(
        selection_add=[("tms", "TMS"), ("wms", "Warehouse system (WMS)")],
        ondelete={"tms": "set default", "wms": "set default"},
    )
    adapter = fields.Selection(
        selection_add=[("tms", "TMS (tenders through the mapping template)")],
        ondelete={"tms": "set default"},
    )
    tms_template_id = fields.Many2one(
        "logistics.tms.template",
        string="Mapping Template",
        ondelete="restrict",
        help="The TMS's dialect: how its JSON reads as events, and how tenders are written.",
    )
    tms_tender_orders = fields.Boolean(
        string="Tender Confirmed Sale Orders",
        help="A confirmed sale order of this company becomes a shipment tendered to this TMS.",
    )
    tms_webhook_url = fields.Char(
        string="TMS Webhook URL", compute="_compute_tms_webhook_url", groups=ADMIN_GROUP
    )
    tms_tender_ids = fields.One2many("logistics.tender", "backend_id", string="Tenders")
    tms_tender_count = fields.Integer(compute="_compute_tms_tender_count")
    tms_feed_enabled = fields.Boolean(
        string="Pull the Change Feed",
        help="Read the TMS's event feed on a schedule: what a lost webhook did not bring, "
        "the feed does.",
    )
    tms_feed_cursor = fields.Datetime(
        string="Feed Read Up To",
        readonly=True,  # the feed's state, not configuration (an administrator may rewind it)
        copy=False,
        help="The recording time of the newest event read from the feed. Only the feed "
        "moves it, never a webhook; each pull starts an overlap window before it.",
    )
    tms_feed_overlap = fields.Integer(
        string="Overlap Window (s)",
        default=900,
        help="Each pull re-reads this much before the cursor, so events the TMS made "
        "visible late are not skipped. Must exceed the visibility lag.",
    )
    tms_feed_lag = fields.Integer(
        string="Visibility Lag (s)",
        default=300,
        help="How long the TMS may take to show a recorded event in its feed.",
    )
    tms_feed_retention = fields.Integer(
        string="Feed Retention (h)",
        default=72,
        help="How long the TMS keeps events in its feed; a cursor older than half of it "
        "raises an exception before events are lost.",
    )
    tms_feed_page_size = fields.Integer(string="Events per Page", default=200)
    tms_feed_last_pull = fields.Datetime(string="Last Pull", readonly=True, copy=False)
    tms_feed_last_result = fields.Char(string="Last Pull Result", readonly=True, copy=False)
    tms_send_master_data = fields.Boolean(
        string="Send Customers and Locations",
        help="Every hour, send the TMS the company's customers and the places a stop can be "
        "at (warehouses, customers' delivery addresses) that changed since it last took them.",
    )
    tms_master_batch_size = fields.Integer(string="Records per Batch", default=500)
    tms_master_last_sync = fields.Datetime(string="Last Sent", readonly=True, copy=False)
    tms_master_last_result = fields.Char(string="Last Result", readonly=True, copy=False)
    tms_master_refused_count = fields.Integer(compute="_compute_tms_master_refused_count")

    @api.depends("code", "kind")
    def _four_eyes_can_dry_run(self, values):
        return "tms_template_id" in values or super()._four_eyes_can_dry_run(values)

    def _four_eyes_dry_run(self, values):
        """A new mapping template: this TMS's stored events read with both."""
        if "tms_template_id" not in values:
            return super()._four_eyes_dry_run(values)
        Template = self.env["logistics.tms.template"]
        proposed = Template.browse(values["tms_template_id"])
        if not (self.tms_template_id and proposed):
            return []
        return Template._dry_run(
            Template._stored_events(self),
            self.tms_template_id._compiled(),
            proposed._compiled(),
        )

    def _compute_tms_webhook_url(self):
        for backend in self:
            backend.tms_webhook_url = (
                self._public_url(f"/logistics/v1/tms/{backend.code}/webhook")
                if backend.kind == "tms" and backend.code
                else False
            )

    def _compute_tms_tender_count(self):
        counts = dict(
            self.env["logistics.tender"]._read_group(
                [("backend_id", "in", self.ids)], ["backend_id"], ["__count"]
            )
        )
        for backend in self:
            backend.tms_tender_count = counts.get(backend, 0)

    def _compute_tms_master_refused_count(self):
        counts = dict(
            self.env["logistics.tms.master.record"]._read_group(
                [("backend_id", "in", self.ids), ("state", "=", "refused")],
                ["backend_id"],
                ["__count"],
            )
        )
        for backend in self:
            backend.tms_master_refused_count = counts.get(backend, 0)

    @api.constrains("tms_feed_overlap", "tms_feed_lag", "kind")
    def _check_tms_feed_overlap(self):
        for backend in self.filtered(lambda b: b.kind == "tms"):
            if backend.tms_feed_overlap <= backend.tms_feed_lag:
                raise ValidationError(
                    self.env._(
                        "%(backend)s: the overlap window (%(overlap)s s) must be longer than "
                        "the TMS's visibility lag (%(lag)s s), or late events are skipped.",
                        backend=backend.name,
                        overlap=backend.tms_feed_overlap,
                        lag=backend.tms_feed_lag,
                    )
                )

    def _tms_template(self, version=None):
        """The compiled template of this TMS (of ``version``, else the current one)."""
        self.ensure_one()
        if not self.tms_template_id:
            raise ValidationError(
                self.env._("TMS %(backend)s has no mapping template.", backend=self.name)
            )
        return self.tms_template_id._compiled(version)

    def _tms_feed_stale(self):
        """Is the cursor old enough that the feed may drop events before we read them?"""
        self.ensure_one()
        if not self.tms_feed_cursor:
            return False
        limit = timedelta(hours=self.tms_feed_retention / 2)
        return fields.Datetime.now() - self.tms_feed_cursor > limit

    def action_tms_pull_feed(self):
        for backend in self:
            self.env["logistics.tms.feed"]._pull(backend)
        return True

    def _tms_feed_done(self, now, read, stored, stale, failed=False):
        """Record how the pull went where the admin looks: the backend form."""
        self.ensure_one()
        values = {"tms_feed_last_pull": now}
        if not failed:
            values["tms_feed_last_result"] = self.env._(
                "%(read)s event(s) read, %(stored)s new", read=read, stored=stored
            )
        if stale:
            self.message_post(
                body=self.env._(
                    "The feed cursor is older than half the TMS's retention "
                    "(%(hours)s h): events may leave the feed before they are read.",
                    hours=self.tms_feed_retention,
                )
            )
        self.write(values)
        return read, stored

    def action_tms_send_master_data(self):
        for backend in self:
            self.env["logistics.tms.master.sync"]._enqueue(backend)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "Customers and locations will be sent in a moment: the result shows "
                    "under Master Data."
                ),
            },
        }

    def action_view_tms_master_records(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "connector_tms.action_tms_master_record"
        )
        action["domain"] = [("backend_id", "=", self.id)]
        action["context"] = {"search_default_refused": 1}
        return action

    def _tms_master_done(self, counts, unreachable=""):
        """Say how the master data run went where the admin looks: the backend form."""
        self.ensure_one()
        result = self.env._(
            "%(sent)s taken, %(refused)s refused, %(unchanged)s unchanged",
            **counts,
        )
        if unreachable:
            result += self.env._(
                "; the TMS stopped taking them (%(reason)s): %(left)s left for the next run",
                reason=unreachable,
                left=counts["left"],
            )
        self.write(
            {"tms_master_last_sync": fields.Datetime.now(), "tms_master_last_result": result}
        )
        _logger.info("TMS %s master data: %s", self.code, result)
        return result
