from . import (
    delivery_carrier,
    logistics_backend,
    logistics_carrier_code,
    logistics_carrier_tracking,
    logistics_freight_charge,
    logistics_openapi,
    logistics_processor_carrier,
    logistics_shipment,
    logistics_shipment_identifier,
    stock_picking,
)
