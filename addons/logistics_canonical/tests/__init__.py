from . import (
    test_access,
    test_code_mapping,
    test_exception,
    test_shipment_status,
    test_timeutil,
    test_tracking,
    test_ui_tour,
)
