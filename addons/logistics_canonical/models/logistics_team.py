from odoo import fields, models


class LogisticsTeam(models.Model):
    """A team that owns exceptions: dispatch, customer service, integration…"""

    _name = "logistics.team"
    _inherit = ["logistics.audit.mixin"]
    _audit_skip = ("color",)
    _description = "Logistics Team"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    leader_id = fields.Many2one("res.users", string="Team Leader")
    member_ids = fields.Many2many("res.users", string="Members")
    color = fields.Integer()
