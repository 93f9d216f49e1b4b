from . import test_invoice_210
