from odoo import api, fields, models, tools

SCOPES = [
    ("backend", "The backend that sends it"),
    ("carrier", "The carrier"),
    ("shipper", "The shipper"),
    ("customer", "The customer"),
    ("global", "Everyone"),
]


class LogisticsIdentifierKind(models.Model):
    """A kind of shipment identifier (PRO, bill of lading…) and where it is unique."""

    _name = "logistics.identifier.kind"
    _inherit = ["logistics.cached.config", "logistics.audit.mixin"]
    _description = "Shipment Identifier Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True, help="How events name this kind, in their 'identifiers' list."
    )
    sequence = fields.Integer(default=10, help="Precedence: stronger identifiers first.")
    active = fields.Boolean(default=True)
    scope = fields.Selection(
        SCOPES,
        required=True,
        default="global",
        string="Unique Within",
        help="Who issues the number: a PRO is unique for its carrier only, a load id "
        "for the TMS that assigned it.",
    )
    reuse_days = fields.Integer(
        string="Reused After (days)",
        help="Carriers recycle tracking numbers: a number last seen longer ago than "
        "this names a new shipment. 0: never reused.",
    )
    reuse_label = fields.Char(string="Reused", compute="_compute_reuse_label")
    match_by_default = fields.Boolean(
        string="Matched by Default",
        default=True,
        help="New backends match shipments by this kind (container numbers, reused "
        "trip after trip, are kept for search only).",
    )
    description = fields.Text(translate=True)

    @api.depends("reuse_days")
    def _compute_reuse_label(self):
        for kind in self:
            kind.reuse_label = (
                self.env._("After %(days)s days", days=kind.reuse_days)
                if kind.reuse_days
                else self.env._("Never")
            )

    _sql_constraints = [
        ("code_unique", "UNIQUE (code)", "Identifier type codes are unique."),
    ]

    @api.model
    @tools.ormcache()
    def _ids_by_code(self):
        return {kind.code: kind.id for kind in self.sudo().search([])}

    @api.model
    @tools.ormcache()
    def _scopes_and_windows(self):
        """``{kind id: (scope, reuse days)}`` of every active kind."""
        return {kind.id: (kind.scope, kind.reuse_days) for kind in self.sudo().search([])}
