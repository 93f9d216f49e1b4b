from odoo import fields, models


class LogisticsIntegrationMessage(models.Model):
    """What a TMS message was read or written with, and the tender it carries."""

    _inherit = "logistics.integration.message"

    tms_tender_id = fields.Many2one(
        "logistics.tender", string="Tender", readonly=True, index="btree_not_null"
    )
    tms_path = fields.Char(string="TMS Path", readonly=True)
    tms_version_id = fields.Many2one(
        "logistics.tms.template.version",
        string="Template Version",
        readonly=True,
        help="The mapping template version this message was last read or written with.",
    )
    tms_version_pinned = fields.Boolean(
        string="Version Chosen for Replay",
        readonly=True,
        help="A replay chose this version: the message is read with it, not the current one.",
    )

    def action_replay(self):
        """A plain replay reads with today's template again."""
        if not self.env.context.get("tms_keep_version"):
            self.filtered("tms_version_pinned").sudo().tms_version_pinned = False
        return super().action_replay()

    def _mark_failed(self, error, steps):
        result = super()._mark_failed(error, steps)
        if getattr(error, "unmapped", None) and self.backend_id.kind == "tms":
            self.env["logistics.processor.tms"]._note_unmapped(self.backend_id, error.unmapped)
        return result
