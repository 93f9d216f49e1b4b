from . import (
    logistics_backend,
    logistics_integration_message,
    logistics_openapi,
    logistics_outbound_adapter_tms,
    logistics_processor_order,
    logistics_processor_tms,
    logistics_processor_wms,
    logistics_shipment,
    logistics_tender,
    logistics_tms_feed,
    logistics_tms_template,
    sale_order,
)
