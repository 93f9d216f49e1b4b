from . import warehouse, webhook
