from . import (
    test_audit,
    test_carrier_lib,
    test_carrier_polling,
    test_carrier_soap,
    test_carrier_webhook,
)
