from odoo import fields, models
from odoo.exceptions import UserError


class LogisticsFourEyesMixin(models.AbstractModel):
    """Production configuration changes only when a second integration
    administrator approves them.

    A person's write of audited fields on a record :meth:`_four_eyes_guarded`
    names (a production backend, a mapping production backends use) does not
    change it: it files a ``logistics.change.request`` with the values and
    tells the person so. Everything else of the same write (secrets, records
    that are not guarded) applies at once. Deleting a guarded record is
    refused (archiving is a change like any other). The hub's own code, running as
    superuser, is not a person and writes directly. The approved change is
    written through :meth:`logistics.change.request._apply`, the only way past
    this check."""

    _name = "logistics.four.eyes.mixin"
    _inherit = ["logistics.audit.mixin"]
    _description = "Configuration Changed Under Four-Eyes Approval"

    pending_change_count = fields.Integer(
        string="Changes Awaiting Approval",
        compute="_compute_pending_change_count",
        groups="logistics_integration.group_integration_admin",
    )

    def _four_eyes_guarded(self, vals):
        """The records of ``self`` this write needs approval for."""
        return self.browse()

    def _four_eyes_can_dry_run(self, values):
        """Whether :meth:`_four_eyes_dry_run` can try these values on messages."""
        return False

    def _four_eyes_dry_run(self, values):
        """Read stored messages with the configuration as it is and with
        ``values``: a list of dicts ``message``, ``before``, ``after`` (texts)
        and ``outcome`` (same, changed, fails, fixed)."""
        return []

    def write(self, vals):
        names = [name for name in self._audited_fields() if name in vals]
        if not names or self.env.su or self._applying_change():
            return super().write(vals)
        guarded = self._four_eyes_guarded(vals)
        if not guarded:
            return super().write(vals)
        config = {name: vals[name] for name in names}
        rest = {name: value for name, value in vals.items() if name not in config}
        super(LogisticsFourEyesMixin, self - guarded).write(vals)
        if rest:
            super(LogisticsFourEyesMixin, guarded).write(rest)
        guarded._propose(config)
        return True

    def unlink(self):
        guarded = self.browse() if self.env.su else self._four_eyes_guarded({})
        if guarded:
            raise UserError(
                self.env._(
                    "%(records)s is production configuration and is not deleted directly: "
                    "archive it, or have a change moving it out of production approved first.",
                    records=", ".join(guarded.sudo().mapped("display_name")),
                )
            )
        return super().unlink()

    def _applying_change(self):
        change_id = self.env.context.get("logistics_change_request")
        if not change_id:
            return False
        change = self.env["logistics.change.request"].sudo().browse(change_id).exists()
        return (
            change.state == "applying"
            and change.res_model == self._name
            and self.ids == [change.res_id]
        )

    def _propose(self, values):
        """File a change request for each record these values would change."""
        Change = self.env["logistics.change.request"].sudo()
        for record in self:
            if not record._four_eyes_preview(values):
                continue  # saving what is already there
            change = Change.create(
                {
                    "res_model": record._name,
                    "res_id": record.id,
                    "record_name": record.sudo().display_name,
                    "model_description": self.env["ir.model"].sudo()._get(self._name).name,
                    "values": values,
                    "requested_by_id": self.env.uid,
                    "company_id": "company_id" in self._fields and record.sudo().company_id.id,
                }
            )
            self.env.user._bus_send(
                "simple_notification",
                {
                    "type": "warning",
                    "sticky": True,
                    "title": self.env._("Awaiting a second administrator"),
                    "message": self.env._(
                        "%(record)s is production configuration: your change is %(change)s "
                        "and applies once another integration administrator approves it "
                        "(Logistics → Integration → Change Requests).",
                        record=change.record_name,
                        change=change.display_name,
                    ),
                },
            )

    def _four_eyes_preview(self, values):
        """{field: (text now, text with ``values``)} for the fields ``values``
        would change on this record."""
        self.ensure_one()
        names = [name for name in values if name in self._fields]
        draft = self.sudo().new(values, origin=self.sudo())
        now, then = self._audit_values(names), draft._audit_values(names)
        return {name: (now[name], then[name]) for name in names if now[name] != then[name]}

    def _compute_pending_change_count(self):
        counts = dict(
            self.env["logistics.change.request"]._read_group(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("state", "=", "pending"),
                ],
                ["res_id"],
                ["__count"],
            )
        )
        for record in self:
            record.pending_change_count = counts.get(record.id, 0)

    def action_view_change_requests(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_integration.action_change_request"
        )
        action["domain"] = [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        action["context"] = {}
        return action
