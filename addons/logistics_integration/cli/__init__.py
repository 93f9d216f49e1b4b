from . import logistics_secrets
