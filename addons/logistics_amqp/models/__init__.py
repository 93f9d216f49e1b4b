from . import (
    logistics_amqp_catalogue,
    logistics_amqp_intake,
    logistics_backend,
    logistics_channel_listener,
    logistics_exception,
    logistics_integration_message,
    logistics_outbound_adapter_amqp,
    logistics_outbox,
)
