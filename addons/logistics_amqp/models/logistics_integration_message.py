from odoo import fields, models


class LogisticsIntegrationMessage(models.Model):
    _inherit = "logistics.integration.message"

    routing_key = fields.Char(
        readonly=True, help="The AMQP routing key an outbound message is published under."
    )
