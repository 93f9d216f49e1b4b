from . import logistics_channels, logistics_secrets
