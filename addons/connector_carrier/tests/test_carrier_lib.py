"""The carrier protocol code, without a database: signatures, schedule, mapping."""

from datetime import datetime, timedelta, timezone

from odoo.tests import BaseCase

from ..lib import polling, taxonomy, webhook_signature
from ..lib.mapping import Mapping, MappingError

BODY = b'{"data": {"tracking_number": "1Z1"}}'
NOW = datetime(2026, 12, 1, 12, 0)


class TestWebhookSignature(BaseCase):
    def check(self, scheme, headers, secrets=("s3cret",), body=BODY, **options):
        return webhook_signature.verify(scheme, headers, body, list(secrets), **options)

    def test_hmac_base64_over_the_raw_body(self):
        headers = {"X-Sig": webhook_signature.sign("hmac_base64", BODY, "s3cret")["signature"]}
        self.check("hmac_base64", headers, header="X-Sig")
        # the same JSON, re-serialized, is not what was signed
        with self.assertRaises(webhook_signature.SignatureError):
            self.check(
                "hmac_base64", headers, header="X-Sig", body=b'{"data":{"tracking_number":"1Z1"}}'
            )
        with self.assertRaises(webhook_signature.SignatureError):
            self.check("hmac_base64", {}, header="X-Sig")

    def test_hmac_hex_with_prefix_and_rotation(self):
        signed = webhook_signature.sign("hmac_hex", BODY, "old", prefix="sha256=")["signature"]
        self.assertTrue(signed.startswith("sha256="))
        # the carrier still signs with the previous secret while we rotate
        self.check("hmac_hex", {"S": signed}, secrets=("new", "old"), header="S", prefix="sha256=")
        with self.assertRaises(webhook_signature.SignatureError):
            self.check(
                "hmac_hex", {"S": signed[7:]}, secrets=("old",), header="S", prefix="sha256="
            )
        with self.assertRaises(webhook_signature.SignatureError):
            self.check("hmac_hex", {"S": signed}, secrets=("new",), header="S", prefix="sha256=")

    def test_standard_webhooks_with_timestamp_window(self):
        secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        headers = webhook_signature.sign(
            "standard_webhooks", BODY, secret, webhook_id="msg_1", timestamp=1000
        )
        self.assertEqual(
            self.check("standard_webhooks", headers, secrets=(secret,), now=1100), "msg_1"
        )
        with self.assertRaisesRegex(webhook_signature.SignatureError, "replay"):
            self.check("standard_webhooks", headers, secrets=(secret,), now=2000)
        forged = {**headers, "webhook-id": "msg_2"}
        with self.assertRaises(webhook_signature.SignatureError):
            self.check("standard_webhooks", forged, secrets=(secret,), now=1100)

    def test_no_secret_refuses(self):
        with self.assertRaisesRegex(webhook_signature.SignatureError, "no webhook secret"):
            self.check("hmac_base64", {"X": "abc"}, secrets=("",), header="X")


class TestPollingSchedule(BaseCase):
    policy = polling.Policy()

    def next(self, stage, since_hours=1, **options):
        return polling.next_poll(
            self.policy, stage, NOW, NOW - timedelta(hours=since_hours), **options
        )

    def minutes(self, decision):
        return (decision.at - NOW).total_seconds() / 60

    def test_intervals_follow_the_stage(self):
        self.assertEqual(self.minutes(self.next(polling.PENDING)), 720)
        self.assertEqual(self.minutes(self.next(polling.IN_TRANSIT)), 240)
        self.assertEqual(self.minutes(self.next(polling.OUT_FOR_DELIVERY)), 45)
        self.assertEqual(self.minutes(self.next(polling.IN_TRANSIT, eta=NOW)), 60)

    def test_the_delivery_day_is_not_slept_through(self):
        decision = self.next(polling.IN_TRANSIT, eta=NOW + timedelta(hours=8))
        self.assertEqual((self.minutes(decision), decision.reason), (120, "delivery day starts"))

    def test_requests_with_room_take_numbers_due_soon(self):
        self.assertEqual(polling.batches([1, 2, 3], [4, 5, 6], 2), [[1, 2], [3, 4]])
        self.assertEqual(polling.batches([1], [2, 3], 5), [[1, 2, 3]])
        self.assertEqual(polling.batches([], [2, 3], 5), [])

    def test_backoff_while_quiet_and_reset_on_news(self):
        waits = [self.minutes(self.next(polling.IN_TRANSIT, quiet_polls=n)) for n in range(5)]
        self.assertEqual(waits, [240, 360, 540, 720, 720])

    def test_confirmation_then_done_and_retirement(self):
        self.assertEqual(self.minutes(self.next(polling.DELIVERED)), 240)
        self.assertIsNone(self.next(polling.DELIVERED, confirmed=True).at)
        self.assertIsNone(self.next(polling.FINAL).at)
        self.assertIsNone(self.next(polling.IN_TRANSIT, since_hours=11 * 24).at)

    def test_webhook_carriers_get_safety_polls_only(self):
        policy = polling.Policy(safety_hours=48)
        since = NOW - timedelta(hours=1)
        decision = polling.next_poll(policy, polling.IN_TRANSIT, NOW, since)
        self.assertEqual(decision.at, since + timedelta(hours=48))
        after_quiet = polling.next_poll(policy, polling.IN_TRANSIT, NOW, since, quiet_polls=1)
        self.assertEqual(after_quiet.at, NOW + timedelta(hours=48))


class TestMapping(BaseCase):
    def test_default_layout_with_lenient_values(self):
        document = {
            "tracking_number": " 1Z1 ",
            "estimated_delivery": "2026-12-03T17:00:00",
            "events": [
                {
                    "code": "IT",
                    "time": "2026-12-01T10:00:00Z",
                    "location": {"city": "Lyon", "country": "fr"},
                },
                {"code": "PU", "time": 1764540000},
                {"code": "", "time": "2026-12-01T09:00:00Z"},
            ],
            "charges": [
                {
                    "type": "fuel",
                    "amount": "12.50",
                    "currency": "usd",
                    "stage": "FINAL",
                    "invoice_number": " INV-77 ",
                }
            ],
        }
        reading = Mapping().parse(document)
        self.assertEqual(reading.number, "1Z1")
        self.assertEqual([e.code for e in reading.events], ["IT", "PU"])
        self.assertEqual(reading.events[0].country, "FR")
        self.assertEqual(reading.events[1].time.tzinfo, timezone.utc)
        self.assertEqual(reading.eta, datetime(2026, 12, 3, 17, tzinfo=timezone.utc))
        self.assertEqual((reading.charges[0].amount, reading.charges[0].currency), (12.5, "USD"))
        self.assertEqual(reading.charges[0].invoice, "INV-77")
        self.assertEqual(len(reading.deviations), 2)  # the ETA without offset, the skipped event
        self.assertIn("read as UTC", reading.deviations[0])

    def test_unix_times_in_seconds_or_milliseconds(self):
        document = {
            "tracking_number": "1",
            "events": [
                {"code": "A", "time": 1764583200},
                {"code": "B", "time": "1764583200000"},
                {"code": "C", "time": 10**30},
            ],
        }
        reading = Mapping().parse(document)
        self.assertEqual(
            [e.time for e in reading.events], [datetime(2025, 12, 1, 10, tzinfo=timezone.utc)] * 2
        )
        self.assertIn("not a unix time", reading.deviations[0])

    def test_another_layout_is_configuration(self):
        mapping = Mapping(
            {
                "poll_items": "results[].shipment",
                "number": "id",
                "events": "scans",
                "event_code": "status.code",
            }
        )
        body = {
            "results": [
                {
                    "shipment": {
                        "id": "A1",
                        "scans": [{"status": {"code": "X"}, "time": "2026-12-01T10:00:00+01:00"}],
                    }
                }
            ]
        }
        [document] = mapping.documents(body, "poll")
        self.assertEqual(mapping.parse(document).events[0].code, "X")

    def test_bad_mappings_are_refused(self):
        with self.assertRaisesRegex(MappingError, "JMESPath"):
            Mapping({"number": "foo[?"})
        with self.assertRaisesRegex(MappingError, "unknown"):
            Mapping({"colour": "a"})
        with self.assertRaisesRegex(MappingError, "JSON"):
            Mapping.from_json("{not json")


class TestTaxonomy(BaseCase):
    def test_reasons_refine_incidents(self):
        self.assertEqual(taxonomy.milestone_for("delivery_failed"), "DELIVERY_ATTEMPTED")
        self.assertEqual(taxonomy.milestone_for("delivery_failed", "consignee_refused"), "REFUSED")
        self.assertEqual(taxonomy.milestone_for("delayed", "carrier_damaged_parcel"), "DAMAGED")
        self.assertEqual(taxonomy.milestone_for("delivered", "consignee_refused"), "DELIVERED")
        self.assertEqual(len(taxonomy.STATUSES), 11)
