from . import documents, webhook
