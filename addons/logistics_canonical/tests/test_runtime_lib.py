import random
from datetime import datetime, timedelta

from odoo.tests import BaseCase, tagged

from ..lib import apikey, backoff, event_schema, signature
from ..lib.circuit import CLOSED, HALF_OPEN, OPEN, Circuit


@tagged("at_install", "-post_install")
class TestSignature(BaseCase):
    body = b'{"a": 1}'

    def test_round_trip_and_rotation(self):
        header = signature.sign("s1", self.body, timestamp=1000)
        self.assertEqual(signature.verify(header, self.body, ["s0", "s1"], now=1100), 1000)

    def test_refusals(self):
        header = signature.sign("s1", self.body, timestamp=1000)
        cases = [
            (header, self.body + b"x", ["s1"], 1000, "no valid signature"),
            (header, self.body, ["other"], 1000, "no valid signature"),
            (header, self.body, ["s1"], 1000 + 301, "tolerance"),
            (None, self.body, ["s1"], 1000, "missing"),
            ("v1=abc", self.body, ["s1"], 1000, "malformed"),
            ("t=x,v1=abc", self.body, ["s1"], 1000, "malformed"),
        ]
        for header_value, body, secrets, now, reason in cases:
            with (
                self.subTest(reason=reason),
                self.assertRaisesRegex(signature.SignatureError, reason),
            ):
                signature.verify(header_value, body, secrets, tolerance=300, now=now)

    def test_empty_secrets_never_match(self):
        header = signature.sign("", self.body, timestamp=1000)
        with self.assertRaises(signature.SignatureError):
            signature.verify(header, self.body, ["", None], now=1000)


@tagged("at_install", "-post_install")
class TestApiKey(BaseCase):
    def test_keys_are_random_and_hashed(self):
        first, second = apikey.generate(), apikey.generate()
        self.assertNotEqual(first, second)
        self.assertTrue(first.startswith("lgx_") and len(first) > 40)
        self.assertEqual(len(apikey.digest(first)), 64)
        self.assertNotIn(first[12:], apikey.hint(first))

    def test_bearer_header(self):
        self.assertEqual(apikey.from_authorization("Bearer abc"), "abc")
        self.assertEqual(apikey.from_authorization("bearer  abc "), "abc")
        for header in (None, "", "Basic abc", "Bearer ", "abc"):
            self.assertIsNone(apikey.from_authorization(header))


@tagged("at_install", "-post_install")
class TestBackoff(BaseCase):
    def test_pattern(self):
        self.assertEqual(backoff.parse_pattern("1:10, 3:60,5:300"), {1: 10, 3: 60, 5: 300})
        for bad in ("", "x", "1:a", "1-10"):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                backoff.parse_pattern(bad)

    def test_delay_follows_the_pattern_within_jitter(self):
        pattern = {1: 10, 3: 60, 5: 300}
        rng = random.Random(7)
        for attempt, base in ((1, 10), (2, 10), (3, 60), (4, 60), (5, 300), (9, 300)):
            for _sample in range(20):
                delay = backoff.delay(pattern, attempt, rng=rng)
                self.assertTrue(base * 0.8 - 1 <= delay <= base * 1.2 + 1, (attempt, delay))
        spread = {backoff.delay(pattern, 5, rng=rng) for _sample in range(20)}
        self.assertGreater(len(spread), 1, "jitter spreads retries")


@tagged("at_install", "-post_install")
class TestCircuit(BaseCase):
    def test_life_cycle(self):
        now = datetime(2024, 5, 1, 10, 0)
        circuit = Circuit(threshold=2, cooldown=60)
        self.assertTrue(circuit.allows(now))
        circuit.record_failure(now)
        self.assertEqual(circuit.state, CLOSED)
        circuit.record_failure(now)
        self.assertEqual(circuit.state, OPEN)
        self.assertFalse(circuit.allows(now + timedelta(seconds=59)))
        self.assertTrue(circuit.allows(now + timedelta(seconds=60)))
        self.assertEqual(circuit.state, HALF_OPEN)
        circuit.record_failure(now + timedelta(seconds=61))
        self.assertEqual(circuit.state, OPEN, "a failed probe reopens at once")
        self.assertTrue(circuit.allows(now + timedelta(seconds=121)))
        circuit.record_success()
        self.assertEqual((circuit.state, circuit.failures), (CLOSED, 0))

    def test_success_resets_the_count(self):
        circuit = Circuit(threshold=2)
        circuit.record_failure(datetime(2024, 5, 1))
        circuit.record_success()
        circuit.record_failure(datetime(2024, 5, 1))
        self.assertEqual(circuit.state, CLOSED)


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
