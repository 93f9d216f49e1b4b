import json
from functools import lru_cache

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib.template import Template, TemplateError


class LogisticsTmsTemplate(models.Model):
    """A TMS dialect as data. Every change of its body is kept as a numbered
    version, so what changed is on record and a replay can use any version."""

    _name = "logistics.tms.template"
    _inherit = ["logistics.four.eyes.mixin"]
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
        bodies = {template.id: template.body for template in self} if "body" in vals else {}
        result = super().write(vals)
        # a version for each body that did change (not one awaiting approval)
        changed = self.filtered(lambda t: t.id in bodies and t.body != bodies[t.id])
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

    @api.model
    def _reading(self, template, raw, backend):
        """What ``template`` reads in the TMS event ``raw`` (a dict) for
        ``backend``: ``(the reading as JSON text, the problems as text)``."""
        processor = self.env["logistics.processor.tms"]
        mapped = template.map(raw, processor._resolver(backend))
        problems = [
            f"TMS schema: {p['field'] or 'event'}: {p['message']}"
            for p in template.payload_problems(raw)
        ]
        problems += [f"{p['field'] or 'event'}: {p['message']}" for p in mapped.problems]
        problems += [f"unmapped code {code} of {table}" for table, code in mapped.unmapped]
        problems += mapped.deviations
        reading = {"event": mapped.event}
        if mapped.event.get("code") and not mapped.problems:
            reading["milestone"] = processor._canonical(mapped.event)
        return json.dumps(reading, indent=2, ensure_ascii=False), "\n".join(problems) or False

    @api.model
    def _dry_run(self, messages, current, proposed):
        """Each stored TMS event read with the ``current`` and the ``proposed``
        template (compiled), for a change request's dry run."""
        results = []
        for message in messages:
            raw = json.loads(message.sudo().payload)
            before, after = (
                self._reading_text(template, raw, message.backend_id)
                for template in (current, proposed)
            )
            failing_before, failing_after = ("problems:" in text for text in (before, after))
            if before == after:
                outcome = "same"
            elif failing_after and not failing_before:
                outcome = "fails"
            elif failing_before and not failing_after:
                outcome = "fixed"
            else:
                outcome = "changed"
            results.append(
                {"message": message, "before": before, "after": after, "outcome": outcome}
            )
        return results

    @api.model
    def _reading_text(self, template, raw, backend):
        reading, problems = self._reading(template, raw, backend)
        return f"{reading}\nproblems:\n{problems}" if problems else reading

    @api.model
    def _stored_events(self, backends, limit=20):
        """The latest TMS events these backends sent whose payload is still kept."""
        return self.env["logistics.integration.message"].search(
            [
                ("message_type", "=", "tms_event"),
                ("backend_id", "in", backends.ids),
                ("payload", "!=", False),
            ],
            order="id desc",
            limit=limit,
        )

    def _four_eyes_guarded(self, vals):
        """Templates a production TMS reads with."""
        return self.filtered(
            lambda template: "production" in template.backend_ids.mapped("environment")
        )

    def _four_eyes_can_dry_run(self, values):
        return "body" in values

    def _four_eyes_dry_run(self, values):
        try:
            proposed = Template.from_json(values["body"])
        except TemplateError as error:
            raise UserError(self.env._("The proposed template is invalid: %s", error)) from error
        return self._dry_run(self._stored_events(self.backend_ids), self._compiled(), proposed)


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
