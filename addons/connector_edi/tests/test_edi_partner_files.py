from odoo.tests import tagged

from ..lib import edifact
from ..lib import edifact_messages as em
from ..lib import x12_sets as tx
from .common import EdiCase
from .test_edi_flows import TENDER
from .test_edi_leniency import unpadded_isa, wrapped


@tagged("post_install", "-at_install")
class TestEdiPartnerFiles(EdiCase):
    """Over real HTTP, files as partners send them: read, applied to the right
    shipment, every deviation on the message and in our acknowledgment."""

    def send(self, text, content_type="application/edi-x12"):
        response = self.post_edi(text, content_type=content_type)
        self.assertIn(response.status_code, (200, 202), response.text)
        self.run_jobs()
        message = self.message(response)
        self.assertEqual(message.state, "done", message.error_message)
        return message

    def test_padded_wrapped_214_reaches_the_tendered_shipment(self):
        tendered = self.send(
            self.interchange([("204", "0001", tx.build_204(TENDER))], functional_id="SM")
        ).shipment_id
        self.profile.send_ta1 = True
        body = self.status_214("LOAD-204", ("AF", "2024-05-01T08:30:00-05:00"))
        body[0] = ["B10", "", "   LOAD-204     ", "CHUB  "]
        text = self.interchange([("214", "0001", body)], control=2).replace("~\n", "~")
        message = self.send(wrapped(unpadded_isa(text)))
        self.assertEqual(message.shipment_id, tendered, "not a new shipment named 'LOAD-204  '")
        self.assertEqual(tendered.status, "picked_up")
        self.assertFalse(
            self.env["logistics.external.ref"].search([("external_id", "like", "% ")]),
            "no reference ends in blanks",
        )
        for said in ("ISA06 is 10 characters", "wrapped", "padded with blanks"):
            self.assertIn(said, message.edi_deviations)
        # the partner hears it too: accepted with errors, the first one named
        self.assertIn("*E*011~", self.outbound("ta1").payload)
        self.assertIn("AK9*A*1*1*1", self.outbound("ack")[-1].payload)

    def test_sets_without_envelope_are_read_with_the_profile_separators(self):
        self.profile.write({"element_separator": "|", "segment_terminator": "\n"})
        text = self.interchange(
            [("214", "0001", self.status_214("LOAD-BARE", ("AF", "2024-05-01T08:30:00-05:00")))],
            separators=self.profile._separators(),
        )
        bare = text[text.index("ST|") : text.index("GE|")]
        message = self.send(bare)
        self.assertEqual(message.shipment_id.status, "picked_up")
        self.assertIn("ISA/IEA missing", message.edi_deviations)
        self.assertFalse(self.outbound("ack"), "no group control number to acknowledge")
        again = self.post_edi(bare)
        self.assertEqual((again.status_code, self.message(again)), (200, message), "one message")

    def test_tender_with_hazmat_and_seals_is_applied(self):
        body = tx.build_204(TENDER)
        body[-1:-1] = [["M7", "SEAL-1"], ["LH1", "DR", "2"], ["LH2", "3"], ["LFH", "HZC", "3"]]
        message = self.send(self.interchange([("204", "0001", body)], functional_id="SM"))
        self.assertEqual(message.shipment_id.status, "tendered")
        self.assertIn("AK9*A*1*1*1", self.outbound("ack").payload)

    def test_iftsta_with_message_level_references_and_fixed_length_records(self):
        self.profile.standard = "edifact"
        body = [
            ["BGM", "23", "DOC-1", "9"],
            ["RFF", ["CN", "TRK-555"]],
            ["RFF", ["BM", "BOL-555"]],
            ["CNI", "1"],
            ["STS", "21"],
            ["DTM", ["9", "202405011000", "203"]],
            ["LOC", "35", ["DEHAM", "", "", "Hamburg"]],
            ["TDT", "20", "", "3"],
            ["LOC", "8", ["FRPAR", "", "", "Paris"]],
        ]
        text = edifact.Writer(newline=True).interchange(
            [("IFTSTA", "M1", body)], "SHIPPERINC", "CARRIERHUB", "41"
        )
        message = self.send(text.replace("'\n", "'" + " " * 20 + "\n"), "application/edifact")
        shipment = message.shipment_id
        self.assertEqual(shipment.status, "delivered", "Rec. 24 code 21, from STS-01")
        [milestone] = shipment.milestone_ids
        self.assertEqual(milestone.location_code, "DEHAM")
        self.assertEqual(
            {(i.kind_id.code, i.value) for i in shipment.identifier_ids},
            {("tracking", "TRK-555"), ("bol", "BOL-555")},
        )
        for said in ("fixed-length", "RFF+CN", "STS-01", "DTM+9"):
            self.assertIn(said, message.edi_deviations)

    def test_bare_iftmin_without_consignee_becomes_a_shipment_with_a_warning(self):
        self.profile.standard = "edifact"
        instruction = {
            "shipment_id": "IFT-9",
            "stops": [{"type": "pickup", "sequence": 1, "id": "L1", "name": "Lyon", "windows": []}],
        }
        text = edifact.Writer().interchange(
            [("IFTMIN", "M1", em.build_iftmin(instruction))], "SHIPPERINC", "CARRIERHUB", "42"
        )
        message = self.send(text[text.index("UNH") : text.index("UNZ")], "application/edifact")
        shipment = message.shipment_id
        self.assertEqual(shipment.status, "tendered")
        self.assertEqual(shipment.stop_ids.mapped("partner_id.name"), ["Lyon"])
        self.assertIn("UNB/UNZ missing", message.edi_deviations)
        self.assertTrue(
            any("no consignee" in (m.body or "") for m in shipment.message_ids),
            "the planner sees the missing consignee on the shipment",
        )

    def test_unreadable_is_still_refused_clearly(self):
        for garbage in ("ST", "UNH", "ISA*00*" + "x" * 30):
            with self.subTest(garbage=garbage):
                response = self.post_edi(garbage)
                self.assertEqual(response.status_code, 400, response.text)
                self.assertEqual(response.json()["error"]["code"], "edi_unreadable")
