import difflib

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError

from .groups import integration_admins


class LogisticsChangeRequest(models.Model):
    """A change to production configuration waiting for a second integration
    administrator (four-eyes): the proposed field values, tried on stored
    messages before approval where the record maps messages, applied only
    when approved. An emergency change is applied at once with a reason and
    stays flagged until another administrator reviews it."""

    _name = "logistics.change.request"
    _description = "Configuration Change Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_id = fields.Many2oneReference(model_field="res_model", required=True, readonly=True)
    record_name = fields.Char(string="Changes", readonly=True)
    model_description = fields.Char(string="Record Type", readonly=True)
    values = fields.Json(required=True, readonly=True, help="The proposed writes, as saved.")
    changes_html = fields.Html(
        string="Proposed Change",
        readonly=True,
        sanitize=False,  # our table, values escaped
        help="Each field, its value before the change and the value proposed.",
    )
    state = fields.Selection(
        [
            ("pending", "Awaiting Approval"),
            ("applying", "Applying"),
            ("applied", "Applied"),
            ("rejected", "Rejected"),
            ("cancelled", "Withdrawn"),
        ],
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
    )
    requested_by_id = fields.Many2one(
        "res.users",
        string="Proposed By",
        required=True,
        readonly=True,
        default=lambda s: s.env.user,
    )
    decided_by_id = fields.Many2one("res.users", string="Decided By", readonly=True)
    decided_at = fields.Datetime(string="Decided On", readonly=True)
    emergency = fields.Boolean(readonly=True, tracking=True)
    reason = fields.Text(
        help="Why the change is needed; required to apply an emergency change without approval."
    )
    review_state = fields.Selection(
        [("to_review", "To Review"), ("reviewed", "Reviewed")],
        readonly=True,
        tracking=True,
        help="An emergency change stays flagged until another administrator reviews it.",
    )
    reviewed_by_id = fields.Many2one("res.users", string="Reviewed By", readonly=True)
    can_dry_run = fields.Boolean(compute="_compute_can_dry_run")
    dry_run_html = fields.Html(string="Dry Run", readonly=True, sanitize=False)
    company_id = fields.Many2one("res.company", readonly=True, index=True)

    @api.depends("record_name")
    def _compute_display_name(self):
        for change in self:
            change.display_name = self.env._(
                "CR-%(number)s %(record)s", number=change.id or "", record=change.record_name or ""
            )

    def _target(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id).exists()

    @api.model_create_multi
    def create(self, vals_list):
        changes = super().create(vals_list)
        for change in changes:
            change.changes_html = change._changes_table()
        return changes

    def _changes_table(self):
        """Field, value now, value proposed: as people read them."""
        target = self._target()
        if not target:
            return Markup("<p>%s</p>") % self.env._("The record no longer exists.")
        rows = Markup()
        proposed = target._four_eyes_preview(self.values)
        for name, (now, then) in proposed.items():
            label = target._fields[name].get_description(self.env)["string"]
            rows += Markup(
                "<tr><th>%s</th><td class='text-muted'><pre class='mb-0'>%s</pre></td>"
                "<td><pre class='mb-0'>%s</pre></td></tr>"
            ) % (label, now, then)
        head = Markup("<tr><th>%s</th><th>%s</th><th>%s</th></tr>") % (
            self.env._("Field"),
            self.env._("Before"),
            self.env._("Proposed"),
        )
        return Markup(
            "<table class='table table-sm'><thead>%s</thead><tbody>%s</tbody></table>"
        ) % (
            head,
            rows,
        )

    def _compute_can_dry_run(self):
        for change in self:
            target = change._target()
            change.can_dry_run = bool(target) and target._four_eyes_can_dry_run(change.values)

    # --- decisions ---------------------------------------------------------------

    def _check_pending(self):
        for change in self:
            if change.state != "pending":
                raise UserError(
                    self.env._("%s is no longer awaiting approval.", change.display_name)
                )

    def action_approve(self):
        self._check_pending()
        for change in self:
            if change.requested_by_id == self.env.user:
                raise UserError(
                    self.env._(
                        "A second administrator approves %s: you proposed it. In an emergency, "
                        "apply it yourself with a reason; it stays flagged for review.",
                        change.display_name,
                    )
                )
            change._apply()

    def action_apply_emergency(self):
        self._check_pending()
        for change in self:
            if not (change.reason or "").strip():
                raise UserError(self.env._("Say why this change cannot wait for approval."))
            change.write({"emergency": True, "review_state": "to_review"})
            change._apply()
            change._ask_review()

    def action_reject(self):
        self._check_pending()
        for change in self:
            withdrawn = change.requested_by_id == self.env.user
            change._decide("cancelled" if withdrawn else "rejected")

    def _decide(self, state):
        self.write(
            {"state": state, "decided_by_id": self.env.uid, "decided_at": fields.Datetime.now()}
        )

    def action_mark_reviewed(self):
        for change in self:
            if change.review_state != "to_review":
                continue
            if change.requested_by_id == self.env.user:
                raise UserError(self.env._("Another administrator reviews your emergency change."))
            change.write({"review_state": "reviewed", "reviewed_by_id": self.env.uid})
            change.activity_feedback(["mail.mail_activity_data_todo"])

    def _apply(self):
        """Write the proposed values as this change (the only door past the
        four-eyes check: see ``logistics.four.eyes.mixin._applying``)."""
        target = self._target()
        if not target:
            raise UserError(self.env._("The record of %s no longer exists.", self.display_name))
        self.write({"changes_html": self._changes_table(), "state": "applying"})
        target.with_context(logistics_change_request=self.id).write(self.values)
        self._decide("applied")

    def _ask_review(self):
        reviewers = integration_admins(self.env) - self.env.user
        for reviewer in reviewers[:1] or self.env.user:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Review emergency change %s", self.display_name),
                note=self.reason,
                user_id=reviewer.id,
            )

    # --- dry run -----------------------------------------------------------------

    def action_dry_run(self):
        """Read stored messages with the configuration now and as proposed, and
        show per message what would change."""
        for change in self:
            results = change._target()._four_eyes_dry_run(change.values)
            change.dry_run_html = change._dry_run_report(results)

    def _dry_run_report(self, results):
        if not results:
            return Markup("<p>%s</p>") % self.env._("No stored message to try it on.")
        labels = {
            "same": (self.env._("Same"), "secondary"),
            "changed": (self.env._("Changed"), "warning"),
            "fails": (self.env._("Fails now"), "danger"),
            "fixed": (self.env._("Reads now"), "success"),
        }
        html = Markup()
        for result in results:
            label, color = labels[result["outcome"]]
            diff = "\n".join(
                difflib.unified_diff(
                    result["before"].splitlines(),
                    result["after"].splitlines(),
                    "now",
                    "proposed",
                    lineterm="",
                )
            )
            html += Markup(
                "<div class='mb-3'><span class='badge text-bg-%s'>%s</span> <strong>%s</strong>"
                "<pre class='border rounded p-2 mt-1 mb-0 small'>%s</pre></div>"
            ) % (color, label, result["message"].display_name, diff or escape(result["after"]))
        return html
