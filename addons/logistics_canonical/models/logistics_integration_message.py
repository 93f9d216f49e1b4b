from odoo import fields, models

MESSAGE_STATES = [
    ("received", "Received"),
    ("queued", "Queued"),
    ("processing", "Processing"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("dead", "Dead Letter"),
    ("ignored", "Ignored"),
]


class LogisticsIntegrationMessage(models.Model):
    """One message in or out, kept with its raw payload from receipt to outcome.

    The message itself carries its terminal state and the reason: a dead
    letter is visible here, never only as a failed job somewhere else.
    """

    _name = "logistics.integration.message"
    _description = "Integration Message"
    _order = "id desc"

    direction = fields.Selection(
        [("inbound", "Inbound"), ("outbound", "Outbound")],
        required=True,
        default="inbound",
        index=True,
    )
    backend_id = fields.Many2one(
        "logistics.backend", required=True, ondelete="restrict", index=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True, index=True)
    message_type = fields.Char(
        string="Type", required=True, default="event", help="e.g. event, x12_214, iftsta, tender."
    )
    payload_format = fields.Selection(
        [
            ("json", "JSON"),
            ("x12", "X12"),
            ("edifact", "EDIFACT"),
            ("xml", "XML"),
            ("text", "Text"),
        ],
        string="Format",
        required=True,
        default="json",
    )
    idempotency_key = fields.Char(required=True, readonly=True)
    correlation_id = fields.Char(readonly=True, index=True)
    payload = fields.Text(readonly=True, help="The raw payload, exactly as received or sent.")
    content_type = fields.Char(readonly=True)
    state = fields.Selection(
        MESSAGE_STATES, required=True, default="received", index=True, readonly=True
    )
    attempts = fields.Integer(readonly=True)
    error_code = fields.Char(readonly=True)
    error_message = fields.Text(readonly=True)
    received_at = fields.Datetime(default=fields.Datetime.now, readonly=True, index=True)
    processed_at = fields.Datetime(readonly=True)
    duration_ms = fields.Integer(
        string="Latency (ms)", readonly=True, help="From receipt to the end of processing."
    )
    shipment_id = fields.Many2one("logistics.shipment", readonly=True, index="btree_not_null")
    exception_ids = fields.One2many("logistics.exception", "message_id")

    _sql_constraints = [
        (
            "backend_direction_key_unique",
            "UNIQUE (backend_id, direction, idempotency_key)",
            "This message was already received.",
        ),
    ]

    def _compute_display_name(self):
        for message in self:
            message.display_name = f"#{message.id} {message.message_type} ({message.direction})"
