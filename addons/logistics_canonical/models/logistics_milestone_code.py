from odoo import api, fields, models, tools

SHIPMENT_STATUSES = [
    ("draft", "New"),
    ("tendered", "Tendered"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
    ("dispatched", "Dispatched"),
    ("at_pickup", "At Pickup"),
    ("picked_up", "Picked Up"),
    ("in_transit", "In Transit"),
    ("out_for_delivery", "Out for Delivery"),
    ("at_delivery", "At Delivery"),
    ("delivered", "Delivered"),
    ("lost", "Lost"),
    ("returned", "Returned"),
    ("cancelled", "Cancelled"),
]


class LogisticsMilestoneCode(models.Model):
    """The canonical milestone taxonomy.

    Every source code (X12 AT7, UN/ECE Rec. 24, a carrier's own list) maps to
    one of these. The progression rank orders codes that set a shipment status:
    a milestone never moves a shipment to a status of lower rank.
    """

    _name = "logistics.milestone.code"
    _inherit = ["logistics.cached.config", "logistics.audit.mixin"]
    _cached_fields = {"code", "active"}
    _description = "Canonical Milestone Code"
    _order = "sequence, rank, code"
    _rec_name = "name"

    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    category = fields.Selection(
        [("progress", "Progress"), ("exception", "Exception"), ("document", "Document")],
        required=True,
        default="progress",
    )
    rank = fields.Integer(
        string="Progression Rank",
        help="Higher ranks are further along. Among actual milestones, the one "
        "with the highest rank (then the latest event time) sets the status.",
    )
    shipment_status = fields.Selection(
        SHIPMENT_STATUSES,
        help="Status an actual milestone of this code gives the shipment. "
        "Empty: the milestone is recorded but does not change the status.",
    )
    stop_event = fields.Selection(
        [("arrival", "Arrival"), ("departure", "Departure")],
        help="Which actual time of the milestone's stop this code records.",
    )
    default_classifier = fields.Selection(
        [("planned", "Planned"), ("estimated", "Estimated"), ("actual", "Actual")],
        default="actual",
        required=True,
    )
    icon = fields.Char(default="fa-circle", help="Font Awesome icon of the timeline.")

    _sql_constraints = [
        ("code_unique", "UNIQUE (code)", "A canonical milestone code exists only once."),
    ]

    def _compute_display_name(self):
        for record in self:
            record.display_name = f"{record.code} · {record.name}" if record.code else record.name

    @api.model
    def _by_code(self, code):
        return self.browse(self._id_by_code(code))

    @api.model
    @tools.ormcache("code")
    def _id_by_code(self, code):
        return self.search([("code", "=", code)], limit=1).id
