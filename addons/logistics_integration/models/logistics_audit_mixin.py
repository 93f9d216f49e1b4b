import json

from odoo import api, fields, models, tools
from odoo.models import MAGIC_COLUMNS
from odoo.osv import expression
from odoo.tools import html2plaintext

NUMERIC = ("integer", "float", "monetary")

# How a set value of these field types reads in the trail (others: Odoo's display).
TEXT_OF = {
    "selection": lambda record, field, value: dict(field._description_selection(record.env)).get(
        value, value
    ),
    "many2one": lambda record, field, value: value.display_name,
    "many2many": lambda record, field, value: ", ".join(value.mapped("display_name")),
    "html": lambda record, field, value: html2plaintext(value),
    "binary": lambda record, field, value: record.env._("(file)"),
    "json": lambda record, field, value: json.dumps(value, sort_keys=True),
}


class LogisticsAuditMixin(models.AbstractModel):
    """Configuration whose every change goes to the audit trail
    (``logistics.audit.log``): creation (one row per field set), each changed
    field from what to what, deletion, and secrets as "changed", never their
    value.

    Audited fields are the stored ones people set: not those declared
    readonly (state the runtime keeps, such as a circuit breaker's or a poll's
    time), not one2many (lines that matter are audited records of their own),
    not those in ``_audit_skip``. Records a module loads from its data files
    are not recorded: their history is the module's."""

    _name = "logistics.audit.mixin"
    _description = "Audited Configuration"
    _audit_skip = ()

    @api.model
    @tools.ormcache()  # per model: every write of these models asks
    def _audited_fields(self):
        return tuple(
            name
            for name, field in self._fields.items()
            if field.store
            and not field.readonly
            and field.type != "one2many"
            and name not in MAGIC_COLUMNS
            and name not in self._audit_skip
        )

    def _audit_off(self):
        # data files load while the registry is not ready yet; a caller passing
        # the same context key over the API changes a ready registry: audited
        return bool(self.env.context.get("install_module")) and not self.env.registry.ready

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if not records._audit_off():
            self.env["logistics.audit.log"]._add(
                [
                    record._audit_row("create", name, new_value=value)
                    for record in records
                    for name, value in record._audit_values(record._set_fields()).items()
                ]
            )
        return records

    def _set_fields(self):
        """The audited fields this new record holds a value in (numbers: any)."""
        record = self.sudo()
        return [
            name
            for name in self._audited_fields()
            if record[name] or self._fields[name].type in NUMERIC
        ]

    def write(self, vals):
        names = [name for name in self._audited_fields() if name in vals]
        if not names or self._audit_off():
            return super().write(vals)
        before = {record.id: record._audit_values(names) for record in self}
        result = super().write(vals)
        rows = []
        for record in self:
            after = record._audit_values(names)
            rows += [
                record._audit_row("write", name, before[record.id][name], after[name])
                for name in names
                if before[record.id][name] != after[name]
            ]
        self.env["logistics.audit.log"]._add(rows)
        return result

    def unlink(self):
        rows = [] if self._audit_off() else [record._audit_row("unlink") for record in self]
        result = super().unlink()
        self.env["logistics.audit.log"]._add(rows)
        return result

    def _audit_secrets(self, secrets):
        """Record that ``secrets`` ({field: new plaintext}) were set or removed."""
        if self._audit_off():
            return
        changed, removed = self.env._("(changed)"), self.env._("(removed)")
        self.env["logistics.audit.log"]._add(
            [
                record._audit_row("write", name, new_value=changed if plaintext else removed)
                for record in self
                for name, plaintext in secrets.items()
            ]
        )

    def _audit_row(self, operation, name=False, old_value=False, new_value=False):
        field = self._fields[name] if name else None
        record = self.sudo()
        return {
            "operation": operation,
            "res_model": self._name,
            "model_description": self.env["ir.model"].sudo()._get(self._name).name,
            "res_id": self.id,
            "record_name": record.display_name,
            "field_name": name,
            "field_description": field and field.get_description(self.env)["string"],
            "old_value": old_value,
            "new_value": new_value,
            "restricted": bool(field and field.groups),
            "company_id": "company_id" in self._fields and record.company_id.id,
        }

    def _audit_values(self, names):
        """The fields ``names`` of one record as people read them."""
        record = self.sudo()
        return {name: record._audit_text(record._fields[name], record[name]) for name in names}

    def _audit_text(self, field, value):
        if field.type in NUMERIC:
            return str(value)
        if field.type == "datetime" and value:  # one zone for every reader of the trail
            return f"{fields.Datetime.to_string(value)} UTC"
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        if not value:
            return ""
        text_of = TEXT_OF.get(field.type)
        return (
            text_of(self, field, value) if text_of else field.convert_to_display_name(value, self)
        )

    def _audit_trail_records(self):
        """The records whose history the Audit Trail button shows: these, and
        lines that are audited records of their own (a rate card's lanes)."""
        return [self]

    def action_view_audit_trail(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_integration.action_audit_log"
        )
        action["domain"] = expression.OR(
            [("res_model", "=", records._name), ("res_id", "in", records.ids)]
            for records in self._audit_trail_records()
        )
        action["context"] = {}
        return action
