from . import (
    delivery_carrier,
    logistics_backend,
    logistics_carrier_code,
    logistics_carrier_tracking,
    logistics_freight_charge,
    logistics_processor_carrier,
    logistics_shipment,
    stock_picking,
)
