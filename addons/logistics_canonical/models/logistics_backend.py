from odoo import fields, models

ADMIN_GROUP = "logistics_canonical.group_integration_admin"


class LogisticsBackend(models.Model):
    """One configured counterpart: a TMS, a carrier, an EDI partner, an API client.

    Connection secrets are fields of the Integration Administrator group only:
    other users can see that a backend exists (a milestone names its source)
    but never its credentials.
    """

    _name = "logistics.backend"
    _description = "Logistics Backend"
    _inherit = ["mail.thread"]
    _order = "sequence, name"

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(
        required=True,
        help="Short technical name, used in job channels, logs and URLs.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    kind = fields.Selection(
        [("api", "Canonical API client")],
        required=True,
        default="api",
        tracking=True,
        help="The dialect the counterpart speaks; each connector module adds its own.",
    )
    environment = fields.Selection(
        [("sandbox", "Sandbox"), ("test", "Test"), ("production", "Production")],
        required=True,
        default="sandbox",
        tracking=True,
        help="Messages of a sandbox or test backend never touch production data.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Counterpart", help="Who is on the other side."
    )
    code_scheme_id = fields.Many2one(
        "logistics.code.scheme",
        string="Status Code List",
        help="How this backend names milestones when it does not use canonical codes.",
    )
    notes = fields.Html()

    # outbound connection
    base_url = fields.Char(string="Base URL", groups=ADMIN_GROUP)
    username = fields.Char(groups=ADMIN_GROUP)
    password = fields.Char(groups=ADMIN_GROUP)
    api_token = fields.Char(string="Outbound API Token", groups=ADMIN_GROUP)

    # runtime policy
    max_attempts = fields.Integer(
        default=5, help="Attempts of a message before it is dead-lettered."
    )
    rate_limit_per_minute = fields.Integer(
        default=600, help="Inbound requests accepted per minute (0: unlimited)."
    )

    integration_message_count = fields.Integer(
        compute="_compute_integration_message_count", string="Integration Messages"
    )

    _sql_constraints = [
        (
            "code_company_unique",
            "UNIQUE (code, company_id)",
            "Backend codes are unique per company.",
        ),
        (
            "max_attempts_positive",
            "CHECK (max_attempts > 0)",
            "A message needs at least one attempt.",
        ),
    ]

    def _compute_integration_message_count(self):
        groups = self.env["logistics.integration.message"]._read_group(
            [("backend_id", "in", self.ids)], ["backend_id"], ["__count"]
        )
        counts = {backend.id: count for backend, count in groups}
        for backend in self:
            backend.integration_message_count = counts.get(backend.id, 0)

    def action_view_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_canonical.action_integration_message"
        )
        action["domain"] = [("backend_id", "=", self.id)]
        action["context"] = {"default_backend_id": self.id}
        return action
