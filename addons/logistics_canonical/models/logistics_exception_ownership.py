from odoo import api, fields, models


class LogisticsExceptionOwnership(models.Model):
    """A row of the ownership matrix: which team (and user) owns a kind of exception.

    The most specific row wins: one naming the backend before one that does
    not, one naming the company before a shared one, then by sequence.
    """

    _name = "logistics.exception.ownership"
    _inherit = ["logistics.audit.mixin"]
    _description = "Exception Ownership Rule"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    exception_type_id = fields.Many2one(
        "logistics.exception.type", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", help="Empty: every company.")
    backend_id = fields.Many2one(
        "logistics.backend", ondelete="cascade", help="Only exceptions raised by this backend."
    )
    team_id = fields.Many2one("logistics.team", required=True, ondelete="restrict")
    user_id = fields.Many2one("res.users", string="Owner", help="Assigned directly when set.")
    sla_hours = fields.Float(
        string="SLA (hours)", help="Overrides the exception type's SLA when set."
    )

    @api.model
    def _match(self, exception_type, company, backend=None):
        rows = self.search(
            [
                ("exception_type_id", "=", exception_type.id),
                ("company_id", "in", [company.id, False]),
                ("backend_id", "in", [backend.id, False] if backend else [False]),
            ]
        )
        return rows.sorted(lambda r: (not r.backend_id, not r.company_id, r.sequence, r.id))[:1]
