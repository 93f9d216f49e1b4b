from . import test_camt_import, test_payment_event
