from . import (
    logistics_backend,
    logistics_channel_listener,
    logistics_processor_telematics,
    logistics_shipment,
    logistics_shipment_stop,
    logistics_telematics_listener,
    logistics_vehicle_position,
    logistics_vehicle_track,
)
