from . import (
    logistics_backend,
    logistics_milestone_code,
    logistics_notification_rule,
    logistics_shipment,
)
