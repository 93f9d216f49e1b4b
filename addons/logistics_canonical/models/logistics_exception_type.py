from odoo import fields, models

SEVERITIES = [("low", "Low"), ("medium", "Medium"), ("high", "High"), ("critical", "Critical")]


class LogisticsExceptionType(models.Model):
    """What kind of problem an exception is, with its default severity and SLA,
    and its runbook: what it means, the steps to take, when to escalate (who
    owns it is the ownership matrix)."""

    _name = "logistics.exception.type"
    _inherit = ["logistics.audit.mixin"]
    _description = "Exception Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Technical name used by the runtime and connectors.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(string="What It Means", translate=True)
    runbook_steps = fields.Html(
        string="Steps to Take", translate=True, help="What the owner does, in order."
    )
    escalation = fields.Text(
        string="When to Escalate", translate=True, help="When, and to whom, the owner hands it on."
    )
    severity = fields.Selection(SEVERITIES, required=True, default="medium")
    sla_hours = fields.Float(
        string="SLA (hours)", default=24, help="Time to resolve once raised; 0 means no deadline."
    )
    milestone_code_id = fields.Many2one(
        "logistics.milestone.code",
        string="Raised by Milestone",
        domain=[("category", "=", "exception")],
        help="An actual milestone of this code raises an exception of this type.",
    )
    ownership_ids = fields.One2many("logistics.exception.ownership", "exception_type_id")

    _sql_constraints = [("code_unique", "UNIQUE (code)", "Exception type codes are unique.")]
