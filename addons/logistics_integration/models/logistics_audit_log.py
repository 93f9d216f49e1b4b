from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.http import request

# Rows can only be added: the ORM refuses to change or delete them, and so does
# PostgreSQL (a trigger), so neither the UI, the API nor a module's code can;
# only a database superuser dropping the trigger could. Consequence for
# upgrades: a column added to this model must not have a default, since
# filling existing rows is an UPDATE.
APPEND_ONLY_TRIGGER = """
    CREATE OR REPLACE FUNCTION logistics_audit_log_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE OR REPLACE TRIGGER logistics_audit_log_append_only
        BEFORE UPDATE OR DELETE ON logistics_audit_log
        FOR EACH ROW EXECUTE FUNCTION logistics_audit_log_append_only();
    CREATE OR REPLACE TRIGGER logistics_audit_log_no_truncate
        BEFORE TRUNCATE ON logistics_audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION logistics_audit_log_append_only();
"""


class LogisticsAuditLog(models.Model):
    """Who changed which configuration, when, from what to what: one row per
    created or deleted record and per changed field (written by
    ``logistics.audit.mixin``). Readable by logistics users, exportable, and
    unchangeable by anyone."""

    _name = "logistics.audit.log"
    _description = "Audit Trail"
    _order = "id desc"
    _rec_name = "record_name"

    create_date = fields.Datetime(string="When", readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Who", required=True, readonly=True, ondelete="restrict", index=True
    )
    remote_addr = fields.Char(string="From Address", readonly=True)
    operation = fields.Selection(
        [("create", "Created"), ("write", "Changed"), ("unlink", "Deleted")],
        required=True,
        readonly=True,
    )
    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    model_description = fields.Char(string="Record Type", readonly=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", readonly=True, index=True
    )
    record_name = fields.Char(string="Record", readonly=True)
    field_name = fields.Char(string="Technical Field", readonly=True)
    field_description = fields.Char(string="Field", readonly=True)
    old_value = fields.Text(string="Before", readonly=True)
    new_value = fields.Text(string="After", readonly=True)
    restricted = fields.Boolean(
        readonly=True,
        help="The field is visible to integration administrators only, so is this row.",
    )
    company_id = fields.Many2one("res.company", readonly=True, ondelete="restrict", index=True)
    change_request_id = fields.Many2one(
        "logistics.change.request",
        readonly=True,
        ondelete="restrict",
        help="The approved (or emergency) change this row applied: who proposed it, who decided.",
    )

    def init(self):
        self.env.cr.execute(APPEND_ONLY_TRIGGER)

    def write(self, vals):  # pylint: disable=method-required-super
        raise AccessError(self.env._("The audit trail cannot be changed."))

    def unlink(self):  # pylint: disable=method-required-super
        raise AccessError(self.env._("The audit trail cannot be deleted."))

    @api.model
    def _add(self, rows):
        """Append ``rows`` (dicts of res_model, res_id, operation, …) as the
        current user, stamped with the request's address."""
        if not rows:
            return self
        address = request.httprequest.remote_addr if request else False
        change = (
            self.env["logistics.change.request"]
            .sudo()
            .browse(self.env.context.get("logistics_change_request") or [])
            .exists()
            .filtered(lambda change: change.state == "applying")
        )
        return self.sudo().create(
            [
                {
                    "user_id": self.env.uid,
                    "remote_addr": address,
                    "change_request_id": change.id,
                    **row,
                }
                for row in rows
            ]
        )

    def action_open_record(self):
        self.ensure_one()
        record = self.env[self.res_model].browse(self.res_id).exists()
        if not record:
            raise UserError(self.env._("This record no longer exists."))
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": record.id,
            "views": [(False, "form")],
        }
