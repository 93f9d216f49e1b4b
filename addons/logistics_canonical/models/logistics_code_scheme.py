from odoo import fields, models


class LogisticsCodeScheme(models.Model):
    """A list of source codes: X12 214 AT7 status, UN/ECE Rec. 24, a carrier's own…"""

    _name = "logistics.code.scheme"
    _inherit = ["logistics.audit.mixin"]
    _description = "Source Code List"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Technical name used by connectors.")
    kind = fields.Selection(
        [("status", "Status codes"), ("reason", "Reason codes")],
        required=True,
        default="status",
        help="Status codes map to canonical milestones; reason codes explain them.",
    )
    source = fields.Char(help="Where the list comes from.")
    mapping_ids = fields.One2many("logistics.code.mapping", "scheme_id", string="Codes")
    unmapped_count = fields.Integer(compute="_compute_unmapped_count")

    _sql_constraints = [("code_unique", "UNIQUE (code)", "A code list exists only once.")]

    def _compute_unmapped_count(self):
        groups = self.env["logistics.code.mapping"]._read_group(
            [("scheme_id", "in", self.ids), ("milestone_code_id", "=", False)],
            ["scheme_id"],
            ["__count"],
        )
        counts = {scheme.id: count for scheme, count in groups}
        for scheme in self:
            scheme.unmapped_count = counts.get(scheme.id, 0) if scheme.kind == "status" else 0
