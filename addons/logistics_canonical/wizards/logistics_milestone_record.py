from odoo import api, fields, models

from ..models.logistics_milestone import CLASSIFIERS


class LogisticsMilestoneRecord(models.TransientModel):
    """Record a milestone by hand: a dispatcher's phone call is an event too."""

    _name = "logistics.milestone.record"
    _description = "Record a Milestone"

    shipment_id = fields.Many2one("logistics.shipment", required=True)
    milestone_code_id = fields.Many2one(
        "logistics.milestone.code", string="Milestone", required=True
    )
    classifier = fields.Selection(CLASSIFIERS, required=True, default="actual")
    event_time = fields.Datetime(required=True, default=fields.Datetime.now)
    estimated_time = fields.Datetime(help="For estimates: the predicted time (e.g. the new ETA).")
    stop_id = fields.Many2one(
        "logistics.shipment.stop", domain="[('shipment_id', '=', shipment_id)]"
    )
    location_name = fields.Char(string="Location")
    reason_text = fields.Char(string="Reason")
    note = fields.Text()

    @api.onchange("milestone_code_id")
    def _onchange_milestone_code_id(self):
        if self.milestone_code_id:
            self.classifier = self.milestone_code_id.default_classifier

    def action_record(self):
        self.ensure_one()
        self.env["logistics.milestone"].create(
            {
                "shipment_id": self.shipment_id.id,
                "milestone_code_id": self.milestone_code_id.id,
                "classifier": self.classifier,
                "event_time": self.event_time,
                "estimated_time": self.estimated_time,
                "stop_id": self.stop_id.id,
                "location_name": self.location_name,
                "reason_text": self.reason_text,
                "note": self.note,
                "source_text": self.env._("Recorded by %s", self.env.user.name),
            }
        )
        return {"type": "ir.actions.act_window_close"}
