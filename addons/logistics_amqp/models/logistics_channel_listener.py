from odoo import api, models


class LogisticsChannelListener(models.AbstractModel):
    """The queue of each backend with *Consume a Queue* ticked."""

    _inherit = "logistics.channel.listener"

    @api.model
    def _listeners(self):
        listed = super()._listeners()
        Intake = self.env["logistics.amqp.intake"]
        for backend in self.env["logistics.backend"].sudo().search([("amqp_consume", "=", True)]):
            listed[f"amqp-{backend.id}"] = (Intake._name, Intake._listener_config(backend))
        return listed
