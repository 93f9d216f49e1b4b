import json
from functools import lru_cache

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib.template import Template, TemplateError


class LogisticsTmsTemplate(models.Model):
    """A TMS dialect as data. Every change of its body is kept as a numbered
    version, so what changed is on record and a replay can use any version."""

    _name = "logistics.tms.template"
    _inherit = ["logistics.audit.mixin"]
    _description = "TMS Mapping Template"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Technical name, unique.")
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    body = fields.Text(
        required=True,
        help="JSON: where the TMS puts its events and what each field means (JMESPath, with "
        "decimal, datetime, lookup, convert and concat), the change feed, and how tenders "
        "and cancellations are written.",
    )
    change_note = fields.Char(
        string="What Changed",
        help="Recorded with the version this save creates.",
    )
    version_ids = fields.One2many(
        "logistics.tms.template.version", "template_id", string="Versions", readonly=True
    )
    version_id = fields.Many2one(
        "logistics.tms.template.version",
        string="Current Version",
        compute="_compute_version_id",
        store=True,
    )
    backend_ids = fields.One2many("logistics.backend", "tms_template_id", string="Used By")

    _sql_constraints = [("code_unique", "UNIQUE (code)", "A template code is unique.")]

    @api.depends("version_ids")
    def _compute_version_id(self):
        for template in self:
            template.version_id = template.version_ids.sorted("number")[-1:]

    @api.constrains("body")
    def _check_body(self):
        for template in self:
            try:
                Template.from_json(template.body)
            except TemplateError as error:
                raise ValidationError(
                    self.env._("Template %(name)s: %(error)s", name=template.name, error=error)
                ) from error

    @api.model_create_multi
    def create(self, vals_list):
        templates = super().create(vals_list)
        templates._add_version()
        return templates

    def write(self, vals):
        changed = "body" in vals and self.filtered(lambda t: t.body != vals["body"])
        result = super().write(vals)
        if changed:
            changed._add_version()
        return result

    def _add_version(self):
        for template in self:
            template.version_ids = [
                (
                    0,
                    0,
                    {
                        "number": len(template.version_ids) + 1,
                        "body": template.body,
                        "note": template.change_note,
                    },
                )
            ]
        self.change_note = False

    def _compiled(self, version=None):
        self.ensure_one()
        version = version or self.version_id
        return _compile(version.id, version.body)


@lru_cache(maxsize=64)
def _compile(version_id, body):
    """Versions never change: one compilation per version and worker."""
    return Template(json.loads(body))


class LogisticsTmsTemplateVersion(models.Model):
    _name = "logistics.tms.template.version"
    _description = "TMS Mapping Template Version"
    _order = "template_id, number desc"

    template_id = fields.Many2one(
        "logistics.tms.template", required=True, ondelete="cascade", index=True
    )
    number = fields.Integer(required=True, readonly=True)
    body = fields.Text(required=True, readonly=True)
    note = fields.Char(string="What Changed", readonly=True)

    _sql_constraints = [
        (
            "template_number_unique",
            "UNIQUE (template_id, number)",
            "A template's version numbers are unique.",
        )
    ]

    @api.depends("template_id.name", "number")
    def _compute_display_name(self):
        for version in self:
            version.display_name = f"{version.template_id.name} v{version.number}"
