from . import logistics_billing_release
