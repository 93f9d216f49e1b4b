from odoo.tests import tagged

from odoo.addons.logistics_canonical.tests.sandbox_server import SandboxServer

from ..lib import edifact, x12
from ..lib import edifact_messages as em
from ..lib import x12_sets as tx
from .common import EdiCase

TENDER = {
    "scac": "CHUB",
    "shipment_id": "LOAD-204",
    "payment": "PP",
    "purpose": "00",
    "references": {"PO": "PO-777"},
    "stops": [
        {
            "sequence": 1,
            "type": "pickup",
            "reason": "LD",
            "name": "Shipper DC",
            "location_id": "SDC1",
            "city": "CHICAGO",
            "state": "IL",
            "postal": "60601",
            "country": "US",
            "windows": [("69", "2024-05-01T08:00:00-05:00")],
        },
        {
            "sequence": 2,
            "type": "delivery",
            "reason": "UL",
            "name": "Store 12",
            "location_id": "ST12",
            "city": "DALLAS",
            "state": "TX",
            "postal": "75201",
            "country": "US",
            "windows": [("70", "2024-05-02T16:00:00-05:00")],
        },
    ],
    "weight": "12000",
}


@tagged("post_install", "-at_install")
class TestEdiFlows(EdiCase):
    """End to end over real HTTP: partner interchanges in, our 997/990/214 out."""

    def test_204_in_then_990_out(self):
        with SandboxServer() as server:
            self.edi_backend.base_url = server.url
            response = self.post_edi(
                self.interchange([("204", "0001", tx.build_204(TENDER))], functional_id="SM")
            )
            self.assertEqual(response.status_code, 202, response.text)
            self.run_jobs()
            message = self.message(response)
            self.assertEqual(message.state, "done", message.error_message)
            shipment = message.shipment_id
            self.assertEqual(shipment.status, "tendered")
            self.assertEqual(shipment.customer_id, self.customer)
            self.assertEqual(shipment.customer_reference, "PO-777")
            self.assertEqual(shipment.stop_ids.mapped("stop_type"), ["pickup", "delivery"])
            self.assertEqual(
                shipment.stop_ids.mapped("partner_id.name"), ["Shipper DC", "Store 12"]
            )
            self.assertEqual(shipment.origin_id.city, "CHICAGO")
            [(ack_id, ack_segments)] = self.sent_sets(server)
            self.assertEqual(ack_id, "997")
            self.assertIn(["AK9", "A", "1", "1", "1"], ack_segments)

            shipment.action_accept_tender()
            self.run_jobs()
            sets = self.sent_sets(server)
            self.assertEqual([s[0] for s in sets], ["997", "990"])
            self.assertIn(["B1", "CHUB", "LOAD-204", sets[1][1][1][3], "A"], sets[1][1])
            self.assertEqual(shipment.status, "accepted")
            sent_990 = self.outbound("tender_response")
            self.assertEqual(
                sent_990.edi_ack_state, "expected", "a 997 is awaited for what we send"
            )

    def test_auto_accept_answers_at_once(self):
        self.profile.auto_accept_tenders = True
        with SandboxServer() as server:
            self.edi_backend.base_url = server.url
            self.post_edi(
                self.interchange([("204", "0001", tx.build_204(TENDER))], functional_id="SM")
            )
            self.run_jobs()
            self.assertEqual(sorted(s[0] for s in self.sent_sets(server)), ["990", "997"])

    def test_tender_cancel_cancels(self):
        self.post_edi(self.interchange([("204", "0001", tx.build_204(TENDER))], functional_id="SM"))
        self.run_jobs()
        cancel = dict(TENDER, purpose="01")
        self.post_edi(
            self.interchange([("204", "0002", tx.build_204(cancel))], control=2, functional_id="SM")
        )
        self.run_jobs()
        shipment = self.env["logistics.external.ref"]._find(
            self.edi_backend, "logistics.shipment", "LOAD-204"
        )
        self.assertEqual(shipment.status, "cancelled")

    def test_214_in_fills_the_timeline(self):
        sets = [
            (
                "214",
                "0001",
                self.status_214(
                    "LOAD-9",
                    ("X3", "2024-05-01T07:50:00-05:00"),
                    ("AF", "2024-05-01T08:30:00-05:00"),
                ),
            ),
            ("214", "0002", self.status_214("LOAD-9", ("D1", "2024-05-02T15:00:00-05:00"))),
            ("214", "0003", self.status_214("LOAD-9", ("X6", "2024-05-01T20:00:00-05:00"))),
        ]  # late
        response = self.post_edi(self.interchange(sets))
        self.assertEqual(response.status_code, 202)
        self.run_jobs()
        message = self.message(response)
        self.assertEqual(message.state, "done", message.error_message)
        shipment = message.shipment_id
        self.assertEqual(shipment.status, "delivered")
        timeline = shipment.milestone_ids.sorted("event_time")
        self.assertEqual(
            timeline.mapped("code"),
            ["ARRIVED_PICKUP", "PICKED_UP", "OUT_FOR_DELIVERY", "DELIVERED"],
        )
        self.assertTrue(timeline.filtered(lambda m: m.code == "OUT_FOR_DELIVERY").is_late)
        self.assertEqual(set(timeline.mapped("source_code")), {"X3", "AF", "X6", "D1"})
        ack = self.outbound("ack")
        self.assertIn("AK9*A*3*3*3", ack.payload)

    def test_214_time_codes_follow_their_zone_and_the_source_offset_is_kept(self):
        body = self.status_214("LOAD-TZ", ("X3", "2024-05-01T07:50:00Z"))
        at7 = next(segment for segment in body if segment[0] == "AT7")
        # ET on 1 May is daylight time (UTC-4); ES is Eastern Standard all year
        at7[5:8] = ["20240501", "0750", "ET"]
        second = [list(segment) for segment in body]
        next(s for s in second if s[0] == "AT7")[1:8] = [
            "AF",
            "NS",
            "",
            "",
            "20240501",
            "0850",
            "ES",
        ]
        message = self.message(
            self.post_edi(self.interchange([("214", "0001", body), ("214", "0002", second)]))
        )
        self.run_jobs()
        self.assertEqual(message.state, "done", message.error_message)
        timeline = message.shipment_id.milestone_ids.sorted("event_time")
        self.assertEqual(
            timeline.mapped("event_time_local"),
            ["2024-05-01 07:50 -04:00", "2024-05-01 08:50 -05:00"],
        )
        self.assertEqual(
            [str(t) for t in timeline.mapped("event_time")],
            ["2024-05-01 11:50:00", "2024-05-01 13:50:00"],
        )

    def test_duplicate_interchange_is_not_applied_twice(self):
        text = self.interchange(
            [("214", "0001", self.status_214("LOAD-D", ("AF", "2024-05-01T08:30:00-05:00")))],
            control=555,
        )
        first = self.post_edi(text)
        again = self.post_edi(
            text.replace("\n", "")
        )  # the same interchange, written without newlines
        self.assertEqual((first.status_code, again.status_code), (202, 200))
        self.assertEqual(again.json()["message_id"], first.json()["message_id"])
        self.run_jobs()
        shipment = self.message(first).shipment_id
        self.assertEqual(len(shipment.milestone_ids), 1)
        self.assertEqual(len(self.outbound("ack")), 1)

    def test_malformed_interchanges(self):
        for garbage, status in (
            (b"\x00\xff\x13 binary", 400),
            ("hello, not EDI", 400),
            ("ISA*00*truncated", 400),
        ):
            with self.subTest(garbage=garbage[:12]):
                response = self.post_edi(garbage)
                self.assertEqual(response.status_code, status, response.text)
                self.assertIn(
                    response.json()["error"]["code"], ("edi_unreadable", "invalid_encoding")
                )
        self.assertEqual(self.post_edi("ISA", content_type="application/json").status_code, 415)
        kept = self.env["logistics.integration.message"].search(
            [("backend_id", "=", self.edi_backend.id), ("state", "=", "rejected")]
        )
        self.assertEqual(len(kept), 4, "refused interchanges stay in the log")

    def test_broken_sets_are_rejected_in_the_997_and_raise_an_exception(self):
        good = self.status_214("LOAD-G", ("AF", "2024-05-01T08:30:00-05:00"))
        bad_date = self.status_214("LOAD-B", ("AF", "2024-05-01T08:30:00-05:00"))
        bad_date[2][5] = "20241341"  # AT7-05: no 13th month
        text = self.interchange(
            [
                ("214", "0001", good),
                ("214", "0002", bad_date),
                ("214", "0003", [*good, ["ZZZ", "1"]]),
            ]
        )
        text = text.replace("GE*3*1", "GE*4*1")  # and the group count is wrong
        response = self.post_edi(text)
        self.assertEqual(response.status_code, 202)
        self.run_jobs()
        message = self.message(response)
        self.assertEqual(message.state, "done")
        ack = self.outbound("ack").payload
        self.assertIn("AK2*214*0002", ack)
        self.assertIn("AK4*5**8", ack)
        # a segment the 214 does not have is reported, the set still read
        self.assertIn("AK2*214*0003~\nAK3*ZZZ*6**2~\nAK5*E~", ack)
        self.assertIn("AK9*P*3*3*2*5", ack)
        self.assertTrue(message.exception_ids.filtered(lambda e: "0002" in e.description))
        shipment = self.env["logistics.external.ref"]._find(
            self.edi_backend, "logistics.shipment", "LOAD-G"
        )
        self.assertEqual(shipment.status, "picked_up", "the good set was applied")

    def test_unmapped_code_waits_for_a_mapping_then_replays(self):
        sets = [
            (
                "214",
                "0001",
                self.status_214(
                    "LOAD-U",
                    ("AF", "2024-05-01T08:30:00-05:00"),
                    ("DE", "2024-05-01T09:30:00-05:00"),
                ),
            )
        ]
        message = self.message(self.post_edi(self.interchange(sets)))
        self.run_jobs()
        self.assertEqual(message.state, "done")
        unmapped = message.exception_ids
        self.assertEqual(unmapped.exception_type_id.code, "unmapped_code")
        self.assertEqual(len(message.shipment_id.milestone_ids), 1)
        self.env.ref("logistics_canonical.code_x12_at7_status_de").milestone_code_id = self.env.ref(
            "logistics_canonical.milestone_code_delayed"
        )
        message.action_replay()
        self.run_jobs()
        self.assertEqual(
            message.shipment_id.milestone_ids.sorted("event_time").mapped("code"),
            ["PICKED_UP", "DELAYED"],
        )
        self.assertEqual(unmapped.state, "resolved")

    def test_separators_of_any_legal_choice(self):
        seps = x12.Separators("|", "\\", "^", "\n")
        text = self.interchange(
            [("214", "0001", self.status_214("LOAD-S", ("AF", "2024-05-01T08:30:00-05:00")))],
            separators=seps,
            control=77,
        )
        self.assertEqual(self.post_edi(text).status_code, 202)
        self.run_jobs()
        shipment = self.env["logistics.external.ref"]._find(
            self.edi_backend, "logistics.shipment", "LOAD-S"
        )
        self.assertEqual(shipment.status, "picked_up")

    def test_210_in_becomes_freight_charges(self):
        invoice = {
            "invoice_number": "INV-42",
            "shipment_id": "LOAD-210",
            "date": "20240503",
            "scac": "CHUB",
            "currency": "USD",
            "total": "1250.00",
            "charges": [
                {"code": "400", "amount": "1000.00", "description": "LINEHAUL"},
                {"code": "FUE", "amount": "250.00", "description": "FUEL"},
            ],
        }
        text = self.interchange([("210", "0001", tx.build_210(invoice))], functional_id="IM")
        for _attempt in range(2):  # the same invoice twice under two control numbers
            self.post_edi(text.replace("000000001", f"00000000{_attempt + 1}"))
        self.run_jobs()
        shipment = self.env["logistics.external.ref"]._find(
            self.edi_backend, "logistics.shipment", "LOAD-210"
        )
        self.assertEqual(sorted(shipment.charge_ids.mapped("amount")), [250.0, 1000.0])
        self.assertEqual(set(shipment.charge_ids.mapped("source")), {"carrier_bill"})
        self.assertEqual(
            shipment.charge_ids.filtered(lambda c: c.charge_type == "fuel").amount, 250.0
        )

    def test_status_goes_out_as_214_and_their_997_closes_it(self):
        self.profile.send_status = True
        shipment = self.env["logistics.shipment"].create(
            {"customer_id": self.customer.id, "customer_reference": "PO-1"}
        )
        with SandboxServer() as server:
            self.edi_backend.base_url = server.url
            self.env["logistics.milestone"].create(
                {
                    "shipment_id": shipment.id,
                    "event_time": "2024-05-01 13:30:00",
                    "event_utc_offset": -300,
                    "milestone_code_id": self.env.ref(
                        "logistics_canonical.milestone_code_picked_up"
                    ).id,
                    "location_name": "Chicago DC",
                }
            )
            self.run_jobs()
            [(set_id, segments)] = self.sent_sets(server)
            self.assertEqual(set_id, "214")
            at7 = next(s for s in segments if s[0] == "AT7")
            self.assertEqual(at7[1], "AF")
            self.assertEqual(at7[5:8], ["20240501", "1330", "UT"], "written in UTC")
            sent = self.outbound("milestone")
            self.assertEqual(sent.edi_ack_state, "expected")
            ack = [["AK1", "QM", sent.edi_control], ["AK9", "A", "1", "1", "1"]]
            self.post_edi(self.interchange([("997", "0001", ack)], functional_id="FA", control=901))
            self.run_jobs()
            self.assertEqual(sent.edi_ack_state, "accepted")

    def test_missing_997_becomes_overdue(self):
        self.profile.send_status = True
        shipment = self.env["logistics.shipment"].create({"customer_id": self.customer.id})
        with SandboxServer() as server:
            self.edi_backend.base_url = server.url
            self.env["logistics.milestone"].create(
                {
                    "shipment_id": shipment.id,
                    "event_time": "2024-05-01 13:30:00",
                    "milestone_code_id": self.env.ref(
                        "logistics_canonical.milestone_code_delivered"
                    ).id,
                }
            )
            self.run_jobs()
        sent = self.outbound("milestone")
        sent.edi_ack_due = "2024-01-01 00:00:00"
        self.env["logistics.outbox"]._check_overdue_acks()
        self.assertEqual(sent.edi_ack_state, "overdue")
        self.assertEqual(sent.exception_ids.exception_type_id.code, "ack_overdue")

    def test_iftsta_in_with_standard_and_carrier_codes(self):
        own = self.env["logistics.code.scheme"].create(
            {"name": "Carrier codes", "code": "carrier_own"}
        )
        self.env["logistics.code.mapping"].create(
            {
                "scheme_id": own.id,
                "code": "500",
                "milestone_code_id": self.env.ref(
                    "logistics_canonical.milestone_code_in_transit"
                ).id,
            }
        )
        self.edi_backend.code_scheme_id = own
        self.profile.standard = "edifact"
        report = {
            "document": "D9",
            "consignments": [
                {
                    "reference": "CONS-9",
                    "references": {},
                    "events": [
                        {"status_code": "13", "agency": "6", "time": "2024-05-01T08:00:00+02:00"},
                        {
                            "status_code": "500",
                            "agency": "87",
                            "time": "2024-05-01T12:00:00+02:00",
                            "location_code": "DEHAM",
                            "location_name": "Hamburg",
                        },
                    ],
                }
            ],
        }
        text = edifact.Writer().interchange(
            [("IFTSTA", "M1", em.build_iftsta(report))], "SHIPPERINC", "CARRIERHUB", "31"
        )
        response = self.post_edi(text, content_type="application/edifact")
        self.assertEqual(response.status_code, 202, response.text)
        self.run_jobs()
        shipment = self.message(response).shipment_id
        self.assertEqual(
            shipment.milestone_ids.sorted("event_time").mapped("code"), ["PICKED_UP", "IN_TRANSIT"]
        )
        self.assertEqual(
            shipment.milestone_ids.filtered(lambda m: m.code == "IN_TRANSIT").location_code, "DEHAM"
        )

    def test_iftmin_in_creates_the_shipment(self):
        self.profile.standard = "edifact"
        instruction = {
            "shipment_id": "IFT-1",
            "references": {"CU": "PO-5"},
            "stops": [
                {
                    "type": "pickup",
                    "sequence": 1,
                    "id": "L1",
                    "name": "Lyon Plant",
                    "city": "LYON",
                    "country": "FR",
                    "windows": [("window", "2024-05-01T08:00:00+02:00")],
                },
                {
                    "type": "delivery",
                    "sequence": 2,
                    "id": "L2",
                    "name": "Milan WH",
                    "city": "MILANO",
                    "country": "IT",
                    "windows": [],
                },
            ],
        }
        text = edifact.Writer().interchange(
            [("IFTMIN", "M1", em.build_iftmin(instruction))], "SHIPPERINC", "CARRIERHUB", "32"
        )
        response = self.post_edi(text, content_type="application/edifact")
        self.run_jobs()
        shipment = self.message(response).shipment_id
        self.assertEqual(shipment.status, "tendered")
        self.assertEqual(shipment.stop_ids.mapped("city"), ["LYON", "MILANO"])

    def test_parsed_view_shows_the_segments(self):
        message = self.message(
            self.post_edi(
                self.interchange(
                    [
                        (
                            "214",
                            "0001",
                            self.status_214("LOAD-V", ("AF", "2024-05-01T08:30:00-05:00")),
                        )
                    ]
                )
            )
        )
        html = str(message.edi_tree_html)
        self.assertIn("<b>AT7</b>", html)
        self.assertIn("padding-left:4.5em", html, "segments of a set sit inside ISA, GS and ST")

    def test_ta1_when_the_sender_asks(self):
        text = self.interchange(
            [("214", "0001", self.status_214("LOAD-T", ("AF", "2024-05-01T08:30:00-05:00")))],
            control=61,
        )
        asked = text.replace("*000000061*0*P*", "*000000061*1*P*")
        self.post_edi(asked)
        self.run_jobs()
        [ta1] = self.outbound("ta1")
        self.assertIn("TA1*000000061*", ta1.payload)
        self.assertIn("*A*000", ta1.payload)
        self.assertNotIn("GS*", ta1.payload)

    def test_test_data_never_reaches_production(self):
        text = self.interchange(
            [("214", "0001", self.status_214("LOAD-TEST", ("AF", "2024-05-01T08:30:00Z")))],
            control=62,
        ).replace("*000000062*0*P*", "*000000062*1*T*")
        message = self.message(self.post_edi(text))
        self.run_jobs()
        self.assertFalse(message.shipment_id, "nothing of a test interchange is applied")
        self.assertIn("ISA15 'T'", " ".join(message.exception_ids.mapped("description")))
        [ta1] = self.outbound("ta1")
        self.assertIn("*R*020", ta1.payload)

    def test_a_set_control_reused_in_another_group_is_another_set(self):
        sets = [("214", "0001", self.status_214("LOAD-G", ("AF", "2024-05-01T08:30:00Z")))]
        second = [("214", "0001", self.status_214("LOAD-G", ("D1", "2024-05-02T08:30:00Z")))]
        text = x12.Writer(newline=True).interchange(
            [
                ("QM", "1", "SHIPPERINC", "CARRIERHUB", "004010", sets),
                ("QM", "2", "SHIPPERINC", "CARRIERHUB", "004010", second),
            ],
            "SHIPPERINC",
            "CARRIERHUB",
            63,
        )
        message = self.message(self.post_edi(text))
        self.run_jobs()
        self.assertEqual(message.shipment_id.milestone_ids.mapped("source_code"), ["AF", "D1"])

    def test_partner_ta1_rejecting_our_interchange_is_an_exception_and_not_answered(self):
        self.profile.send_ta1 = True
        text = x12.Writer().interchange(
            [],
            "SHIPPERINC",
            "CARRIERHUB",
            64,
            ta1=["000000007", "240501", "1000", "R", "024"],
        )
        message = self.message(self.post_edi(text))
        self.run_jobs()
        self.assertEqual(message.state, "done", message.error_message)
        self.assertIn("TA1 status R", message.exception_ids.description)
        self.assertFalse(self.outbound("ta1"), "an acknowledgment is never acknowledged")

    def test_freight_invoice_goes_out_as_210(self):
        self.profile.send_invoices = True
        shipment = self.env["logistics.shipment"].create(
            {
                "customer_id": self.customer.id,
                "charge_ids": [
                    (0, 0, {"charge_type": "linehaul", "amount": 900, "validation_state": "valid"}),
                    (0, 0, {"charge_type": "fuel", "amount": 99.5, "validation_state": "valid"}),
                    (0, 0, {"charge_type": "toll", "amount": 7, "validation_state": "mismatch"}),
                ],
            }
        )
        shipment.action_send_freight_invoice()
        [sent] = self.outbound("freight_invoice")
        [transaction] = [item for kind, item in x12.Reader(sent.payload) if kind == "set"]
        invoice, problems = tx.read_210(transaction)
        self.assertEqual(problems, [])
        self.assertEqual(str(invoice["total"]), "999.50", "only valid charges are invoiced")
        self.assertEqual(len(invoice["charges"]), 2)

    def test_interchange_above_the_body_limit_is_refused_clearly(self):
        self.env["ir.config_parameter"].set_param("logistics.api.max_body_bytes", "2000")
        sets = [
            ("214", f"{n:04d}", self.status_214(f"LOAD-{n}", ("AF", "2024-05-01T08:30:00-05:00")))
            for n in range(1, 40)
        ]
        response = self.post_edi(self.interchange(sets))
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.json()["error"]["code"], "payload_too_large")
