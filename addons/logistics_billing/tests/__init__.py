from . import (
    test_audit,
    test_billing_kpi,
    test_billing_lib,
    test_billing_policy,
    test_carrier_bill,
    test_invoice_once,
    test_rate_card_sync,
    test_rating_audit,
)
