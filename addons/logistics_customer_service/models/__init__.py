from . import (
    logistics_billing_kpi,
    logistics_claim,
    logistics_customer_overview,  # last: its SQL view reads the tables above
    logistics_exception,
    logistics_shipment,
    res_partner,
)
