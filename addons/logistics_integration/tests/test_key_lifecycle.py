"""An API key's life: when and from where it was last used, a rotation
reminder before it expires, revocation, and all of it on a timeline."""

from datetime import datetime, timedelta

from odoo import fields
from odoo.sql_db import connection_info_for
from odoo.tests import TransactionCase, new_test_user, tagged

from ..lib import key_usage, rate_counter, timeline


@tagged("post_install", "-at_install")
class TestKeyLifecycle(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env, "key_admin", "logistics_integration.group_integration_admin"
        )
        cls.backend = cls.env["logistics.backend"].create({"name": "Partner TMS", "code": "ptms"})
        cls.Key = cls.env["logistics.backend.key"].with_user(cls.admin)

    def key(self, name, **values):
        key, _plain = self.Key._generate(self.backend, name)
        key.sudo().write(values)
        return key

    def test_last_use_is_noted_once_a_minute_per_address_outside_the_transaction(self):
        _db, params = connection_info_for(self.env.cr.dbname)
        key_id = 10**9 + self.backend.id  # no row needed: usage is keyed by id only
        self.addCleanup(
            rate_counter.execute,
            params,
            "DELETE FROM logistics_key_usage WHERE key_id = %s RETURNING key_id",
            [key_id],
        )
        for address, due in (
            ("10.0.0.1", True),
            ("10.0.0.1", False),  # within the minute
            ("10.0.0.2", True),  # from elsewhere: noted
        ):
            self.assertEqual(key_usage.due(key_id, address), due)
            if due:
                key_usage.note(params, key_id, address)
        # committed on its own connection, whatever the request's transaction does
        row = rate_counter.execute(
            params,
            "SELECT last_used_from, now() AT TIME ZONE 'UTC' - last_used_at"
            " FROM logistics_key_usage WHERE key_id = %s",
            [key_id],
        )
        self.assertEqual(row[0], "10.0.0.2")
        self.assertLess(row[1], timedelta(minutes=1))

    def test_the_key_shows_its_last_use(self):
        key = self.key("ERP")
        self.assertFalse(key.last_used_at)
        self.env.cr.execute(
            "INSERT INTO logistics_key_usage VALUES (%s, '2026-12-01 08:30:00', '198.51.100.7')",
            [key.id],
        )
        key.invalidate_recordset(["last_used_at", "last_used_from"])
        self.assertEqual(key.last_used_at, datetime(2026, 12, 1, 8, 30))
        self.assertEqual(key.last_used_from, "198.51.100.7")

    def test_an_administrator_is_asked_to_rotate_a_key_before_it_expires(self):
        now = fields.Datetime.now()
        soon = self.key("Expiring", expires_at=now + timedelta(days=10))
        self.key("Later", expires_at=now + timedelta(days=30))
        self.key("Forever")
        self.assertEqual(soon.state, "expiring")
        self.assertEqual(self.Key._warn_expiring(), soon)
        activity = self.backend.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.admin)  # who made the key
        self.assertIn("Expiring", activity.summary)
        self.assertEqual(activity.date_deadline, (now + timedelta(days=9)).date())
        self.assertFalse(self.Key._warn_expiring())  # once per expiry date
        soon.expires_at = now + timedelta(days=12)  # extended: warned again
        self.assertEqual(self.Key._warn_expiring(), soon)
        self.assertEqual(len(self.backend.activity_ids), 2)

    def test_revocation_and_the_timeline(self):
        old = self.key("Old key")
        new = self.key("New key", expires_at=fields.Datetime.now() + timedelta(days=90))
        old.action_revoke()
        self.assertTrue(old.revoked_at)
        self.assertEqual((old.state, new.state), ("revoked", "active"))
        html = str(self.backend.key_timeline)
        self.assertIn("Old key", html)
        self.assertIn("New key", html)
        self.assertIn("Revoked", html)
        self.assertIn("never used", html)
        old.active = True  # re-enabled: no longer revoked
        self.assertFalse(old.revoked_at)

    def test_timeline_layout(self):
        start, now = datetime(2026, 1, 1), datetime(2026, 1, 31)
        bars, now_at = timeline.layout(
            [
                {"start": start, "end": datetime(2026, 1, 21), "mark": datetime(2026, 1, 16)},
                {"start": datetime(2026, 1, 11), "end": None},
                {"start": datetime(2026, 1, 16), "end": datetime(2026, 3, 2)},
            ],
            now,
        )
        # the axis runs from the first start to the last end (60 days), plus 4 %
        self.assertEqual([bar["left"] for bar in bars], [0.0, 16.03, 24.04])
        self.assertEqual(bars[0]["mark_at"], 24.04)
        self.assertEqual(bars[1]["left"] + bars[1]["width"], 100.0)  # no end: to the axis' end
        self.assertEqual(bars[0]["left"] + bars[0]["width"], 32.05)  # ends overlapping the next
        self.assertEqual(now_at, 48.08)
        self.assertEqual(timeline.layout([], now), ([], 0.0))
