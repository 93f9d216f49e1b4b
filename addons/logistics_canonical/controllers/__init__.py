from . import documents, events, subscriptions
