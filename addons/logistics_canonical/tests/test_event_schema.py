from odoo.tests import BaseCase, tagged

from ..lib import event_schema


@tagged("at_install", "-post_install")
class TestEventIdentity(BaseCase):
    base = {"shipment_ref": "L1", "code": "IN_TRANSIT", "event_time": "2024-05-01T10:00:00+02:00"}

    def test_same_instant_same_identity(self):
        utc = {**self.base, "event_time": "2024-05-01T08:00:00Z"}
        self.assertEqual(event_schema.identity(self.base), event_schema.identity(utc))

    def test_what_makes_an_event_different(self):
        key = event_schema.identity(self.base)
        for change in (
            {"code": "DELIVERED"},
            {"shipment_ref": "L2"},
            {"classifier": "estimated"},
            {"stop": {"sequence": 2}},
            {"event_time": "2024-05-01T10:00:01+02:00"},
        ):
            with self.subTest(change=change):
                self.assertNotEqual(event_schema.identity({**self.base, **change}), key)
        self.assertEqual(
            event_schema.identity({**self.base, "note": "hello"}), key, "free text is no identity"
        )

    def test_event_id_wins(self):
        self.assertEqual(
            event_schema.identity({**self.base, "event_id": "x"}),
            event_schema.identity({**self.base, "code": "DELIVERED", "event_id": "x"}),
        )

    def test_errors_name_fields(self):
        self.assertEqual(event_schema.errors(self.base), [])
        errors = event_schema.errors(
            {"shipment_ref": "", "code": "IN_TRANSIT", "event_time": "x", "eta": 5}
        )
        self.assertEqual({e["field"] for e in errors}, {"shipment_ref", "event_time", "eta"})


@tagged("at_install", "-post_install")
class TestTwoValidatorsAgree(BaseCase):
    """The fast validator only ever says "valid" where the detailed one would."""

    base = {
        "shipment_ref": "L-1",
        "code": "PICKED_UP",
        "event_time": "2024-05-01T10:00:00+02:00",
    }

    def test_on_valid_and_invalid_events(self):
        cases = [
            self.base,
            {**self.base, "event_time": "2024-05-01T10:00:00"},  # no offset
            {**self.base, "event_time": "2024-05-01 10:00:00Z"},
            {**self.base, "eta": "tomorrow"},
            {**self.base, "code": "picked_up"},
            {**self.base, "code": "P" * 41},
            {**self.base, "extra": 1},
            {**self.base, "shipment": {"carrier_scac": "abcd"}},
            {**self.base, "shipment": {"carrier_scac": "ABCD", "mode": "ftl"}},
            {**self.base, "shipment": {"origin": {"city": "Lyon"}}},
            {**self.base, "location": {"country": "FRA"}},
            {**self.base, "stop": {"sequence": 0}},
            {**self.base, "note": "ünïcødé ✓ 貨物"},
            {k: v for k, v in self.base.items() if k != "code"},
            {**{k: v for k, v in self.base.items() if k != "code"}, "source_code": "AF"},
            {**self.base, "classifier": "guessed"},
            {**self.base, "schema_version": "2"},
        ]
        for event in cases:
            with self.subTest(event=event):
                detailed = list(event_schema._validator("1").iter_errors(event))
                self.assertEqual(event_schema._fast_validator("1").is_valid(event), not detailed)
