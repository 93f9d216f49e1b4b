from . import (
    test_access,
    test_api,
    test_code_mapping,
    test_exception,
    test_metrics,
    test_outbox,
    test_pipeline,
    test_runtime_lib,
    test_shipment_status,
    test_timeutil,
    test_tracking,
    test_ui_tour,
)
