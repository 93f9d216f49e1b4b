import json

from odoo import api, models

from ..lib import mqtt
from ..lib.positions import read_message, topic_level

BATCH_POSITIONS = 5000  # positions per message through the door


class LogisticsTelematicsListener(models.AbstractModel):
    """A telematics backend's MQTT topic, as a channel of odoo-bin logistics-channels:
    what the subscriber collected goes through the door as one message of
    positions (per 5,000), not one job per ping."""

    _name = "logistics.telematics.listener"
    _description = "Telematics MQTT Listener"

    @api.model
    def _listener_config(self, backend):
        return (
            backend.id,
            backend.mqtt_url,
            backend.mqtt_username,
            backend._secret("mqtt_password"),
            backend.mqtt_topic,
            f"odoo-logistics-{self.env.cr.dbname}-{backend.id}",
        )

    @api.model
    def _listener_loop(self, config, handle, stop):
        _backend_id, url, username, password, topic, client_id = config
        return mqtt.Subscriber(
            url, topic, handle, client_id, username=username, password=password, stop=stop
        )

    @api.model
    def _listener_receive(self, config, received):
        """Store a batch of MQTT messages: the readable positions through the
        door, each unreadable message kept as a rejected one with its reasons."""
        backend = self.env["logistics.backend"].sudo().browse(config[0])
        target = backend._inbox_target()
        Inbox = self.env["logistics.inbox"]
        positions = []
        for message in received:
            vehicle = topic_level(message.topic, backend.mqtt_topic)
            found, problems = read_message(message.payload, vehicle)
            positions += found
            if problems:
                Inbox._refuse(
                    target,
                    message.payload.decode("utf-8", "replace"),
                    "unreadable_position",
                    f"{message.topic}: " + "; ".join(problems),
                    [{"field": "", "message": problem} for problem in problems],
                    content_type="application/json",
                )
        items = [
            {
                "payload": json.dumps({"positions": positions[start : start + BATCH_POSITIONS]}),
                "message_type": "positions",
            }
            for start in range(0, len(positions), BATCH_POSITIONS)
        ]
        return Inbox._receive(target, items, channel="batch")
