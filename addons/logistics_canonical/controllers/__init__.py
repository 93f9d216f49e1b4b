from . import events, subscriptions
