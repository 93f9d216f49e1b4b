from . import (
    test_api_routes,
    test_audit,
    test_four_eyes,
    test_key_lifecycle,
    test_kpi,
    test_message_lifecycle,
    test_runtime_lib,
    test_secrets,
)
