from odoo import api, models


class LogisticsChannelListener(models.AbstractModel):
    """The position topic of each telematics backend."""

    _inherit = "logistics.channel.listener"

    @api.model
    def _listeners(self):
        listed = super()._listeners()
        Listener = self.env["logistics.telematics.listener"]
        for backend in self.env["logistics.backend"].sudo().search([("kind", "=", "telematics")]):
            listed[f"mqtt-{backend.id}"] = (Listener._name, Listener._listener_config(backend))
        return listed
