from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common_api import ApiCase


@tagged("post_install", "-at_install")
class TestShipmentIdentity(ApiCase):
    """One shipment, many names: a TMS and a carrier reporting one truckload,
    over real HTTP and real queue_job jobs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Kind = cls.env["logistics.identifier.kind"]
        cls.kind = {code: Kind.browse(kind_id) for code, kind_id in Kind._ids_by_code().items()}
        cls.odfl = cls.env["res.partner"].create(
            {"name": "Old Dominion", "is_logistics_carrier": True, "logistics_scac": "ODFL"}
        )
        cls.backend.write({"name": "TMS", "reference_kind_id": cls.kind["load_id"].id})
        cls.carrier_backend, cls.carrier_key = cls.api_backend(
            "odfl_api", partner_id=cls.odfl.id, reference_kind_id=cls.kind["pro"].id
        )

    @classmethod
    def api_backend(cls, code, **vals):
        backend = cls.env["logistics.backend"].create(
            {"name": code, "code": code, "environment": "production", **vals}
        )
        return backend, cls.env["logistics.backend.key"]._generate(backend)[1]

    def tms(self, ref, code, when, **details):
        shipment = {"carrier_scac": "ODFL", **details}
        return self.processed(
            self.post(self.event(ref=ref, code=code, when=when, shipment=shipment))
        )

    def carrier(self, pro, code, when, key=None, **extra):
        return self.processed(
            self.post(
                self.event(ref=pro, code=code, when=when, **extra), key=key or self.carrier_key
            )
        )

    def processed(self, response):
        self.assertEqual(response.status_code, 202, response.text)
        message = self.message(response)
        self.run_jobs()
        return message

    def identifiers(self, shipment):
        return {(i.kind_id.code, i.value) for i in shipment.identifier_ids}

    def test_tms_then_carrier_report_one_shipment(self):
        tms = self.tms(
            "LOAD-1",
            "DISPATCHED",
            "2024-05-01T08:00:00-05:00",
            pro_number="PRO-1",
            bol_number="BOL-1",
        )
        pickup = self.carrier("PRO-1", "PICKED_UP", "2024-05-01T09:00:00-05:00")
        self.assertEqual(pickup.state, "done", pickup.error_message)
        shipment = tms.shipment_id
        self.assertEqual(pickup.shipment_id, shipment, "the carrier's PRO found the TMS's shipment")
        self.assertEqual(shipment.status, "picked_up")
        self.assertEqual(
            self.identifiers(shipment),
            {("load_id", "LOAD-1"), ("pro", "PRO-1"), ("bol", "BOL-1")},
        )
        self.assertEqual(
            shipment.identifier_ids.filtered(lambda i: i.kind_id.code == "pro").scope_partner_id,
            self.odfl,
        )
        # the match bound the carrier's own reference: its next message takes the direct path
        self.assertEqual(
            self.env["logistics.external.ref"]._find(
                self.carrier_backend, "logistics.shipment", "PRO-1"
            ),
            shipment,
        )
        delivered = self.carrier("PRO-1", "DELIVERED", "2024-05-02T15:00:00-05:00")
        self.assertEqual((delivered.shipment_id, shipment.status), (shipment, "delivered"))
        self.assertEqual(
            self.env["logistics.shipment"].search_count([("identifier_ids.value", "=", "PRO-1")]), 1
        )

    def test_carrier_first_then_tms_finds_the_same_shipment(self):
        pickup = self.carrier("PRO-7", "PICKED_UP", "2024-05-01T09:00:00-05:00")
        tender = self.tms(
            "LOAD-7",
            "DISPATCHED",
            "2024-05-01T08:00:00-05:00",
            pro_number=" pro 7 ",
            bol_number="BOL-7",
        )
        self.assertEqual(tender.state, "done", tender.error_message)
        shipment = pickup.shipment_id
        self.assertEqual(
            tender.shipment_id, shipment, "padding, case and dashes do not split a shipment"
        )
        self.assertEqual(shipment.status, "picked_up", "the earlier dispatch does not move it back")
        self.assertEqual(
            shipment.bol_number, "BOL-7", "a number learnt later is shown on the shipment"
        )
        self.assertIn(("load_id", "LOAD-7"), self.identifiers(shipment))

    def test_a_pro_of_another_carrier_or_company_or_environment_never_matches(self):
        shipment = self.tms(
            "LOAD-2", "DISPATCHED", "2024-05-01T08:00:00-05:00", pro_number="PRO-2"
        ).shipment_id
        saia = self.env["res.partner"].create(
            {"name": "Saia", "is_logistics_carrier": True, "logistics_scac": "SAIA"}
        )
        _saia_backend, saia_key = self.api_backend(
            "saia_api", partner_id=saia.id, reference_kind_id=self.kind["pro"].id
        )
        _sandbox, sandbox_key = self.api_backend(
            "odfl_sandbox",
            environment="sandbox",
            partner_id=self.odfl.id,
            reference_kind_id=self.kind["pro"].id,
        )
        other_company = self.env["res.company"].create({"name": "Other Freight"})
        _other, other_key = self.api_backend(
            "odfl_other_co",
            company_id=other_company.id,
            partner_id=self.odfl.id,
            reference_kind_id=self.kind["pro"].id,
        )
        for key in (saia_key, sandbox_key, other_key):
            message = self.carrier("PRO-2", "PICKED_UP", "2024-05-01T09:00:00-05:00", key=key)
            self.assertEqual(message.state, "done", message.error_message)
            self.assertNotEqual(message.shipment_id, shipment)
        self.assertEqual(shipment.status, "dispatched")

    def test_a_reused_tracking_number_names_a_new_shipment(self):
        old = self.carrier("PRO-9", "DELIVERED", "2024-05-01T09:00:00-05:00").shipment_id
        self.assertEqual(self.kind["pro"].reuse_days, 365)
        # the TMS names a new load with the number, well after the carrier's reuse window
        new = self.tms(
            "LOAD-9", "DISPATCHED", "2025-09-01T08:00:00-05:00", pro_number="PRO-9"
        ).shipment_id
        self.assertNotEqual(new, old)
        self.assertEqual(old.status, "delivered")
        retired = old.with_context(active_test=False).identifier_ids.filtered(
            lambda i: i.kind_id.code == "pro"
        )
        self.assertFalse(retired.active, "the old number is retired, kept for history")
        self.assertTrue(any("reuse window" in m.body for m in old.message_ids), "and said so")
        # from now on the carrier's number names the new shipment
        self.assertIn(("pro", "PRO-9"), self.identifiers(new))

    def test_identifiers_a_backend_does_not_match_by_are_only_recorded(self):
        self.carrier_backend.match_kind_ids = self.kind["pro"]
        shipment = self.tms(
            "LOAD-3", "DISPATCHED", "2024-05-01T08:00:00-05:00", bol_number="BOL-3"
        ).shipment_id
        other = self.carrier(
            "PRO-3",
            "PICKED_UP",
            "2024-05-01T09:00:00-05:00",
            identifiers=[{"type": "bol", "value": "BOL-3"}],
        ).shipment_id
        self.assertNotEqual(other, shipment, "the carrier matches by its PRO only")
        self.assertNotIn(
            ("bol", "BOL-3"),
            self.identifiers(other),
            "a number held by another shipment stays there",
        )

    def test_unknown_identifier_type_is_refused_at_the_door(self):
        response = self.post(self.event(identifiers=[{"type": "waybill", "value": "W-1"}]))
        self.assertEqual(response.status_code, 422, response.text)
        self.assertEqual(response.json()["error"]["fields"][0]["field"], "identifiers/0/type")

    def test_identifiers_naming_two_shipments_wait_for_a_merge_then_replay(self):
        load_a = self.tms(
            "LOAD-A", "DISPATCHED", "2024-05-01T08:00:00-05:00", pro_number="PRO-A"
        ).shipment_id
        load_b = self.tms(
            "LOAD-B", "TENDERED", "2024-05-01T07:00:00-05:00", bol_number="BOL-B"
        ).shipment_id
        self.env["ir.attachment"].create(
            {
                "name": "bol.pdf",
                "res_model": "logistics.shipment",
                "res_id": load_b.id,
                "raw": b"%PDF",
            }
        )
        # both planned the same pickup stop; B's tender milestone names its own
        Stop = self.env["logistics.shipment.stop"]
        stop_a, stop_b = (
            Stop.create({"shipment_id": load.id, "sequence": 1, "stop_type": "pickup"})
            for load in (load_a, load_b)
        )
        load_b.milestone_ids.stop_id = stop_b
        parked = self.carrier(
            "PRO-A",
            "PICKED_UP",
            "2024-05-01T09:00:00-05:00",
            identifiers=[{"type": "bol", "value": "BOL-B"}],
        )
        self.assertEqual((parked.state, parked.error_code), ("failed", "identity_conflict"))
        conflict = parked.exception_ids
        self.assertEqual(conflict.exception_type_id.code, "identity_conflict")
        self.assertEqual(conflict.team_id, self.env.ref("logistics_canonical.team_integration"))
        self.assertEqual(conflict.candidate_shipment_ids, load_a | load_b)
        self.assertEqual(load_a.status, "dispatched", "nothing was guessed")

        action = conflict.action_merge_candidates()
        Wizard = self.env[action["res_model"]].with_context(**action["context"])
        with Form(Wizard) as dialog:  # as the dialog opens it, onchange and all
            self.assertEqual(dialog.survivor_id, load_a)
            self.assertFalse(dialog.differences)
        wizard = Wizard.create({})
        self.assertEqual(wizard.survivor_id, load_a, "the oldest stays by default")
        self.assertFalse(wizard.differences, "one has a PRO, the other a BOL: no disagreement")
        load_b.pro_number = "PRO-B"
        wizard.invalidate_recordset(["differences"])
        self.assertEqual(
            wizard.differences,
            f"PRO Number: PRO-A ({load_a.name}), PRO-B ({load_b.name})",
            "said before merging, shipment by shipment",
        )
        load_b.pro_number = False
        wizard.action_merge()
        self.assertEqual((load_b.active, load_b.merged_into_id), (False, load_a))
        self.assertEqual(load_b.status, "tendered", "the absorbed keeps what it showed")
        self.assertEqual(load_a.milestone_ids.mapped("code"), ["DISPATCHED", "TENDERED"])
        self.assertEqual(load_a.stop_ids, stop_a, "one pickup stop, not two")
        self.assertEqual(load_a.milestone_ids.stop_id, stop_a, "B's milestone follows to A's stop")
        self.assertEqual(
            self.identifiers(load_a),
            {
                ("load_id", "LOAD-A"),
                ("pro", "PRO-A"),
                ("load_id", "LOAD-B"),
                ("bol", "BOL-B"),
                ("former_ref", load_b.name),
            },
        )
        self.assertEqual(
            self.env["ir.attachment"].search([("name", "=", "bol.pdf")]).res_id, load_a.id
        )
        self.assertEqual(
            self.env["logistics.external.ref"]._find(self.backend, "logistics.shipment", "LOAD-B"),
            load_a,
        )
        self.assertTrue(any("Merged into" in m.body for m in load_b.message_ids))
        self.assertTrue(any(load_b.name in m.body for m in load_a.message_ids))
        # the parked message went through the merge's replay
        self.run_jobs()
        self.assertEqual(parked.state, "done", parked.error_message)
        self.assertEqual(parked.shipment_id, load_a)
        self.assertEqual(conflict.state, "resolved")
        self.assertEqual(load_a.status, "picked_up", "status derived again from the whole history")
        # the absorbed shipment answers lookups by its old names
        Shipment = self.env["logistics.shipment"]
        self.assertEqual(Shipment._by_name(load_b.name, load_b.company_id), load_a)
        self.assertEqual(Shipment.search([("identifier_ids.value", "ilike", load_b.name)]), load_a)
        late = self.tms("LOAD-B", "DELIVERED", "2024-05-02T15:00:00-05:00")
        self.assertEqual((late.shipment_id, load_a.status), (load_a, "delivered"))

    def test_merge_across_companies_or_environments_is_refused(self):
        here = self.tms("LOAD-C", "DISPATCHED", "2024-05-01T08:00:00-05:00").shipment_id
        company = self.env["res.company"].create({"name": "Elsewhere"})
        there = self.env["logistics.shipment"].create({"company_id": company.id})
        sandbox = self.env["logistics.shipment"].create({"environment": "sandbox"})
        for other in (there, sandbox):
            with self.assertRaises(UserError):
                (here | other)._merge_into(here)
        self.assertTrue(here.active and there.active and sandbox.active)

    def test_one_batch_naming_one_load_twice_creates_one_shipment(self):
        events = [
            self.event(
                ref="LOAD-D",
                code="DISPATCHED",
                shipment={"carrier_scac": "ODFL", "pro_number": "PRO-D"},
            ),
            self.event(
                ref="LOAD-D2",
                code="PICKED_UP",
                when="2024-05-01T11:00:00+02:00",
                shipment={"carrier_scac": "ODFL", "pro_number": "PRO-D"},
            ),
        ]
        results = self.post({"events": events}, path="/logistics/v1/events/batch").json()["results"]
        self.run_jobs()
        first, second = (
            self.env["logistics.integration.message"].browse(r["message_id"]) for r in results
        )
        self.assertEqual(first.shipment_id, second.shipment_id)
        self.assertEqual(first.shipment_id.status, "picked_up")
