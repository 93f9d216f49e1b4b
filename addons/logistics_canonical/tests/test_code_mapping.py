import psycopg2

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LogisticsCase


@tagged("post_install", "-at_install")
class TestCodeMapping(LogisticsCase):
    def test_reference_lists_are_loaded(self):
        Mapping = self.env["logistics.code.mapping"]
        self.assertEqual(Mapping.search_count([("scheme_id.code", "=", "x12_214_at7_status")]), 58)
        self.assertEqual(Mapping.search_count([("scheme_id.code", "=", "x12_214_at7_reason")]), 86)
        self.assertEqual(Mapping.search_count([("scheme_id.code", "=", "unece_rec24")]), 103)

    def test_standard_codes_resolve_to_canonical_milestones(self):
        Mapping = self.env["logistics.code.mapping"]
        expectations = {
            ("x12_214_at7_status", "D1"): "DELIVERED",
            ("x12_214_at7_status", "AF"): "PICKED_UP",
            ("x12_214_at7_status", "SD"): "DELAYED",
            ("x12_214_at7_status", "X1"): "ARRIVED_DELIVERY",
            ("unece_rec24", "21"): "DELIVERED",
            ("unece_rec24", "13"): "PICKED_UP",
            ("unece_rec24", "49"): "LOST",
        }
        for (scheme, code), canonical in expectations.items():
            with self.subTest(scheme=scheme, code=code):
                self.assertEqual(Mapping._resolve(scheme, code).milestone_code_id.code, canonical)

    def test_unknown_and_unmapped_codes_resolve_to_nothing(self):
        Mapping = self.env["logistics.code.mapping"]
        self.assertFalse(Mapping._resolve("x12_214_at7_status", "ZZ"))
        unmapped = Mapping._resolve("x12_214_at7_status", "DE")
        self.assertTrue(unmapped, "a known code is found")
        self.assertFalse(unmapped.milestone_code_id, "but it has no canonical meaning yet")

    def test_backend_override_wins_for_that_backend_only(self):
        Mapping = self.env["logistics.code.mapping"]
        other = self.env["logistics.backend"].create({"name": "Other", "code": "other"})
        scheme = self.env.ref("logistics_canonical.code_scheme_x12_214_at7_status")
        Mapping.create(
            {
                "scheme_id": scheme.id,
                "code": "AV",
                "backend_id": self.backend.id,
                "milestone_code_id": self.code("OUT_FOR_DELIVERY").id,
            }
        )
        self.assertEqual(
            Mapping._resolve("x12_214_at7_status", "AV", self.backend).milestone_code_id.code,
            "OUT_FOR_DELIVERY",
        )
        self.assertEqual(
            Mapping._resolve("x12_214_at7_status", "AV", other).milestone_code_id.code, "IN_TRANSIT"
        )

    def test_one_default_and_one_override_per_code(self):
        scheme = self.env.ref("logistics_canonical.code_scheme_x12_214_at7_status")
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.cr.savepoint(),
        ):
            self.env["logistics.code.mapping"].create({"scheme_id": scheme.id, "code": "D1"})
        vals = {"scheme_id": scheme.id, "code": "D1", "backend_id": self.backend.id}
        self.env["logistics.code.mapping"].create(vals)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.cr.savepoint(),
        ):
            self.env["logistics.code.mapping"].create(vals)

    def test_external_reference_binding_is_idempotent(self):
        Ref = self.env["logistics.external.ref"]
        shipment = self.create_shipment()
        Ref._bind(self.backend, shipment, "LOAD-1")
        Ref._bind(self.backend, shipment, "LOAD-1")
        self.assertEqual(len(shipment.external_ref_ids), 1)
        self.assertEqual(Ref._find(self.backend, "logistics.shipment", "LOAD-1"), shipment)
        self.assertFalse(Ref._find(self.backend, "logistics.shipment", "LOAD-2"))
