from . import test_portal, test_portal_notifications
