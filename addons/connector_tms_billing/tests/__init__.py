from . import test_order_invoiced
