from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .logistics_exception_type import SEVERITIES

OPEN_STATES = ("new", "assigned")


class LogisticsException(models.Model):
    """Something that needs a person: a delay, damage, an unmapped code, a dead letter.

    On creation the ownership matrix gives it a team (and a user when the
    matrix names one) and an SLA deadline.
    """

    _name = "logistics.exception"
    _description = "Logistics Exception"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority_rank desc, sla_deadline, id desc"
    _check_company_auto = True

    name = fields.Char(string="Summary", required=True, tracking=True)
    exception_type_id = fields.Many2one(
        "logistics.exception.type", string="Type", required=True, ondelete="restrict", index=True
    )
    runbook_meaning = fields.Text(related="exception_type_id.description")
    runbook_steps = fields.Html(related="exception_type_id.runbook_steps")
    runbook_escalation = fields.Text(related="exception_type_id.escalation")
    severity = fields.Selection(SEVERITIES, required=True, default="medium", tracking=True)
    priority_rank = fields.Integer(compute="_compute_priority_rank", store=True)
    state = fields.Selection(
        [
            ("new", "New"),
            ("assigned", "Assigned"),
            ("resolved", "Resolved"),
            ("ignored", "Ignored"),
        ],
        required=True,
        default="new",
        tracking=True,
        index=True,
        group_expand="_group_expand_state",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    shipment_id = fields.Many2one(
        "logistics.shipment", index=True, ondelete="cascade", check_company=True
    )
    customer_id = fields.Many2one(related="shipment_id.customer_id", store=True)
    milestone_id = fields.Many2one("logistics.milestone", ondelete="set null")
    message_id = fields.Many2one(
        "logistics.integration.message",
        string="Integration Message",
        ondelete="set null",
        index="btree_not_null",
    )
    backend_id = fields.Many2one("logistics.backend", ondelete="set null")
    candidate_shipment_ids = fields.Many2many(
        "logistics.shipment",
        string="Candidate Shipments",
        context={"active_test": False},
        help="An identity conflict: the shipments the message's identifiers name.",
    )
    team_id = fields.Many2one("logistics.team", tracking=True, index=True)
    user_id = fields.Many2one("res.users", string="Owner", tracking=True, index=True)
    description = fields.Text()
    resolution = fields.Text()
    sla_deadline = fields.Datetime(string="SLA Deadline", tracking=True)
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue", string="Overdue"
    )
    age_hours = fields.Float(compute="_compute_age_hours", string="Age (h)")
    closed_date = fields.Datetime(readonly=True)
    closed_by_id = fields.Many2one("res.users", readonly=True)
    color = fields.Integer(compute="_compute_color")

    @api.model
    def _group_expand_state(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    @api.depends("severity")
    def _compute_priority_rank(self):
        ranks = {key: rank for rank, (key, _label) in enumerate(SEVERITIES)}
        for exception in self:
            exception.priority_rank = ranks.get(exception.severity, 0)

    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for exception in self:
            exception.is_overdue = bool(
                exception.state in OPEN_STATES
                and exception.sla_deadline
                and exception.sla_deadline < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Overdue."))
        overdue = [("state", "in", OPEN_STATES), ("sla_deadline", "<", fields.Datetime.now())]
        if (operator == "=") == value:
            return overdue
        return ["!", "&", *overdue]

    def _compute_age_hours(self):
        now = fields.Datetime.now()
        for exception in self:
            end = exception.closed_date or now
            start = exception.create_date or now
            exception.age_hours = round((end - start).total_seconds() / 3600, 1)

    def _compute_color(self):
        colors = {"low": 0, "medium": 3, "high": 2, "critical": 1}
        for exception in self:
            exception.color = 1 if exception.is_overdue else colors.get(exception.severity, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._apply_ownership(vals)
        return super().create(vals_list)

    @api.model
    def _apply_ownership(self, vals):
        """Fill team, owner, severity and SLA deadline from the type and the matrix."""
        exception_type = self.env["logistics.exception.type"].browse(vals["exception_type_id"])
        company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
        backend = self.env["logistics.backend"].browse(vals.get("backend_id"))
        rule = (
            self.env["logistics.exception.ownership"]
            .sudo()
            ._match(exception_type, company, backend)
        )
        vals.setdefault("severity", exception_type.severity)
        if rule:
            vals.setdefault("team_id", rule.team_id.id)
            if rule.user_id:
                vals.setdefault("user_id", rule.user_id.id)
        if vals.get("user_id") and vals.get("state", "new") == "new":
            vals["state"] = "assigned"
        sla_hours = rule.sla_hours or exception_type.sla_hours
        if sla_hours and "sla_deadline" not in vals:
            vals["sla_deadline"] = fields.Datetime.now() + timedelta(hours=sla_hours)

    def write(self, vals):
        # Giving an open exception an owner assigns it.
        if vals.get("user_id") and "state" not in vals:
            new = self.filtered(lambda e: e.state == "new")
            if new:
                super(LogisticsException, new).write({"state": "assigned"})
        return super().write(vals)

    @api.model
    def _raise_for_milestones(self, milestones):
        """Open one exception per exception milestone whose code has a type."""
        if not milestones:
            return self.browse()
        types = self.env["logistics.exception.type"].search(
            [("milestone_code_id", "in", milestones.milestone_code_id.ids)]
        )
        type_by_code = {t.milestone_code_id.id: t for t in types}
        vals_list = []
        for milestone in milestones:
            exception_type = type_by_code.get(milestone.milestone_code_id.id)
            if not exception_type:
                continue
            shipment = milestone.shipment_id
            reason = milestone.reason_text or milestone.source_text or milestone.reason_code
            vals_list.append(
                {
                    "name": f"{shipment.name}: {milestone.milestone_code_id.name}"
                    + (f" ({reason})" if reason else ""),
                    "exception_type_id": exception_type.id,
                    "company_id": shipment.company_id.id,
                    "shipment_id": shipment.id,
                    "milestone_id": milestone.id,
                    "message_id": milestone.message_id.id,
                    "backend_id": milestone.backend_id.id,
                    "description": milestone.note or milestone.source_text,
                }
            )
        return self.sudo().create(vals_list)

    def _close(self, state):
        if any(exception.state not in OPEN_STATES for exception in self):
            raise UserError(self.env._("Only open exceptions can be resolved or ignored."))
        self.write(
            {"state": state, "closed_date": fields.Datetime.now(), "closed_by_id": self.env.uid}
        )

    def action_replay_message(self):
        """From the workbench: send the message that raised this exception through
        the pipeline again (after fixing its cause); success resolves it."""
        self.message_id.action_replay()

    def action_merge_candidates(self):
        """From an identity conflict: merge the shipments its message named."""
        self.ensure_one()
        return self.candidate_shipment_ids._merge_wizard()

    def action_assign_to_me(self):
        self.write({"user_id": self.env.uid, "state": "assigned"})

    def action_resolve(self):
        self._close("resolved")

    def action_ignore(self):
        self._close("ignored")

    def action_reopen(self):
        for exception in self:
            exception.write(
                {
                    "state": "assigned" if exception.user_id else "new",
                    "closed_date": False,
                    "closed_by_id": False,
                }
            )
