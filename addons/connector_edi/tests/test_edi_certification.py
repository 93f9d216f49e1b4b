import base64

from odoo.tests import tagged

from ..lib import edifact
from ..lib import edifact_messages as em
from ..lib import x12_sets as tx
from .common import EdiCase
from .test_edi_leniency import INVOICE, unpadded_isa, wrapped


@tagged("post_install", "-at_install")
class TestEdiCertification(EdiCase):
    """A new partner's sample files read into a report: nothing applied."""

    def sample(self, name, text):
        data = text.encode() if isinstance(text, str) else text
        return self.env["ir.attachment"].create(
            {"name": name, "datas": base64.b64encode(data), "res_model": "logistics.edi.partner"}
        )

    def samples(self):
        status = self.status_214("LOAD-C1", ("AF", "2024-05-01T08:30:00-05:00"))
        bad_date = self.status_214("LOAD-C2", ("AF", "2024-05-01T08:30:00-05:00"))
        bad_date[2][5] = "20241341"
        iftsta = em.build_iftsta(
            {
                "document": "D1",
                "consignments": [
                    {
                        "reference": "CONS-C",
                        "references": {},
                        "events": [
                            {
                                "status_code": "ZZ9",
                                "agency": "87",
                                "time": "2024-05-01T08:00:00+02:00",
                            }
                        ],
                    }
                ],
            }
        )
        self.edi_backend.code_scheme_id = self.env["logistics.code.scheme"].create(
            {"name": "Shipper codes", "code": "shipper_own"}
        )
        return [
            self.sample("1-status.x12", self.interchange([("214", "0001", status)], control=71)),
            self.sample(
                "2-invoice-wrapped.x12",
                wrapped(
                    unpadded_isa(
                        self.interchange(
                            [("210", "0001", tx.build_210(INVOICE))], control=72, functional_id="IM"
                        ).replace("~\n", "~")
                    )
                ),
            ),
            self.sample(
                "3-bad-date.x12", self.interchange([("214", "0001", bad_date)], control=73)
            ),
            self.sample(
                "4-status.edi",
                edifact.Writer().interchange([("IFTSTA", "M1", iftsta)], "SHIPPERINC", "HUB", "74"),
            ),
            self.sample("5-notes.txt", "Dear carrier, please find attached our files."),
        ]

    def test_samples_are_read_into_a_report_and_nothing_is_applied(self):
        shipments = self.env["logistics.shipment"].search_count([])
        messages = self.env["logistics.integration.message"].search_count([])
        controls = self.profile.read(["interchange_control", "group_control"])
        certification = self.env["logistics.edi.certification"].create(
            {
                "partner_id": self.profile.id,
                "attachment_ids": [(6, 0, [a.id for a in self.samples()])],
            }
        )
        certification.action_read_files()
        status, invoice, bad_date, iftsta, notes = certification.file_ids

        self.assertEqual((status.outcome, status.set_count, status.shipments), ("ok", 1, "LOAD-C1"))
        self.assertIn("AF → Picked Up (X12 214 AT7 Shipment Status (1650)) ×1", status.statuses)
        self.assertIn("AK9*A*1*1*1", status.acknowledgment, "the 997 we would send")

        self.assertEqual(invoice.outcome, "deviations")
        self.assertIn("ISA06", invoice.deviations)
        self.assertIn("wrapped", invoice.deviations)
        self.assertIn("invoice INV-77: 2 charges, 1234.50 USD", invoice.charges)

        self.assertEqual((bad_date.outcome, bad_date.rejected_sets), ("rejected", 1))
        self.assertIn("214 0001 (LOAD-C2)", bad_date.problems, "names the load to fix")
        self.assertIn("segment 4 of its set): invalid date/time", bad_date.problems, "as AK302")
        self.assertIn("AK5*R", bad_date.acknowledgment)

        self.assertEqual(
            (iftsta.standard, iftsta.unmapped_count, iftsta.outcome), ("edifact", 1, "unmapped")
        )
        self.assertFalse(iftsta.acknowledgment, "this partner gets no CONTRL")
        self.assertIn("ZZ9 → unmapped (Shipper codes)", iftsta.statuses)

        self.assertEqual(notes.outcome, "unreadable")
        self.assertIn("neither X12", notes.problems)

        self.assertEqual(certification.verdict, "work")
        self.assertEqual(
            (
                certification.rejected_count,
                certification.unmapped_count,
                certification.unreadable_count,
            ),
            (1, 1, 1),
        )
        self.assertEqual(self.env["logistics.shipment"].search_count([]), shipments, "none applied")
        self.assertEqual(self.env["logistics.integration.message"].search_count([]), messages)
        self.assertEqual(
            self.profile.read(["interchange_control", "group_control"]),
            controls,
            "no control number used",
        )

        # the admin maps the partner's code, drops what the partner will fix, reads again
        self.env["logistics.code.mapping"].create(
            {
                "scheme_id": self.edi_backend.code_scheme_id.id,
                "code": "ZZ9",
                "milestone_code_id": self.env.ref(
                    "logistics_canonical.milestone_code_in_transit"
                ).id,
            }
        )
        certification.attachment_ids -= bad_date.attachment_id | notes.attachment_id
        certification.action_read_files()
        self.assertEqual(len(certification.file_ids), 3)
        self.assertEqual(certification.verdict, "ready", "deviations alone do not block")

    def test_the_partner_form_opens_its_certification(self):
        action = self.profile.action_certify()
        self.assertEqual(action["context"]["default_partner_id"], self.profile.id)
        self.assertFalse(action["res_id"], "a new one the first time")
        certification = self.env["logistics.edi.certification"].create(
            {"partner_id": self.profile.id}
        )
        self.assertEqual(self.profile.action_certify()["res_id"], certification.id)
        self.assertEqual(self.profile.certification_count, 1)
