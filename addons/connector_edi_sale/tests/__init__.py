from . import test_tender_sale_order
