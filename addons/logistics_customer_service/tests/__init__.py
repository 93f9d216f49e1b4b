from . import test_claims, test_customer_overview, test_returns, test_ui_tour
