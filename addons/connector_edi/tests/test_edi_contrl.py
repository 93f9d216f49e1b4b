from odoo.tests import BaseCase, Form, tagged

from odoo.addons.logistics_canonical.tests.sandbox_server import SandboxServer

from ..lib import edifact
from ..lib import edifact_messages as em
from .common import EdiCase

STATUS = [
    ["BGM", "23", "D1", "9"],
    ["CNI", "1", "CONS-K"],
    ["STS", "1", ["21", "", "6"]],
    ["DTM", ["334", "202405011000", "203"]],
]


def interchange(control="61", messages=(("IFTSTA", "M1", STATUS),)):
    return edifact.Writer().interchange(list(messages), "SHIPPERINC", "CARRIERHUB", control)


@tagged("at_install", "-post_install")
class TestContrlLib(BaseCase):
    def read_interchange(self, text):
        items = list(edifact.Reader(text))
        return items[-1][1], [item for kind, item in items if kind == "message"]

    def test_contrl_acknowledges_the_interchange_and_each_message(self):
        text = interchange(messages=[("IFTSTA", "M1", STATUS), ("IFTSTA", "M2", STATUS)])
        text = text.replace("UNT+6+M2", "UNT+9+M2")  # M2 miscounted
        envelope, messages = self.read_interchange(text)
        body = em.build_contrl(envelope, messages)
        self.assertEqual(body[0], ["UCI", "61", ["SHIPPERINC", "ZZZ"], ["CARRIERHUB", "ZZZ"], "7"])
        self.assertEqual(body[1], ["UCM", "M1", ["IFTSTA", "D", "01B", "UN"], "7"])
        self.assertEqual(body[2], ["UCM", "M2", ["IFTSTA", "D", "01B", "UN"], "4", "29"])
        self.assertEqual(len(em.build_contrl(envelope)), 1, "interchange level: the UCI only")

    def test_a_rejected_interchange_says_why(self):
        envelope, _messages = self.read_interchange(interchange().replace("UNZ+1+61", "UNZ+1+62"))
        self.assertEqual(em.build_contrl(envelope)[0][4:], ["4", "28"])

    def test_contrl_round_trip(self):
        envelope, messages = self.read_interchange(interchange().replace("UNT+6+M1", "UNT+5+M1"))
        written = edifact.Writer().interchange(
            [("CONTRL", "C1", em.build_contrl(envelope, messages))], "HUB", "SHIPPERINC", "9"
        )
        _envelope, [contrl] = self.read_interchange(written)
        data, problems = em.read_contrl(contrl)
        self.assertEqual(problems, [])
        self.assertEqual((data["interchange"], data["action"]), ("61", "7"))
        self.assertEqual(
            data["messages"], [{"reference": "M1", "type": "IFTSTA", "action": "4", "error": "29"}]
        )


@tagged("post_install", "-at_install")
class TestContrlFlows(EdiCase):
    def setUp(self):
        super().setUp()
        self.profile.write({"standard": "edifact", "send_contrl": True})

    def test_inbound_interchange_is_answered_with_a_contrl(self):
        text = interchange(messages=[("IFTSTA", "M1", STATUS), ("IFTSTA", "M2", STATUS)])
        response = self.post_edi(text.replace("UNT+6+M2", "UNT+9+M2"), "application/edifact")
        self.assertEqual(response.status_code, 202, response.text)
        self.run_jobs()
        [contrl] = self.outbound("contrl")
        self.assertIn("UNH+", contrl.payload)
        self.assertIn("CONTRL:D:01B:UN", contrl.payload)
        self.assertIn("UCI+61+SHIPPERINC:ZZZ+CARRIERHUB:ZZZ+7'", contrl.payload)
        self.assertIn("UCM+M1+IFTSTA:D:01B:UN+7'", contrl.payload)
        self.assertIn("UCM+M2+IFTSTA:D:01B:UN+4+29'", contrl.payload)
        self.assertEqual(self.message(response).shipment_id.status, "delivered", "M1 applied")

    def test_choosing_edifact_chooses_its_version(self):
        self.profile.write({"standard": "x12", "version": "005010"})
        with Form(self.profile) as form:
            form.standard = "edifact"
            self.assertEqual(form.version, "D01B")
            form.standard = "x12"
            self.assertEqual(form.version, "004010")

    def test_a_contrl_is_not_answered(self):
        body = [["UCI", "5", ["CARRIERHUB", "ZZZ"], ["SHIPPERINC", "ZZZ"], "7"]]
        response = self.post_edi(interchange("62", [("CONTRL", "C1", body)]), "application/edifact")
        self.run_jobs()
        self.assertEqual(self.message(response).state, "done", self.message(response).error_message)
        self.assertFalse(self.outbound("contrl"))

    def test_their_contrl_closes_our_interchange_or_raises_an_issue(self):
        self.profile.send_status = True
        shipment = self.env["logistics.shipment"].create(
            {"customer_id": self.customer.id, "customer_reference": "PO-K"}
        )
        with SandboxServer() as server:
            self.edi_backend.base_url = server.url
            for code in ("picked_up", "delivered"):
                self.env["logistics.milestone"].create(
                    {
                        "shipment_id": shipment.id,
                        "event_time": "2024-05-01 13:30:00",
                        "milestone_code_id": self.env.ref(
                            f"logistics_canonical.milestone_code_{code}"
                        ).id,
                    }
                )
                self.run_jobs()
        first, second = self.outbound("milestone")
        self.assertIn("IFTSTA", first.payload)
        self.assertEqual((first.edi_ack_state, second.edi_ack_state), ("expected", "expected"))
        for control, sent, action in (("63", first, "7"), ("64", second, "4")):
            contrl = [
                ["UCI", sent.edi_control, ["CARRIERHUB", "ZZZ"], ["SHIPPERINC", "ZZZ"], action]
            ]
            self.post_edi(interchange(control, [("CONTRL", "C1", contrl)]), "application/edifact")
            self.run_jobs()
        self.assertEqual((first.edi_ack_state, second.edi_ack_state), ("accepted", "rejected"))
        self.assertTrue(second.exception_ids, "a rejection is an issue for the integration team")
