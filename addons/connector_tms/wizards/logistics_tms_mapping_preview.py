import json

from odoo import api, fields, models

from ..lib.template import TemplateError


class LogisticsTmsMappingPreview(models.TransientModel):
    """Run a template version on a stored TMS event (or a pasted one) and see
    the canonical result and every error, before anything is applied."""

    _name = "logistics.tms.mapping.preview"
    _description = "TMS Mapping Preview"

    template_id = fields.Many2one("logistics.tms.template", required=True)
    version_id = fields.Many2one(
        "logistics.tms.template.version",
        string="Version",
        required=True,
        domain="[('template_id', '=', template_id)]",
    )
    message_id = fields.Many2one(
        "logistics.integration.message",
        string="Stored Event",
        domain="[('message_type', '=', 'tms_event'), "
        "('backend_id.tms_template_id', '=', template_id)]",
        help="A TMS event received before: its raw payload is read with the chosen version.",
    )
    raw = fields.Text(string="TMS Event (JSON)")
    result = fields.Text(string="Reading", compute="_compute_result")
    problems = fields.Text(compute="_compute_result")

    @api.onchange("template_id")
    def _onchange_template_id(self):
        """The current version, read on the latest event a TMS of this dialect sent."""
        self.version_id = self.template_id.version_id
        self.message_id = self.env["logistics.integration.message"].search(
            [
                ("message_type", "=", "tms_event"),
                ("backend_id.tms_template_id", "=", self.template_id.id),
            ],
            order="id desc",
            limit=1,
        )
        self._onchange_message_id()

    @api.onchange("message_id")
    def _onchange_message_id(self):
        if self.message_id:
            self.raw = _laid_out(self.message_id.sudo().payload)

    @api.depends("version_id", "raw")
    def _compute_result(self):
        for preview in self:
            preview.result, preview.problems = preview._read()

    def _read(self):
        if not self.version_id or not (self.raw or "").strip():
            return False, False
        try:
            raw = json.loads(self.raw)
            template = self.template_id._compiled(self.version_id)
        except (ValueError, TemplateError) as error:
            return False, str(error)
        backend = self.message_id.backend_id or self.template_id.backend_ids[:1]
        return self.template_id._reading(template, raw, backend)


def _laid_out(payload):
    """A stored payload laid out to be read; one that is not JSON as it came."""
    try:
        return json.dumps(json.loads(payload), indent=2, ensure_ascii=False)
    except ValueError:
        return payload
