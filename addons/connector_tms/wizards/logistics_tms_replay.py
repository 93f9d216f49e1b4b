from odoo import api, fields, models


class LogisticsTmsReplay(models.TransientModel):
    """Replay TMS events with a template version you choose (an older one to
    reproduce what happened, a newer one to apply a fix)."""

    _name = "logistics.tms.replay"
    _description = "Replay TMS Events With a Template Version"

    message_ids = fields.Many2many("logistics.integration.message", string="Messages")
    template_id = fields.Many2one("logistics.tms.template", required=True)
    version_id = fields.Many2one(
        "logistics.tms.template.version",
        string="Version",
        required=True,
        domain="[('template_id', '=', template_id)]",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        messages = (
            self.env["logistics.integration.message"]
            .browse(self.env.context.get("active_ids", []))
            .filtered(lambda m: m.message_type == "tms_event")
        )
        template = messages.backend_id.tms_template_id[:1]
        values.update(
            message_ids=[(6, 0, messages.ids)],
            template_id=template.id,
            version_id=template.version_id.id,
        )
        return values

    def action_replay(self):
        self.ensure_one()
        pinned = self.version_id != self.template_id.version_id
        self.message_ids.sudo().write(
            {"tms_version_id": self.version_id.id, "tms_version_pinned": pinned}
        )
        self.message_ids.with_context(tms_keep_version=True).action_replay()
        return {"type": "ir.actions.act_window_close"}
