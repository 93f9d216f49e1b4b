"""A sandbox carrier on loopback and a carrier backend pointing at it."""

from datetime import datetime, timedelta, timezone

from odoo import fields

from odoo.addons.logistics_canonical.tests.common_api import ApiCase

from .sandbox_carrier import CarrierSandbox, Parcel, Scan

SECRET = "carrier-test-secret"
CODES = [
    ("PU", "picked_up", False),
    ("IT", "in_transit", False),
    ("DL", "delayed", "weather_delay"),
    ("OD", "out_for_delivery", False),
    ("DF", "delivery_failed", "consignee_refused"),
    ("DE", "delivered", False),
]


class CarrierCase(ApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = CarrierSandbox(token="carrier-token").start()
        cls.addClassCleanup(cls.sandbox.stop)
        cls.carrier_partner = cls.env["res.partner"].create(
            {"name": "Test Parcel Co", "is_company": True, "logistics_scac": "TPCO"}
        )
        cls.carrier = cls.env["logistics.backend"].create(
            {
                "name": "Test Parcel Co",
                "code": "test_parcel",
                "kind": "carrier",
                "partner_id": cls.carrier_partner.id,
                "environment": "production",
                "carrier_protocol": "rest",
                "carrier_sync": "both",
                "base_url": cls.sandbox.url,
                "api_token": "carrier-token",
                "signing_secret": SECRET,
                "carrier_batch_size": 10,
                "carrier_quota_per_second": 0,
                "carrier_tracking_url": "https://parcel.example/track/{number}",
                "rate_limit_per_minute": 0,
                "max_attempts": 3,
            }
        )
        cls.env["logistics.carrier.code"].create(
            [
                {"backend_id": cls.carrier.id, "code": code, "status": status, "reason": reason}
                for code, status, reason in CODES
            ]
        )
        cls.shipping_method = cls.env["delivery.carrier"].create(
            {
                "name": "Test Parcel Ground",
                "delivery_type": "fixed",
                "product_id": cls.env.ref("delivery.product_product_delivery").id,
                "logistics_backend_id": cls.carrier.id,
            }
        )

    def setUp(self):
        super().setUp()
        self.sandbox.parcels.clear()
        self.sandbox.faults.clear()
        self.sandbox.requests = 0
        self.sandbox.statuses.clear()

    # --- parcels ---------------------------------------------------------------------

    @staticmethod
    def at(hours_ago):
        return datetime.now(timezone.utc) - timedelta(hours=hours_ago)

    def parcel(self, number, *scans, **extra):
        """A parcel at the sandbox whose ``scans`` are (code, hours ago[, reason])."""
        return self.sandbox.add(
            Parcel(
                number,
                self.at(48),
                [Scan(self.at(s[1]), s[0], "Chicago", "US", *s[2:]) for s in scans],
                **extra,
            )
        )

    def track(self, *numbers):
        Tracking = self.env["logistics.carrier.tracking"]
        return Tracking.browse([Tracking._track(self.carrier, n).id for n in numbers])

    def poll_now(self, trackings=None):
        """Make the numbers due, dispatch them as the cron does, run the jobs."""
        trackings = trackings or self.env["logistics.carrier.tracking"].search(
            [("backend_id", "=", self.carrier.id), ("state", "=", "tracking")]
        )
        trackings.write({"next_poll_at": fields.Datetime.now() - timedelta(seconds=1)})
        self.carrier.carrier_blocked_until = False
        self.env["logistics.carrier.tracking"]._dispatch_polls()
        self.run_jobs()

    def codes(self, shipment):
        return shipment.milestone_ids.sorted("event_time").mapped("code")
