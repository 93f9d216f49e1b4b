from . import (
    test_tms_dispatch,
    test_tms_feed,
    test_tms_master_data,
    test_tms_orders,
    test_tms_template,
    test_tms_tender,
    test_tms_warehouse,
)
