from odoo import api, fields, models, tools


class LogisticsNotificationRule(models.Model):
    """Which milestones a customer is told about by e-mail, and with which template.

    Mails go through the outbox with one key per rule and milestone, so a
    replayed or duplicated event never mails a customer twice."""

    _name = "logistics.notification.rule"
    _inherit = ["logistics.cached.config", "logistics.audit.mixin"]
    _description = "Customer Notification Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", help="Empty: every customer of the company."
    )
    milestone_code_ids = fields.Many2many(
        "logistics.milestone.code", string="Milestones", required=True
    )
    recipient_id = fields.Many2one(
        "res.partner",
        string="Send To",
        index="btree_not_null",
        help="Empty: whom the template names (the shipment's customer). A portal user's "
        "own subscription names them here.",
    )
    template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        required=True,
        domain=[("model", "=", "logistics.shipment")],
    )

    @api.model
    @tools.ormcache()
    def _company_ids_with_rules(self):
        return frozenset(self.sudo().search([]).company_id.ids)

    @api.model
    def _notify(self, milestone):
        shipment = milestone.shipment_id
        if shipment.environment != "production":  # sandbox data never mails real customers
            return
        if shipment.company_id.id not in self._company_ids_with_rules():
            return
        rules = self.sudo().search(
            [
                ("company_id", "=", shipment.company_id.id),
                ("milestone_code_ids", "in", milestone.milestone_code_id.ids),
                ("partner_id", "in", [shipment.customer_id.commercial_partner_id.id, False]),
            ]
        )
        if not rules:
            return
        backend = self.env["logistics.backend"]._mail_backend(shipment.company_id)
        if not backend.active:
            return
        for rule in rules:
            self.env["logistics.outbox"]._enqueue(
                backend,
                "notification",
                {
                    "template_id": rule.template_id.id,
                    "shipment_id": shipment.id,
                    "milestone_id": milestone.id,
                    "recipient_id": rule.recipient_id.id,
                },
                f"mail:{rule.id}:{milestone.id}",
                shipment_id=shipment.id,
                parent=milestone.message_id,
            )
