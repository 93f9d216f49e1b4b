from . import notifications, portal, tracking
