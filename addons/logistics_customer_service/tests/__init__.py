from . import test_claims, test_returns
