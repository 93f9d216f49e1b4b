import random
from datetime import datetime, timedelta

from odoo.tests import BaseCase, tagged

from ..lib import apikey, backoff, lanes, registry, signature
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
class TestLanes(BaseCase):
    def test_one_subject_one_lane(self):
        self.assertEqual(lanes.lane_of("LOAD-1", 4), lanes.lane_of("LOAD-1", 4))
        self.assertEqual(lanes.lane_of(None, 4), lanes.lane_of("", 4))
        spread = {lanes.lane_of(f"LOAD-{n}", 4) for n in range(100)}
        self.assertEqual(spread, {0, 1, 2, 3})

    def test_lock_keys_do_not_collide_past_a_hundred_lanes(self):
        """The old key backend * 1000 + lane * 10 + channel made backend 1 lane
        100 the same lock as backend 2 lane 0."""
        keys = {
            lanes.lock_key("drain", backend, lane, channel)
            for backend in range(1, 21)
            for lane in range(150)
            for channel in lanes.CHANNELS
        }
        self.assertEqual(len(keys), 20 * 150 * 2)
        self.assertTrue(all(-(2**63) <= key < 2**63 for key in keys))
        self.assertNotEqual(lanes.lock_key("drain", 1, 0), lanes.lock_key("deliver", 1, 0))


@tagged("at_install", "-post_install")
class TestRegistry(BaseCase):
    def test_each_key_has_one_owner(self):
        table = registry.build([("a", [("api", "event")]), ("b", [("edi", "x12"), ("*", "event")])])
        self.assertEqual(table[("api", "event")], "a")
        self.assertEqual(table[("*", "event")], "b")

    def test_two_claims_on_one_key_are_an_error(self):
        with self.assertRaisesRegex(registry.AmbiguousRegistration, "claimed by both a and b"):
            registry.build([("a", [("edi", "x12")]), ("b", [("edi", "x12")])])
