import json
import time
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.sql_db import connection_info_for
from odoo.tests import tagged

from odoo.addons.logistics_integration.lib import rate_counter, signature
from odoo.addons.logistics_integration.tests.test_secrets import keys

from ..lib import event_schema
from .common_api import ApiCase


@tagged("post_install", "-at_install")
class TestInboundApi(ApiCase):
    """Every answer of the inbound API, over real HTTP."""

    def test_accept_then_process(self):
        response = self.post(self.event(), headers={"X-Correlation-ID": "trace-me-1"})
        self.assertEqual(response.status_code, 202, response.text)
        body = response.json()
        self.assertEqual(body["state"], "queued")
        self.assertFalse(body["duplicate"])
        self.assertEqual(body["correlation_id"], "trace-me-1")
        message = self.message(response)
        self.assertEqual(
            message.payload, json.dumps(self.event()), "the raw payload is kept as sent"
        )
        self.assertEqual(message.correlation_id, "trace-me-1")
        drains = self.env["queue.job"].search(
            [("method_name", "=", "_drain"), ("state", "=", "pending")]
        )
        self.assertTrue(drains, "accepting enqueues a drain job")
        self.assertEqual(drains.channel, "root.logistics.realtime")

        self.run_jobs()
        self.assertEqual(message.state, "done")
        shipment = message.shipment_id
        self.assertEqual(shipment.status, "in_transit")
        self.assertEqual(shipment.milestone_ids.message_id, message)
        steps = [step["step"] for step in json.loads(message.trace)]
        self.assertEqual(steps, ["decode, map, apply, rules", "result"], "applied with its batch")
        state = self.url_open(
            f"/logistics/v1/messages/{message.id}", headers={"Authorization": f"Bearer {self.key}"}
        ).json()
        self.assertEqual((state["state"], state["shipment"]), ("done", shipment.name))

    def test_duplicate_returns_the_original(self):
        first = self.post(self.event())
        again = self.post(self.event())
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.json()["message_id"], first.json()["message_id"])
        self.assertTrue(again.json()["duplicate"])
        # same instant written with another offset: the same event
        same_instant = self.post(self.event(when="2024-05-01T08:00:00Z"))
        self.assertEqual(same_instant.json()["message_id"], first.json()["message_id"])
        # an explicit key wins over the body
        keyed = self.post(self.event(code="DELIVERED"), headers={"Idempotency-Key": "k-1"})
        keyed_again = self.post(self.event(code="PICKED_UP"), headers={"Idempotency-Key": "k-1"})
        self.assertEqual(keyed.status_code, 202)
        self.assertEqual(
            (keyed_again.status_code, keyed_again.json()["message_id"]),
            (200, keyed.json()["message_id"]),
        )
        count = self.env["logistics.integration.message"].search_count(
            [("backend_id", "=", self.backend.id)]
        )
        self.assertEqual(count, 2)

    def test_malformed_bodies_are_4xx_naming_the_problem_and_kept(self):
        cases = [
            (b"{not json", {}, 400, "invalid_json", None),
            (b"\xff\xfe", {}, 400, "invalid_encoding", None),
            (
                json.dumps(self.event()).encode(),
                {"Content-Type": "text/plain"},
                415,
                "unsupported_media_type",
                None,
            ),
            (
                json.dumps({"code": "IN_TRANSIT", "event_time": "2024-05-01T10:00:00Z"}).encode(),
                {},
                422,
                "validation_failed",
                "shipment_ref",
            ),
            (
                json.dumps(self.event(when="2024-05-01T10:00:00")).encode(),
                {},
                422,
                "validation_failed",
                "event_time",
            ),
            (
                json.dumps(self.event(when="soon")).encode(),
                {},
                422,
                "validation_failed",
                "event_time",
            ),
            (
                json.dumps(self.event(code="in transit")).encode(),
                {},
                422,
                "validation_failed",
                "code",
            ),
            (
                json.dumps({**self.event(), "colour": "red"}).encode(),
                {},
                422,
                "validation_failed",
                "colour",
            ),
            (
                json.dumps(self.event(location={"country": "France"})).encode(),
                {},
                422,
                "validation_failed",
                "location/country",
            ),
            (json.dumps([1, 2]).encode(), {}, 422, "validation_failed", ""),
            (json.dumps(self.event()).encode("utf-16"), {}, 400, "invalid_encoding", None),
            (b"\xef\xbb\xbf" + json.dumps(self.event()).encode(), {}, 400, "invalid_json", None),
            (
                json.dumps(self.event(ref="A\u0000B")).encode(),
                {},
                422,
                "validation_failed",
                "shipment_ref",
            ),
            (
                json.dumps(self.event(location={"name": "\ud800"})).encode(),
                {},
                422,
                "validation_failed",
                "location/name",
            ),
            (
                json.dumps(self.event(when="9999-12-31T23:59:59-23:59")).encode(),
                {},
                422,
                "validation_failed",
                "event_time",
            ),
            (b"[" * 100000 + b"]" * 100000, {}, 400, "invalid_json", None),
            (
                json.dumps({"shipment_ref": "A", "event_time": "2024-05-01T10:00:00Z"}).encode(),
                {},
                422,
                "validation_failed",
                "code",
            ),
        ]
        for raw, headers, status, code, field in cases:
            with self.subTest(raw=raw[:40]):
                response = self.post(None, raw=raw, headers=headers)
                self.assertEqual(response.status_code, status, response.text)
                error = response.json()["error"]
                self.assertEqual(error["code"], code)
                if field is not None:
                    self.assertIn(field, [f["field"] for f in error["fields"]])
        rejected = self.env["logistics.integration.message"].search(
            [("backend_id", "=", self.backend.id), ("state", "=", "rejected")]
        )
        self.assertEqual(len(rejected), len(cases), "every refused payload stays in the log")
        self.assertIn("invalid_json", rejected.mapped("error_code"))

    def test_authentication(self):
        anonymous = self.url_open(
            "/logistics/v1/events", data=b"{}", headers={"Content-Type": "application/json"}
        )
        self.assertEqual(anonymous.status_code, 401)
        self.assertEqual(anonymous.headers["WWW-Authenticate"], "Bearer")
        self.assertEqual(self.post(self.event(), key="lgx_not-a-key").status_code, 401)
        record, key = self.env["logistics.backend.key"]._generate(self.backend, "revoked")
        self.assertEqual(self.post(self.event(ref="A"), key=key).status_code, 202)
        record.action_revoke()
        self.assertEqual(self.post(self.event(ref="B"), key=key).status_code, 401)
        expired, expired_key = self.env["logistics.backend.key"]._generate(self.backend, "expired")
        expired.expires_at = "2020-01-01 00:00:00"
        self.assertEqual(self.post(self.event(ref="C"), key=expired_key).status_code, 401)
        self.backend.active = False
        self.assertEqual(self.post(self.event(ref="D")).status_code, 401)

    def test_outbound_only_backend_is_forbidden(self):
        mail_backend = self.env["logistics.backend"]._mail_backend(self.env.company)
        _record, key = self.env["logistics.backend.key"]._generate(mail_backend)
        response = self.post(self.event(), key=key)
        self.assertEqual(
            (response.status_code, response.json()["error"]["code"]), (403, "forbidden")
        )

    def test_body_limit(self):
        self.env["ir.config_parameter"].set_param("logistics.api.max_body_bytes", "200")
        response = self.post(self.event(note="x" * 300))
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.json()["error"]["code"], "payload_too_large")
        self.assertEqual(self.post(self.event()).status_code, 202)

    def test_rate_limit_answers_429_with_retry_after(self):
        backend = self.env["logistics.backend"].create(
            {"name": "Chatty", "code": "chatty", "rate_limit_per_minute": 2}
        )
        _record, key = self.env["logistics.backend.key"]._generate(backend)
        second = int(time.strftime("%S"))
        if second > 55:  # stay inside one counting minute
            time.sleep(61 - second)
        statuses = [self.post(self.event(ref=f"R{i}"), key=key).status_code for i in range(3)]
        self.assertEqual(statuses, [202, 202, 429])
        limited = self.post(self.event(ref="R9"), key=key)
        self.assertGreaterEqual(int(limited.headers["Retry-After"]), 1)
        self.assertEqual(limited.json()["error"]["code"], "rate_limited")

    def test_a_key_is_refused_outside_its_scopes(self):
        events = self.env.ref("logistics_canonical.api_scope_events")
        _record, key = self.env["logistics.backend.key"]._generate(
            self.backend, "events only", scopes=events
        )
        accepted = self.post(self.event(ref="SCOPE-1"), key=key)
        self.assertEqual(accepted.status_code, 202, accepted.text)
        message_id = accepted.json()["message_id"]
        for method, path in (
            ("GET", f"/logistics/v1/messages/{message_id}"),
            ("GET", "/logistics/v1/subscriptions"),
        ):
            with self.subTest(path=path):
                refused = self.opener.request(
                    method,
                    self.base_url() + path,
                    headers={"Authorization": f"Bearer {key}"},
                    timeout=10,
                )
                self.assertEqual(refused.status_code, 403, refused.text)
                self.assertEqual(refused.json()["error"]["code"], "insufficient_scope")
                scope = "messages" if "messages" in path else "subscriptions"
                self.assertIn(scope, refused.json()["error"]["message"])
                self.assertIn(f'scope="{scope}"', refused.headers["WWW-Authenticate"])
        # the OpenAPI document says which scope each route needs
        document = self.url_open("/logistics/v1/openapi.json").json()
        self.assertEqual(
            document["paths"]["/logistics/v1/events"]["post"]["security"], [{"apiKey": ["events"]}]
        )

    def test_an_address_outside_the_allowlist_is_refused_first(self):
        self.backend.allowed_networks = "203.0.113.0/24\n2001:db8::/32"
        refused = self.post(self.event(ref="ALLOW-1"))
        self.assertEqual(refused.status_code, 403, refused.text)
        self.assertEqual(refused.json()["error"]["code"], "address_not_allowed")
        # an expired key from there learns nothing about its key either
        expired, expired_key = self.env["logistics.backend.key"]._generate(self.backend, "old")
        expired.expires_at = "2020-01-01 00:00:00"
        self.assertEqual(
            self.post(self.event(ref="ALLOW-2"), key=expired_key).json()["error"]["code"],
            "address_not_allowed",
        )
        self.backend.allowed_networks = "203.0.113.0/24, 127.0.0.0/8"
        self.assertEqual(self.post(self.event(ref="ALLOW-3")).status_code, 202)
        with self.assertRaisesRegex(ValidationError, "no IP address or network"):
            self.backend.allowed_networks = "intranet"

    def test_each_request_tells_when_and_from_where_its_key_was_last_used(self):
        key, plain = self.env["logistics.backend.key"]._generate(self.backend, "usage")
        _db, params = connection_info_for(self.env.cr.dbname)
        used = "SELECT last_used_from FROM logistics_key_usage WHERE key_id = %s"
        self.assertIsNone(rate_counter.execute(params, used, [key.id]))
        refused = self.post({"not": "an event"}, key=plain)  # refused content: still a use
        self.assertEqual(refused.status_code, 422, refused.text)
        self.assertEqual(rate_counter.execute(params, used, [key.id]), ("127.0.0.1",))
        rate_counter.execute(
            params, "DELETE FROM logistics_key_usage WHERE key_id = %s RETURNING key_id", [key.id]
        )

    def test_a_v1_event_stays_valid_while_v2_exists(self):
        v1 = self.event(ref="VER-1", code="PICKED_UP", event_id="ver-1")
        v2 = {
            "schema_version": "2",
            "event_id": "ver-2",
            "shipment": {"ref": "VER-1", "identifiers": [{"type": "pro", "value": "PRO-V2"}]},
            "milestone": {"code": "IN_TRANSIT", "text": "Left Chicago"},
            "event_time": "2024-05-01T12:00:00+02:00",
            "location": {"city": "Chicago", "country": "US"},
        }
        messages = self.env["logistics.integration.message"]
        for event, version in ((v1, "1"), (v2, "2")):
            response = self.post(event)
            self.assertEqual(response.status_code, 202, response.text)
            messages |= self.message(response)
            self.assertEqual(messages[-1:].schema_version, version)
        self.run_jobs()
        self.assertEqual(
            messages.mapped("state"), ["done", "done"], messages.mapped("error_message")
        )
        shipment = messages.shipment_id
        self.assertEqual(len(shipment), 1)
        self.assertEqual(
            shipment.milestone_ids.sorted("event_time").mapped("code"), ["PICKED_UP", "IN_TRANSIT"]
        )
        self.assertEqual(
            shipment.milestone_ids.sorted("event_time")[-1].source_text, "Left Chicago"
        )
        self.assertIn("PRO-V2", shipment.identifier_ids.mapped("value"))
        # the same event sent again in the other version is the same event
        again = {**v2, "event_id": "ver-1", "milestone": {"code": "PICKED_UP"}}
        self.assertEqual(self.post(again).status_code, 200)
        # v2 errors name v2 fields; an unknown version names the versions there are
        refused = self.post({**v2, "milestone": {"text": "?"}})
        self.assertEqual(refused.status_code, 422)
        self.assertEqual(refused.json()["error"]["fields"][0]["field"], "milestone/code")
        refused = self.post({**v2, "schema_version": "3"})
        self.assertIn("known: 1, 2", refused.json()["error"]["fields"][0]["message"])
        # the document says which versions exist and until when each is accepted
        versions = self.url_open("/logistics/v1/openapi.json").json()["info"][
            "x-event-schema-versions"
        ]
        self.assertEqual(
            [(v["version"], v["deprecated"]) for v in versions],
            [("1", event_schema.VERSIONS["1"].deprecated), ("2", None)],
        )

    def test_replay_reads_a_message_in_the_version_it_was_accepted_under(self):
        response = self.post(self.event(ref="VER-R", code="PICKED_UP"))
        message = self.message(response)
        self.assertEqual(message.schema_version, "1")
        with patch.object(event_schema, "DEFAULT_VERSION", "2"):  # the default moved on
            self.run_jobs()
            message.action_replay()
            self.run_jobs()
        self.assertEqual(message.state, "done", message.error_message)

    def test_signatures_cannot_be_checked_without_the_key(self):
        self.backend.write({"require_signature": True, "signing_secret": "kept-secret"})
        body = json.dumps(self.event(ref="NOKEY-1")).encode()
        with keys():
            self.env.registry.clear_cache()  # the API caches what it read with the key
            response = self.post(
                None, raw=body, headers={signature.HEADER: signature.sign("kept-secret", body)}
            )
        self.env.registry.clear_cache()
        self.assertEqual(response.status_code, 503, "ours to fix: the partner retries")
        self.assertEqual(response.json()["error"]["code"], "secrets_unavailable")

    def test_signature_with_rotation_and_replay_window(self):
        self.backend.write(
            {
                "require_signature": True,
                "signing_secret": "new-secret",
                "signing_secret_previous": "old-secret",
                "signature_tolerance": 300,
            }
        )
        body = json.dumps(self.event()).encode()

        def send(header):
            headers = {signature.HEADER: header} if header else {}
            return self.post(None, raw=body, headers=headers)

        self.assertEqual(send(None).status_code, 401)
        self.assertEqual(send("garbage").json()["error"]["code"], "invalid_signature")
        for malformed in ("t=\u00b2,v1=ab", "t=1,v1=\u00e9t\u00e9"):
            self.assertEqual(send(malformed).status_code, 401, malformed)
        self.assertEqual(send(signature.sign("wrong", body)).status_code, 401)
        self.assertEqual(
            send(signature.sign("new-secret", body, time.time() - 3600)).status_code, 401
        )
        tampered = signature.sign("new-secret", body + b" ")
        self.assertEqual(send(tampered).status_code, 401)
        self.assertEqual(send(signature.sign("old-secret", body)).status_code, 202)
        self.assertEqual(
            send(signature.sign("new-secret", body)).status_code, 200, "same event: duplicate"
        )

    def test_batch_answers_each_event(self):
        events = [
            self.event(ref="B1"),
            {"shipment_ref": "B2"},
            self.event(ref="B1"),  # the same event twice in one batch
            self.event(ref="B3", code="DELIVERED"),
        ]
        response = self.post({"events": events}, path="/logistics/v1/events/batch")
        self.assertEqual(response.status_code, 200, response.text)
        results = response.json()["results"]
        self.assertEqual([r["status"] for r in results], [202, 422, 200, 202])
        self.assertEqual(results[0]["message_id"], results[2]["message_id"])
        self.assertIn("event_time", [f["field"] for f in results[1]["error"]["fields"]])
        again = self.post({"events": events[:1]}, path="/logistics/v1/events/batch").json()[
            "results"
        ]
        self.assertEqual(
            (again[0]["status"], again[0]["message_id"]), (200, results[0]["message_id"])
        )
        message = self.env["logistics.integration.message"].browse(results[3]["message_id"])
        self.assertEqual(message.channel, "batch")
        self.run_jobs()
        self.assertEqual(message.shipment_id.status, "delivered")

    def test_batch_limits(self):
        self.env["ir.config_parameter"].set_param("logistics.api.batch_max_events", "3")
        too_many = self.post(
            {"events": [self.event(ref=str(i)) for i in range(4)]},
            path="/logistics/v1/events/batch",
        )
        self.assertEqual(
            (too_many.status_code, too_many.json()["error"]["code"]), (422, "too_many_events")
        )
        for bad in ({"events": []}, {"events": "x"}, [self.event()]):
            response = self.post(bad, path="/logistics/v1/events/batch")
            self.assertEqual(response.status_code, 422, bad)
            self.assertEqual(response.json()["error"]["fields"][0]["field"], "events")

    def test_message_status_of_another_backend_is_not_found(self):
        message_id = self.post(self.event()).json()["message_id"]
        other = self.env["logistics.backend"].create({"name": "Other", "code": "other_api"})
        _record, key = self.env["logistics.backend.key"]._generate(other)
        response = self.url_open(
            f"/logistics/v1/messages/{message_id}", headers={"Authorization": f"Bearer {key}"}
        )
        self.assertEqual(response.status_code, 404)

    def test_openapi_document_matches_the_routes(self):
        document = self.url_open("/logistics/v1/openapi.json").json()
        self.assertEqual(document["openapi"], "3.1.0")
        schemas = document["components"]["schemas"]
        self.assertEqual(
            schemas["Event"]["oneOf"],
            [{"$ref": "#/components/schemas/EventV1"}, {"$ref": "#/components/schemas/EventV2"}],
        )
        published = schemas["EventV1"]
        schema = event_schema.schema("1")
        # "code or source_code" is published as two complete alternatives
        self.assertEqual(
            [branch["required"] for branch in published["anyOf"]],
            [[*schema["required"], "code"], [*schema["required"], "source_code"]],
        )
        for branch in published["anyOf"]:
            self.assertEqual(set(branch["properties"]), set(schema["properties"]))
            self.assertEqual(
                branch["properties"]["code"], {**schema["properties"]["code"]}, "same rules"
            )
            self.assertEqual(branch["properties"]["note"]["pattern"], "^[^\\u0000]*$")
        operations = {(path, method) for path, item in document["paths"].items() for method in item}
        # connectors add their own routes (a carrier's webhook): these are this module's
        self.assertLessEqual(
            {
                ("/logistics/v1/events", "post"),
                ("/logistics/v1/events/batch", "post"),
                ("/logistics/v1/messages/{message_id}", "get"),
                ("/logistics/v1/subscriptions", "get"),
                ("/logistics/v1/subscriptions", "post"),
                ("/logistics/v1/subscriptions/{subscription_id}", "delete"),
            },
            operations,
        )
        documented = set(document["paths"]["/logistics/v1/events"]["post"]["responses"])
        self.assertEqual(
            documented, {"200", "202", "400", "401", "403", "413", "415", "422", "429"}
        )
        for path in (
            "/logistics/v1/events",
            "/logistics/v1/events/batch",
            "/logistics/v1/subscriptions",
        ):
            # every documented POST route exists and authenticates
            self.assertEqual(self.url_open(path, data=b"{}").status_code, 401)
