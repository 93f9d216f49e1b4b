"""Mapping templates: the functions, the checks on save, versions, the preview."""

import html
import json

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.logistics_integration.tests.common import assert_audited

from ..lib import functions
from ..lib.template import Template, TemplateError

ADMIN = "logistics_integration.group_integration_admin"
MINIMAL = {"inbound": {"items": "events", "fields": {"event_id": "id", "event_time": "at"}}}


def search(expression, data, resolver=None):
    import jmespath

    found = functions.Functions(resolver)
    value = jmespath.search(expression, data, jmespath.Options(custom_functions=found))
    return value, found


class TestTemplateFunctions(TransactionCase):
    def test_decimal_reads_what_partners_write(self):
        for written, number in [
            ("1,250.00", 1250.0),
            ("1.250,00", 1250.0),
            ("12,5", 12.5),
            ("1,250", 1250.0),
            (" 75 ", 75.0),
            (99, 99.0),
        ]:
            self.assertEqual(search("decimal(a)", {"a": written})[0], number, written)
        value, found = search("decimal(a)", {"a": "twelve"})
        self.assertIsNone(value)
        self.assertEqual(found.deviations, ["decimal: 'twelve' is not a number"])

    def test_datetime_reads_local_wall_times_in_their_zone(self):
        july = search("datetime(a, 'America/Chicago')", {"a": "2026-07-01 08:10"})[0]
        self.assertEqual(july, "2026-07-01T08:10:00-05:00")
        winter = search("datetime(a, 'America/Chicago')", {"a": "12/01/2026 08:10"})[0]
        self.assertEqual(winter, "2026-12-01T08:10:00-06:00")
        moved = search("datetime(a, 'Europe/Paris')", {"a": "2026-07-01T06:10:00Z"})[0]
        self.assertEqual(moved, "2026-07-01T08:10:00+02:00")
        epoch = search("datetime(a, 'UTC')", {"a": 1777640000})[0]
        self.assertEqual(epoch, "2026-05-01T12:53:20+00:00")
        value, found = search("datetime(a, 'Mars/Olympus')", {"a": "2026-07-01 08:10"})
        self.assertIsNone(value)
        self.assertIn("unknown time zone", found.deviations[0])

    def test_convert_concat_and_lookup(self):
        self.assertAlmostEqual(search("convert(w, 'lb', 'kg')", {"w": "2,204.62"})[0], 1000, 2)
        self.assertEqual(search("convert(d, 'mi', 'km')", {"d": 10})[0], 16.09344)
        value, found = search("convert(w, 'kg', 'km')", {"w": 1})
        self.assertIsNone(value)
        self.assertTrue(found.deviations)
        self.assertEqual(search("concat(a, ' ', b)", {"a": "Jo", "b": None})[0], "Jo")
        self.assertIsNone(search("concat(a, ' ', b)", {})[0])
        table = {("flatline_status", "D1"): "DELIVERED"}
        value, found = search("lookup('flatline_status', c)", {"c": "D1"}, lambda *k: table.get(k))
        self.assertEqual(value, "DELIVERED")
        value, found = search("lookup('flatline_status', c)", {"c": "ZZ"}, lambda *k: table.get(k))
        self.assertIsNone(value)
        self.assertEqual(found.unmapped, [("flatline_status", "ZZ")])


class TestTemplate(TransactionCase):
    def test_bad_templates_are_refused_with_the_reason(self):
        for spec, reason in [
            ({}, "inbound: is required"),
            ({"inbound": {"items": "events", "fields": {"event_id": "id"}}}, "event_time"),
            (
                {
                    "inbound": {
                        **MINIMAL["inbound"],
                        "fields": {"event_id": "id", "event_time": "at", "colour": "c"},
                    }
                },
                "colour",
            ),
            (
                {
                    "inbound": {
                        **MINIMAL["inbound"],
                        "fields": {"event_id": "id[", "event_time": "at"},
                    }
                },
                "not JMESPath",
            ),
            ({**MINIMAL, "tender": {"path": "tenders", "body": "@"}}, "does not match"),
        ]:
            with self.assertRaisesRegex(TemplateError, reason):
                Template(spec)
        with self.assertRaisesRegex(TemplateError, "not JSON"):
            Template.from_json("{")

    def test_mapped_events_are_checked_against_the_event_schema(self):
        template = Template(
            {"inbound": {"items": "@", "fields": {**MINIMAL["inbound"]["fields"], "load_id": "l"}}}
        )
        good = template.map({"id": 1, "at": "2026-05-01T08:00:00-05:00", "l": "L1"})
        self.assertEqual(good.problems, [])
        self.assertEqual(good.event["event_id"], "1")
        naive = template.map({"id": 1, "at": "2026-05-01 08:00", "l": "L1"})
        self.assertEqual(naive.problems[0]["field"], "event_time")
        orphan = template.map({"id": 1, "at": "2026-05-01T08:00:00Z"})
        self.assertTrue(orphan.problems)  # neither an order nor a load
        number = template.map({"id": 1, "at": 1777640000.5, "l": "L1"})  # a time as a number
        self.assertEqual(number.problems[0]["field"], "event_time")

    def test_saving_a_template_keeps_a_version_and_refuses_a_bad_body(self):
        template = self.env["logistics.tms.template"].create(
            {"name": "Acme", "code": "acme", "body": json.dumps(MINIMAL), "change_note": "first"}
        )
        self.assertEqual(template.version_id.number, 1)
        self.assertEqual(template.version_id.note, "first")
        with self.assertRaisesRegex(ValidationError, "not JMESPath"):
            template.body = json.dumps(
                {"inbound": {"items": "[", "fields": MINIMAL["inbound"]["fields"]}}
            )
        changed = {**MINIMAL, "inbound": {**MINIMAL["inbound"], "items": "data"}}
        template.write({"body": json.dumps(changed), "change_note": "events under data"})
        self.assertEqual(sorted(template.version_ids.mapped("number")), [1, 2])
        self.assertEqual(template.version_id.note, "events under data")
        self.assertEqual(template._compiled().events({"data": [{"id": 1}]}), [{"id": 1}])
        first = template.version_ids.filtered(lambda v: v.number == 1)
        self.assertEqual(template._compiled(first).events({"events": [{"id": 2}]}), [{"id": 2}])

    def test_shipped_dialects_read_the_same_event_alike(self):
        resolver = self.env["logistics.processor.tms"]._resolver(self.env["logistics.backend"])
        nested = self.env.ref("connector_tms.tms_template_routemaster")._compiled()
        flat = self.env.ref("connector_tms.tms_template_flatline")._compiled()
        a = nested.map(
            {
                "id": "evt_1",
                "type": "stop.arrived",
                "occurredAt": "2026-07-01T08:10:00-05:00",
                "load": {"id": "L-1", "reference": "S00042"},
                "stop": {"sequence": 2, "type": "DELIVERY"},
            },
            resolver,
        )
        b = flat.map(
            {
                "evt_id": 9,
                "evt": "X1",
                "load_no": 884201,
                "ref_no": "S00042",
                "evt_dt": "2026-07-01 08:10",
                "evt_tz": "America/Chicago",
                "stop_no": "2",
            },
            resolver,
        )
        for mapped in (a, b):
            self.assertEqual(mapped.problems, [])
            self.assertEqual(mapped.event["code"], "ARRIVED_DELIVERY")
            self.assertEqual(mapped.event["event_time"], "2026-07-01T08:10:00-05:00")
            self.assertEqual(mapped.event["stop_sequence"], 2)
            self.assertEqual(mapped.event["order_ref"], "S00042")
        self.assertEqual(b.event["load_id"], "884201")
        without_load = flat.map(
            {"evt_id": 10, "evt": "X1", "ref_no": "S00042", "evt_dt": "2026-07-01 08:10"},
            resolver,
        )
        self.assertNotEqual(without_load.event.get("load_id"), "null")  # no load, no load id

    def test_preview_shows_the_reading_and_every_problem(self):
        template = self.env.ref("connector_tms.tms_template_flatline")
        preview = self.env["logistics.tms.mapping.preview"].create(
            {
                "template_id": template.id,
                "version_id": template.version_id.id,
                "raw": json.dumps(
                    {
                        "evt_id": 5,
                        "evt": "ZZ",
                        "ref_no": "S1",
                        "evt_dt": "2026-07-01 08:10",
                        "amt": "lots",
                    }
                ),
            }
        )
        reading = json.loads(preview.result)
        self.assertEqual(reading["event"]["order_ref"], "S1")
        self.assertIn("unmapped code ZZ of flatline_status", preview.problems)
        preview.raw = json.dumps(
            {"evt_id": 6, "evt": "D1", "ref_no": "S1", "evt_dt": "2026-07-01 08:10"}
        )
        reading = json.loads(preview.result)
        self.assertEqual(reading["milestone"]["code"], "DELIVERED")
        self.assertFalse(preview.problems)
        preview.raw = "{"
        self.assertIn("Expecting", preview.problems)

    def test_template_changes_are_audited(self):
        template = self.env["logistics.tms.template"].create(
            {"name": "Acme", "code": "acme_audit", "body": json.dumps(MINIMAL)}
        )
        changed = {**MINIMAL, "inbound": {**MINIMAL["inbound"], "items": "data"}}
        rows = assert_audited(self, template, {"body": json.dumps(changed)})
        self.assertIn('"items": "events"', rows.old_value)
        self.assertIn('"items": "data"', rows.new_value)

    def test_a_production_template_change_is_tried_on_stored_events_before_approval(self):
        template = self.env.ref("connector_tms.tms_template_flatline")
        backend = self.env["logistics.backend"].create(
            {
                "name": "Live FlatLine",
                "code": "live_flatline",
                "kind": "tms",
                "environment": "production",
                "tms_template_id": template.id,
            }
        )
        events = [
            {"evt_id": 1, "evt": "D1", "ref_no": "S1", "evt_dt": "2026-07-01 08:10"},
            {"evt_id": 2, "evt": "D1", "ref_no": "S2", "evt_dt": "2026-07-01 09:10", "load_no": 7},
        ]
        for event in events:
            self.env["logistics.integration.message"].create(
                {
                    "backend_id": backend.id,
                    "message_type": "tms_event",
                    "idempotency_key": f"dry-{event['evt_id']}",
                    "payload": json.dumps(event),
                }
            )
        admin = new_test_user(self.env, "tms_admin", ADMIN)
        body = json.loads(template.body)
        body["inbound"]["fields"]["order_ref"] = "concat('FL-', ref_no)"
        versions = len(template.version_ids)
        template.with_user(admin).write({"body": json.dumps(body), "change_note": "prefix"})
        self.assertNotIn("FL-", template.body)  # production reads with it: not yet
        change = self.env["logistics.change.request"].search(
            [("res_model", "=", template._name), ("res_id", "=", template.id)]
        )
        self.assertTrue(change.can_dry_run)
        change.action_dry_run()
        report = html.unescape(change.dry_run_html)
        self.assertEqual(report.count("Changed"), 2)
        self.assertIn('+    "order_ref": "FL-S2"', report)
        self.assertIn('-    "order_ref": "S2"', report)
        self.assertEqual(len(template.version_ids), versions)  # none for what is not applied
        change.with_user(new_test_user(self.env, "tms_admin2", ADMIN)).action_approve()
        self.assertIn("FL-", template.body)
        self.assertEqual(template.version_id.note, "prefix")
        self.assertFalse(template.change_note)
        # switching the production TMS to another dialect is tried the same way
        nested = self.env.ref("connector_tms.tms_template_routemaster")
        backend.with_user(admin).tms_template_id = nested
        self.assertEqual(backend.tms_template_id, template)
        switch = self.env["logistics.change.request"].search(
            [("res_model", "=", backend._name), ("res_id", "=", backend.id)]
        )
        self.assertTrue(switch.can_dry_run)
        switch.action_dry_run()
        self.assertEqual(html.unescape(switch.dry_run_html).count("Fails now"), 2)
