from odoo import api, fields, models

from ..lib.timeutil import format_local, to_iso
from ..lib.tracking import Fact

CLASSIFIERS = [("planned", "Planned"), ("estimated", "Estimated"), ("actual", "Actual")]
# Changing one of these changes what the history says about the shipment.
TRACKING_FIELDS = {
    "shipment_id",
    "stop_id",
    "milestone_code_id",
    "classifier",
    "event_time",
    "estimated_time",
    "is_retracted",
}


class LogisticsMilestone(models.Model):
    """One event in a shipment's life, as reported by a source, at its own event time."""

    _name = "logistics.milestone"
    _description = "Shipment Milestone"
    _order = "event_time desc, id desc"
    _check_company_auto = True

    shipment_id = fields.Many2one(
        "logistics.shipment", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="shipment_id.company_id", store=True, index=True)
    stop_id = fields.Many2one(
        "logistics.shipment.stop",
        ondelete="set null",
        domain="[('shipment_id', '=', shipment_id)]",
    )
    milestone_code_id = fields.Many2one(
        "logistics.milestone.code",
        string="Milestone",
        required=True,
        ondelete="restrict",
        index=True,
    )
    code = fields.Char(related="milestone_code_id.code", store=True, index=True)
    category = fields.Selection(related="milestone_code_id.category", store=True)
    icon = fields.Char(related="milestone_code_id.icon")
    classifier = fields.Selection(CLASSIFIERS, required=True, default="actual")
    event_time = fields.Datetime(required=True, index=True, help="When it happened (UTC).")
    event_utc_offset = fields.Integer(
        string="UTC Offset (min)",
        help="Offset of the place the event happened, as sent by the source.",
    )
    event_time_local = fields.Char(string="Local Event Time", compute="_compute_event_time_local")
    received_time = fields.Datetime(
        required=True, default=fields.Datetime.now, readonly=True, help="When we learnt it."
    )
    estimated_time = fields.Datetime(
        help="The predicted time an estimate carries (e.g. a new ETA)."
    )
    location_name = fields.Char(string="Location")
    location_code = fields.Char(help="UN/LOCODE, SPLC or the source's own location id.")
    city = fields.Char()
    country_id = fields.Many2one("res.country")
    reason_code = fields.Char(help="Why, in the source's words (e.g. X12 AT7-02).")
    reason_text = fields.Char(string="Reason")
    backend_id = fields.Many2one(
        "logistics.backend", string="Source", index=True, ondelete="restrict"
    )
    source_code = fields.Char(help="The code exactly as the source sent it.")
    source_text = fields.Char(help="The source's own description of the event.")
    message_id = fields.Many2one(
        "logistics.integration.message",
        string="Integration Message",
        index="btree_not_null",
        ondelete="set null",
    )
    source_event_id = fields.Char(
        index="btree_not_null", help="The source's id of the event; a correction names it."
    )
    document_ref = fields.Char(
        string="Document", help="Reference of a document the event carries (proof of delivery)."
    )
    note = fields.Text()
    is_late = fields.Boolean(
        string="Out of Order",
        readonly=True,
        help="Received after an event that happened later: shown in the timeline, "
        "never moves the shipment backwards.",
    )
    is_duplicate = fields.Boolean(
        string="Duplicate",
        readonly=True,
        help="Same milestone, time and stop as one already recorded: ignored for status.",
    )
    is_retracted = fields.Boolean(
        string="Retracted", help="Withdrawn by its source (a correction): ignored for status."
    )
    timeline_mark = fields.Selection(
        [("late", "Out of Order"), ("duplicate", "Duplicate"), ("retracted", "Retracted")],
        string="Mark",
        compute="_compute_timeline_mark",
    )

    @api.depends("is_late", "is_duplicate", "is_retracted")
    def _compute_timeline_mark(self):
        for milestone in self:
            milestone.timeline_mark = (
                (milestone.is_retracted and "retracted")
                or (milestone.is_duplicate and "duplicate")
                or (milestone.is_late and "late")
                or False
            )

    @api.depends("event_time", "event_utc_offset")
    def _compute_event_time_local(self):
        for milestone in self:
            milestone.event_time_local = format_local(
                milestone.event_time, milestone.event_utc_offset
            )

    @api.depends("milestone_code_id", "event_time")
    def _compute_display_name(self):
        for milestone in self:
            milestone.display_name = (
                f"{milestone.milestone_code_id.name or ''} @ {milestone.event_time or ''}"
            )

    def _tracking_fact(self):
        self.ensure_one()
        code = self.milestone_code_id
        return Fact(
            key=self.id,
            code=code.code,
            event_time=self.event_time,
            rank=code.rank,
            status=code.shipment_status or None,
            classifier=self.classifier,
            stop=self.stop_id.id or None,
            stop_event=code.stop_event or None,
            estimated_time=self.estimated_time or None,
            retracted=self.is_retracted,
        )

    @api.model_create_multi
    def create(self, vals_list):
        milestones = super().create(vals_list)
        milestones.shipment_id._refresh_tracking()
        self.env["logistics.exception"]._raise_for_milestones(
            milestones.filtered(lambda m: m.category == "exception" and not m.is_duplicate)
        )
        self.env["logistics.outbox"]._on_milestones(milestones)
        return milestones

    def write(self, vals):
        shipments = self.shipment_id
        result = super().write(vals)
        if TRACKING_FIELDS.intersection(vals):
            (shipments | self.shipment_id)._refresh_tracking()
        return result

    def unlink(self):
        shipments = self.shipment_id
        result = super().unlink()
        shipments.exists()._refresh_tracking()
        return result

    def _webhook_payload(self):
        """The milestone as subscribers receive it: the canonical event shape (schema v1)."""
        self.ensure_one()
        shipment = self.shipment_id
        payload = {
            "event_id": f"milestone-{self.id}",
            "shipment_ref": shipment.name,
            "code": self.code,
            "classifier": self.classifier,
            "event_time": to_iso(self.event_time, self.event_utc_offset),
            "shipment": {"customer_ref": shipment.customer_reference or ""},
            "status": shipment.status,
        }
        if self.estimated_time:
            payload["eta"] = to_iso(self.estimated_time, self.event_utc_offset)
        if self.location_name or self.location_code:
            payload["location"] = {
                "name": self.location_name or "",
                "code": self.location_code or "",
            }
        if self.reason_code or self.reason_text:
            payload["reason"] = {"code": self.reason_code or "", "text": self.reason_text or ""}
        return payload

    def action_retract(self):
        self.write({"is_retracted": True})

    def action_restore(self):
        self.write({"is_retracted": False})
