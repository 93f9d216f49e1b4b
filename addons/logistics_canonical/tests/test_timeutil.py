from datetime import datetime

from odoo.tests import BaseCase, tagged

from ..lib.timeutil import format_local, parse_event_time


@tagged("at_install", "-post_install")
class TestEventTime(BaseCase):
    def test_offset_is_converted_to_utc_and_kept(self):
        self.assertEqual(
            parse_event_time("2024-05-01T14:03:00+02:00"), (datetime(2024, 5, 1, 12, 3), 120)
        )
        self.assertEqual(
            parse_event_time("2024-05-01T07:03:00-05:00"), (datetime(2024, 5, 1, 12, 3), -300)
        )
        self.assertEqual(parse_event_time("2024-05-01T12:03:00Z"), (datetime(2024, 5, 1, 12, 3), 0))

    def test_time_without_offset_is_refused(self):
        with self.assertRaisesRegex(ValueError, "without UTC offset"):
            parse_event_time("2024-05-01T14:03:00")

    def test_garbage_is_refused_clearly(self):
        for bad in ("yesterday", "", "2024-13-01T00:00:00Z"):
            with self.assertRaisesRegex(ValueError, "not an ISO 8601"):
                parse_event_time(bad)
        with self.assertRaisesRegex(ValueError, "string"):
            parse_event_time(1714565000)

    def test_local_rendering_uses_the_source_offset(self):
        self.assertEqual(format_local(datetime(2024, 5, 1, 12, 3), 120), "2024-05-01 14:03 +02:00")
        self.assertEqual(format_local(datetime(2024, 5, 1, 2, 3), -300), "2024-04-30 21:03 -05:00")
        self.assertEqual(format_local(False, 0), "")
