from odoo import api, models


class LogisticsChannelListener(models.AbstractModel):
    """Long-lived inbound channels, run by ``odoo-bin logistics-channels``
    beside Odoo: message-broker queues, telematics topics.

    A module adds its channels by extending :meth:`_listeners`; the model it
    names there builds the plain-Python loop of one channel
    (``_listener_loop(config, handle, stop)``, an object with ``run()``) and
    stores what the loop hands over (``_listener_receive(config, batch)``,
    through the one door, which commits)."""

    _name = "logistics.channel.listener"
    _description = "Logistics long-lived inbound channels"

    @api.model
    def _listeners(self):
        """``{key: (model name, config)}`` of every channel to run now; the
        config is a hashable tuple, and a changed one restarts its channel."""
        return {}
