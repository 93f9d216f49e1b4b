from . import (
    logistics_billing_kpi,
    logistics_claim,
    logistics_exception,
    logistics_shipment,
    res_partner,
)
