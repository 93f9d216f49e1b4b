"""Files as trading partners really send them: read what can be read, report
every deviation, keep rejecting what is wrong (counts, controls, dates)."""

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from ..lib import edifact, x12
from ..lib import edifact_messages as em
from ..lib import x12_sets as tx
from .test_edifact_lib import delimiters, reports
from .test_x12_lib import separators, statuses

INVOICE = {
    "invoice_number": "INV-77",
    "shipment_id": "LOAD-210",
    "date": "20240502",
    "total": "1234.50",
    "scac": "CHUB",
    "currency": "USD",
    "charges": [
        {"code": "400", "amount": "1000.00", "description": "LINEHAUL"},
        {"code": "FUE", "amount": "234.50", "description": "FUEL"},
    ],
}
STATUS = {
    "shipment_id": "LOAD-9",
    "pro_number": "PRO-1",
    "scac": "CHUB",
    "events": [{"status_code": "X6", "time": "2024-05-01T10:00:00-05:00"}],
}


def interchange(sets, seps=x12.DEFAULT_SEPARATORS, newline=False, version="00401"):
    return x12.Writer(seps, newline=newline).interchange(
        [("IM", "7", "SENDER", "RECEIVER", "004010", sets)],
        "SENDER",
        "RECEIVER",
        99,
        version=version,
    )


def unpadded_isa(text, seps=x12.DEFAULT_SEPARATORS):
    """The ISA with every element stripped of its fixed-width padding."""
    end = text.index(seps.segment, 100)
    isa = seps.element.join(value.strip() for value in text[:end].split(seps.element))
    return isa + text[end:]


def wrapped(text, width=80):
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def indented(text, terminator):
    return text.replace(terminator, terminator + "\n    ")


def read(text, **kwargs):
    """Every item of ``text``, and the deviations (str) and problems found on the way."""
    items = list(x12.Reader(text, **kwargs))
    deviations = [p for _kind, item in items for p in item.deviations]
    problems = [p for _kind, item in items for p in item.problems]
    return items, deviations, problems


def sets_of(items):
    return [item for kind, item in items if kind == "set"]


@tagged("at_install", "-post_install")
class TestX12AsPartnersSendIt(BaseCase):
    def test_isa_not_padded_and_broken_across_lines_is_read(self):
        text = interchange([("210", "0001", tx.build_210(INVOICE))]).replace("000000099", "99")
        text = unpadded_isa(text)
        text = text[:40] + "\r\n" + text[40:]  # a line break inside the ISA
        items, deviations, problems = read(text)
        self.assertEqual(problems, [])
        [transaction] = sets_of(items)
        self.assertEqual(tx.read_210(transaction)[0]["invoice_number"], "INV-77")
        found = {(p.segment_id, p.element, p.code) for p in deviations}
        self.assertIn(("ISA", 6, "006"), found, "ISA06 not padded to 15: TA1 note 006")
        self.assertIn(("ISA", 13, "018"), found, "ISA13 '99' instead of 9 digits")
        self.assertIn(("ISA", 0, "022"), found, "the line break is reported too")
        isa = items[-1][1]
        self.assertEqual(isa.control, "99")
        # accepted with errors, not refused; the note names the first element off its width
        self.assertEqual(tx.build_ta1(isa)[3:], ["E", "011"])

    def test_file_wrapped_at_80_columns_reads_as_one_stream(self):
        text = wrapped(interchange([("210", "0001", tx.build_210(INVOICE))]))
        items, deviations, problems = read(text)
        self.assertEqual(problems, [])
        invoice, invoice_problems = tx.read_210(sets_of(items)[0])
        self.assertEqual(invoice_problems, [])
        self.assertEqual([str(c["amount"]) for c in invoice["charges"]], ["1000.00", "234.50"])
        self.assertTrue(any("wrapped" in str(p) for p in deviations))

    def test_indented_segments_are_read_and_reported_once(self):
        text = indented(interchange([("210", "0001", tx.build_210(INVOICE))]), "~")
        items, deviations, problems = read(text)
        self.assertEqual(problems, [], "no segment is 'outside a transaction set'")
        self.assertEqual(tx.read_210(sets_of(items)[0])[0]["total"], tx.n2_amount("123450"))
        self.assertEqual(
            [p.segment_id for p in deviations if "pretty-printed" in str(p)], ["GS"], "once"
        )

    def test_padded_values_are_trimmed_when_mapped(self):
        body = tx.build_214(STATUS)
        body[0] = ["B10", "PRO-1   ", "  LOAD-9    ", "CHUB"]
        body.insert(1, ["L11", "     ", "BM"])  # an all-blank element is empty
        items, deviations, problems = read(interchange([("214", "0001", body)]))
        [transaction] = sets_of(items)
        self.assertEqual(problems + tx.check(transaction), [])
        status, problems = tx.read_214(transaction)
        self.assertEqual(problems, [])
        self.assertEqual((status["shipment_id"], status["pro_number"]), ("LOAD-9", "PRO-1"))
        self.assertEqual(status["references"], {"BM": ""})
        self.assertEqual(transaction.segments[1][2], "  LOAD-9    ", "the raw data is kept")
        [padded] = deviations
        self.assertEqual((padded.segment_id, padded.position), ("B10", 4))
        self.assertIn("padded with blanks", str(padded))

    def test_sets_without_envelopes_read_with_the_profile_separators(self):
        seps = x12.Separators("|", ":", "^", "\n")
        body = interchange(
            [("214", "0001", tx.build_214(STATUS)), ("214", "0002", tx.build_214(STATUS))], seps
        )
        for name, bare in (
            ("bare sets", body[body.index("ST|") : body.index("GE|")]),
            ("a bare group", body[body.index("GS|") : body.index("IEA|")]),
        ):
            with self.subTest(name):
                items, deviations, problems = read(bare, separators=seps)
                self.assertEqual(problems, [], "a missing envelope is no reason to refuse")
                self.assertEqual([t.control for t in sets_of(items)], ["0001", "0002"])
                self.assertEqual(tx.read_214(sets_of(items)[0])[0]["shipment_id"], "LOAD-9")
                self.assertTrue(any("ISA/IEA missing" in str(p) for p in deviations))
                self.assertEqual(
                    any("GS/GE missing" in str(p) for p in deviations), name == "bare sets"
                )

    def test_every_segment_the_standard_allows_is_accepted(self):
        tender = tx.build_204(
            {
                "shipment_id": "LOAD-HZ",
                "stops": [
                    {"sequence": 1, "type": "pickup", "name": "A"},
                    {"sequence": 2, "type": "delivery", "name": "B"},
                ],
            }
        )
        seals_and_hazmat = [
            ["M7", "SEAL1", "SEAL2"],
            ["LH1", "DR", "2"],
            ["LH2", "3", "PLACARD"],
            ["LH3", "GASOLINE", "D"],
            ["LFH", "HZC", "3"],
            ["LH6", "JOHN DOE", "EM", "8005551212"],
        ]
        invoice = tx.build_210(INVOICE)
        invoice.insert(-1, ["CD3", "", "10", "", "G", "", "", "", "", "", "DEL"])
        text = interchange(
            [
                ("204", "0001", [*tender[:-1], *seals_and_hazmat, tender[-1]]),
                ("210", "0002", invoice),
            ]
        )
        for transaction in sets_of(read(text)[0]):
            with self.subTest(transaction.id):
                self.assertEqual(tx.check(transaction), [])

    def test_a_segment_the_standard_does_not_allow_is_a_deviation_in_the_997(self):
        text = interchange([("214", "0001", [*tx.build_214(STATUS), ["ZZZ", "1"]])])
        for kind, item in x12.Reader(text):
            if kind == "set":
                item.add(tx.check(item))
                self.assertEqual(item.problems, [], "the set is read")
                self.assertEqual([p.segment_id for p in item.deviations], ["ZZZ"])
            elif kind == "group":
                ack = tx.build_997(item)
        self.assertIn(["AK3", "ZZZ", "5", "", "2"], ack)
        self.assertIn(["AK5", "E"], ack)
        self.assertEqual(ack[-1], ["AK9", "E", "1", "1", "1"], "accepted, errors noted")

    def test_the_strict_side_stays_in_a_leniently_read_file(self):
        text = interchange([("214", "0001", tx.build_214(STATUS))])
        text = wrapped(unpadded_isa(text.replace("SE*5*0001", "SE*9*0001")))
        text = text.replace("IEA*1*", "IEA*2*")
        items, _deviations, problems = read(text)
        self.assertIn(("transaction", "4"), {(p.level, p.code) for p in problems})
        self.assertIn(("interchange", "021"), {(p.level, p.code) for p in problems})
        group = next(item for kind, item in items if kind == "group")
        self.assertEqual(tx.build_997(group)[-2], ["AK5", "R", "4"])
        truncated = text[: text.index("SE*")]
        self.assertIn("023", {p.code for p in read(truncated)[2]}, "cut short is still found")

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        status=statuses(),
        seps=separators(),
        layout=st.sets(st.sampled_from(["unpadded", "wrapped", "indented", "padded"])),
        width=st.integers(60, 132),
    )
    def test_write_then_disfigure_then_read_gives_the_same_data(self, status, seps, layout, width):
        body = tx.build_214(status)
        if "padded" in layout:
            body = [
                [tag, *(f" {value}  " if value else value for value in rest)] for tag, *rest in body
            ]
        text = interchange([("214", "0001", body)], seps)
        if "unpadded" in layout:
            text = unpadded_isa(text, seps)
        if "indented" in layout:
            text = indented(text, seps.segment)
        if "wrapped" in layout and seps.segment != "\n":
            text = wrapped(text, width)
        items, _deviations, problems = read(io.StringIO(text), chunk_size=97)
        self.assertEqual(problems, [])
        [transaction] = sets_of(items)
        parsed, problems = tx.read_214(transaction)
        self.assertEqual([p for p in problems if not p.warning], [])
        self.assertEqual(tx.build_214(parsed), tx.build_214(status))


def iftsta(body, delims=edifact.DEFAULT_DELIMITERS, newline=True):
    return edifact.Writer(delims, newline=newline).interchange(
        [("IFTSTA", "M1", body)], "CARRIER", "HUB", "31"
    )


def messages_of(text):
    items = list(edifact.Reader(text))
    return (
        [item for kind, item in items if kind == "message"],
        [p for _kind, item in items for p in item.deviations],
        [p for _kind, item in items for p in item.problems],
    )


@tagged("at_install", "-post_install")
class TestEdifactAsPartnersSendIt(BaseCase):
    def test_blanks_after_terminators_are_layout(self):
        report = {
            "document": "D1",
            "consignments": [
                {
                    "reference": "CONS-1",
                    "references": {},
                    "events": [{"status_code": "21", "time": "2024-05-01T08:00:00+02:00"}],
                }
            ],
        }
        text = iftsta(em.build_iftsta(report)).replace("'\n", "'" + " " * 37 + "\n")
        [message], deviations, problems = messages_of(text)
        self.assertEqual(problems, [])
        data, problems = em.read_iftsta(message)
        self.assertEqual(problems, [])
        self.assertEqual(data["consignments"][0]["events"][0]["status_code"], "21")
        self.assertEqual(len(deviations), 1, "said once")
        self.assertIn("fixed-length", str(deviations[0]))

    def test_message_without_interchange_envelope(self):
        text = iftsta(em.build_iftsta({"document": "D", "consignments": []}))
        bare = text[text.index("UNH") : text.index("UNZ")]
        [message], deviations, problems = messages_of(bare)
        self.assertEqual(problems, [])
        self.assertEqual(message.type, "IFTSTA")
        self.assertTrue(message.interchange.bare)
        self.assertIn("UNB/UNZ missing", str(deviations[0]))

    def test_iftsta_as_carriers_send_it(self):
        body = [
            ["BGM", "23", "DOC-1", "9"],
            ["RFF", ["CN", "TRK-555"]],  # message level: before the first CNI
            ["RFF", ["BM", "BOL-9"]],
            ["CNI", "1"],  # no consignment number of its own
            ["STS", "21"],  # the status in STS-01 only
            ["DTM", ["9", "202405011000", "203"]],  # not one of the usual qualifiers
            ["LOC", "35", ["DEHAM", "", "", "Hamburg"]],
            ["TDT", "20", "", "3"],  # the next leg: its place and time are not the status's
            ["LOC", "8", ["FRPAR", "", "", "Paris"]],
            ["DTM", ["133", "202405051000", "203"]],
            ["CNI", "2", "CONS-2"],
            ["STS", "1", ["13", "", "6"]],
            ["DTM", ["334", "202405021100", "203"]],
            ["DTM", ["132", "202405031500", "203"]],
        ]
        [message], _deviations, problems = messages_of(iftsta(body))
        self.assertEqual(problems, [])
        report, problems = em.read_iftsta(message, 60)
        self.assertEqual([p for p in problems if not p.warning], [])
        self.assertEqual(report["references"], {"CN": "TRK-555", "BM": "BOL-9"})
        first, second = report["consignments"]
        self.assertEqual(first["reference"], "TRK-555", "falls back on the carrier's reference")
        [event] = first["events"]
        self.assertEqual(event["status_code"], "21")
        self.assertEqual(event["time"], "2024-05-01T10:00:00+01:00")
        self.assertEqual(event["location_code"], "DEHAM", "not the next leg's FRPAR")
        self.assertEqual(second["reference"], "CONS-2")
        self.assertEqual(second["events"][0]["time"], "2024-05-02T11:00:00+01:00")
        self.assertEqual(second["events"][0]["eta"], "2024-05-03T15:00:00+01:00")
        reported = " / ".join(str(p) for p in problems)
        for said in ("RFF+CN", "STS-01", "DTM+9"):
            self.assertIn(said, reported)

    def test_a_cni_without_any_reference_is_still_refused(self):
        [message], _d, _p = messages_of(
            iftsta(
                [
                    ["BGM", "23", "D", "9"],
                    ["CNI", "1"],
                    ["STS", "1", "21"],
                    ["DTM", ["334", "202405011000", "203"]],
                ]
            )
        )
        problems = em.read_iftsta(message)[1]
        self.assertEqual([(p.segment_id, p.warning) for p in problems], [("CNI", False)])

    def test_iftmin_without_consignee_is_read_with_a_warning(self):
        instruction = {
            "shipment_id": "IFT-2",
            "stops": [{"type": "pickup", "sequence": 1, "id": "L1", "name": "Lyon", "windows": []}],
        }
        text = edifact.Writer().interchange(
            [("IFTMIN", "M1", em.build_iftmin(instruction))], "S", "R", "5"
        )
        [message], _d, _p = messages_of(text)
        data, problems = em.read_iftmin(message)
        self.assertEqual(data["shipment_id"], "IFT-2")
        self.assertEqual([p.warning for p in problems], [True])

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(report=reports(), delims=delimiters(), blanks=st.integers(0, 40))
    def test_write_then_pad_then_read_gives_the_same_data(self, report, delims, blanks):
        text = iftsta(em.build_iftsta(report), delims, newline=False)
        text = text.replace(delims.segment, delims.segment + " " * blanks)
        # a released terminator in the data is no terminator: undo what padding did to it
        text = text.replace(
            delims.release + delims.segment + " " * blanks, delims.release + delims.segment
        )
        [message], _deviations, problems = messages_of(text)
        self.assertEqual(problems, [])
        parsed, problems = em.read_iftsta(message)
        self.assertEqual(problems, [])
        self.assertEqual(em.build_iftsta(parsed), em.build_iftsta(report))
