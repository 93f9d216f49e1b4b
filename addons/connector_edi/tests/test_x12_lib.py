import io
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from ..lib import x12
from ..lib import x12_sets as tx

PUNCTUATION = "*|^~!@#$%&+:;,<>\\?/`{}\n"
TEXT = (
    st.text(alphabet=string.ascii_uppercase + string.digits + " -.", min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)


@st.composite
def separators(draw):
    chosen = draw(st.lists(st.sampled_from(PUNCTUATION), min_size=4, max_size=4, unique=True))
    element, component, repetition, segment = chosen
    if (
        element == "\n" or component == "\n" or repetition == "\n"
    ):  # only a terminator may be a newline
        element, component, repetition, segment = "*", ">", "^", "\n"
    return x12.Separators(element, component, repetition, segment)


@st.composite
def statuses(draw):
    events = []
    for _ in range(draw(st.integers(1, 4))):
        event = {
            "status_code": draw(st.sampled_from(["X3", "AF", "X6", "D1", "SD", "AG"])),
            "reason_code": draw(st.sampled_from(["NS", "AH", "", "A1"])),
            "time": draw(
                st.datetimes(
                    min_value=__import__("datetime").datetime(2000, 1, 1),
                    max_value=__import__("datetime").datetime(2099, 12, 31),
                )
            )
            .replace(second=0, microsecond=0)
            .isoformat()
            + draw(st.sampled_from(["-05:00", "+00:00", "-08:00"])),
        }
        if draw(st.booleans()):  # optional MS1
            event.update(
                city=draw(TEXT), state=draw(st.sampled_from(["IL", "TX", ""])), country="US"
            )
        events.append(event)
    references = draw(st.dictionaries(st.sampled_from(["BM", "PO", "CR"]), TEXT, max_size=2))
    return {
        "pro_number": draw(TEXT),
        "shipment_id": draw(TEXT),
        "scac": "ABCD",
        "references": references,
        "events": events,
    }


def sets_of(text):
    return [item for kind, item in x12.Reader(text) if kind == "set"]


@tagged("at_install", "-post_install")
class TestX12RoundTrips(BaseCase):
    """parse → generate → parse gives back the same, whatever the separators."""

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        status=statuses(),
        seps=separators(),
        newline=st.booleans(),
        version=st.sampled_from(["00401", "00501"]),
    )
    def test_214_round_trip(self, status, seps, newline, version):
        writer = x12.Writer(seps, newline=newline and seps.segment != "\n")
        gs_version = "004010" if version == "00401" else "005010"
        text = writer.interchange(
            [("QM", "1", "S", "R", gs_version, [("214", "0001", tx.build_214(status))])],
            "SENDER",
            "RECEIVER",
            42,
            version=version,
        )
        [transaction] = sets_of(text)
        self.assertEqual(transaction.problems, [])
        self.assertEqual(tx.check(transaction), [])
        parsed, problems = tx.read_214(transaction)
        self.assertEqual(problems, [])
        self.assertEqual(tx.build_214(parsed), tx.build_214(status))
        again = writer.interchange(
            [("QM", "1", "S", "R", gs_version, [("214", "0001", tx.build_214(parsed))])],
            "SENDER",
            "RECEIVER",
            42,
            version=version,
            when=None,
        )
        self.assertEqual(sets_of(again)[0].segments, transaction.segments)

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        seps=separators(),
        stops=st.integers(2, 5),
        purpose=st.sampled_from(["00", "01", "04"]),
        weight=st.sampled_from(["", "12000"]),
        name=TEXT,
    )
    def test_204_990_210_round_trips(self, seps, stops, purpose, weight, name):
        tender = {
            "scac": "ABCD",
            "shipment_id": "L-77",
            "payment": "PP",
            "purpose": purpose,
            "references": {"PO": "PO-1"},
            "parties": {"SH": {"name": name, "city": "LYON", "country": "FR"}},
            "stops": [
                {
                    "sequence": n,
                    "type": "pickup" if n == 1 else "delivery",
                    "reason": "LD" if n == 1 else "UL",
                    "name": f"{name} {n}",
                    "location_id": f"LOC{n}",
                    "city": "CITY",
                    "state": "",
                    "postal": "1",
                    "country": "US",
                    "windows": [("69", "2024-05-01T08:00:00-05:00")],
                }
                for n in range(1, stops + 1)
            ],
            "weight": weight,
        }
        response = {
            "scac": "ABCD",
            "shipment_id": "L-77",
            "date": "20240501",
            "accepted": False,
            "reason": "NO EQUIPMENT",
        }
        invoice = {
            "invoice_number": "INV-9",
            "shipment_id": "L-77",
            "date": "20240503",
            "scac": "ABCD",
            "currency": "USD",
            "total": "1234.50",
            "charges": [
                {"code": "400", "amount": "1000.00", "description": "LINEHAUL"},
                {"code": "FUE", "amount": "234.50", "description": "FUEL"},
            ],
        }
        writer = x12.Writer(seps)
        sets = [
            ("204", "0001", tx.build_204(tender)),
            ("990", "0002", tx.build_990(response)),
            ("210", "0003", tx.build_210(invoice)),
        ]
        text = writer.interchange([("SM", "5", "S", "R", "004010", sets)], "SENDER", "RECEIVER", 7)
        t204, t990, t210 = sets_of(text)
        for transaction in (t204, t990, t210):
            self.assertEqual(tx.check(transaction), [])
        read_tender, problems = tx.read_204(t204)
        self.assertEqual(problems, [])
        self.assertEqual(tx.build_204(read_tender), tx.build_204(tender))
        self.assertEqual(
            [s["type"] for s in read_tender["stops"]], [s["type"] for s in tender["stops"]]
        )
        read_response, _problems = tx.read_990(t990)
        self.assertEqual(tx.build_990(read_response), tx.build_990(response))
        read_invoice, problems = tx.read_210(t210)
        self.assertEqual(problems, [])
        self.assertEqual(str(read_invoice["total"]), "1234.50")
        self.assertEqual([str(c["amount"]) for c in read_invoice["charges"]], ["1000.00", "234.50"])


@tagged("at_install", "-post_install")
class TestX12Envelopes(BaseCase):
    def interchange(self, sets=2, **kwargs):
        status = {
            "shipment_id": "S1",
            "events": [{"status_code": "X6", "time": "2024-05-01T10:00:00-05:00"}],
        }
        return x12.Writer().interchange(
            [
                (
                    "QM",
                    "11",
                    "S",
                    "R",
                    "004010",
                    [("214", f"{n:04d}", tx.build_214(status)) for n in range(1, sets + 1)],
                )
            ],
            "SENDER",
            "RECEIVER",
            99,
            **kwargs,
        )

    def read_all(self, text):
        return list(x12.Reader(text))

    def problems(self, text):
        return {
            (kind, problem.code) for kind, item in self.read_all(text) for problem in item.problems
        }

    def test_clean_interchange_has_no_problem(self):
        items = self.read_all(self.interchange())
        self.assertEqual([kind for kind, _item in items], ["set", "set", "group", "interchange"])
        self.assertEqual(self.problems(self.interchange()), set())

    def test_several_interchanges_and_groups_in_one_file(self):
        text = self.interchange() + "\n" + self.interchange(sets=3).replace("*", "|")
        kinds = [kind for kind, _item in self.read_all(text)]
        self.assertEqual(kinds.count("set"), 5)
        self.assertEqual(kinds.count("interchange"), 2)

    def test_wrong_counts_and_control_numbers(self):
        text = self.interchange()
        cases = {
            text.replace("SE*5*0002", "SE*6*0002"): ("set", "4"),
            text.replace("SE*5*0002", "SE*5*0009"): ("set", "3"),
            text.replace("GE*2*11", "GE*3*11"): ("group", "5"),
            text.replace("GE*2*11", "GE*2*12"): ("group", "4"),
            text.replace("IEA*1*000000099", "IEA*2*000000099"): ("interchange", "021"),
            text.replace("IEA*1*000000099", "IEA*1*000000098"): ("interchange", "001"),
        }
        for bad, expected in cases.items():
            with self.subTest(expected=expected):
                self.assertIn(expected, self.problems(bad))

    def test_truncated_data_reports_missing_trailers(self):
        text = self.interchange()
        truncated = text[: text.index("ST*214*0002") + 20]
        found = self.problems(truncated)
        self.assertIn(("set", "2"), found)
        self.assertIn(("group", "3"), found)
        self.assertIn(("interchange", "023"), found)

    def test_garbage_is_a_clear_error(self):
        for garbage in ("", "hello world", "\x00\x01\x02" * 50, "ISA*00*short~", "UNB+UNOC:3+A+B'"):
            with self.subTest(garbage=garbage[:10]):
                try:
                    items = self.read_all(garbage)
                except x12.X12Error as error:
                    self.assertEqual(error.problem.level, "interchange")
                else:
                    self.assertEqual(items, [], "empty input yields nothing")

    def test_binary_garbage_after_a_good_interchange(self):
        text = self.interchange() + "\x00\xff garbage that is not an ISA" + " " * 120
        items = []
        with self.assertRaises(x12.X12Error):
            for item in x12.Reader(text):
                items.append(item)
        self.assertEqual(
            [kind for kind, _item in items][-1], "interchange", "what came before is kept"
        )

    def test_unknown_and_missing_segments_are_located(self):
        text = self.interchange(sets=1).replace("LX*1~", "LX*1~ZZZ*1~").replace("B10**S1~", "")
        [transaction] = [item for kind, item in self.read_all(text) if kind == "set"]
        problems = tx.check(transaction)
        self.assertIn(("2", "ZZZ"), {(p.code, p.segment_id) for p in problems})
        self.assertIn(("3", "B10"), {(p.code, p.segment_id) for p in problems})
        unexpected = next(p for p in problems if p.segment_id == "ZZZ")
        self.assertEqual(unexpected.set_position, 3)

    def acknowledge(self, text):
        """Read like the processor does (each set checked as it comes); return the 997 bodies."""
        acks = []
        for kind, item in x12.Reader(text):
            if kind == "set":
                item.problems += tx.check(item)
                if not item.problems:
                    item.problems += tx.read_214(item)[1]
            elif kind == "group":
                acks.append(tx.build_997(item))
        return acks

    def test_bad_dates_become_element_errors_in_the_997(self):
        text = self.interchange(sets=2)
        bad = text.replace("20240501", "20241341", 1)
        [ack] = self.acknowledge(bad)
        self.assertEqual(ack[1], ["AK2", "214", "0001"])
        self.assertIn(["AK3", "AT7", "4", "", "8"], ack)
        self.assertIn(["AK4", "5", "", "8"], ack)
        self.assertIn(["AK5", "R", "5"], ack)
        self.assertEqual(ack[-1], ["AK9", "P", "2", "2", "1"], "one of two sets accepted")
        [clean] = self.acknowledge(text)
        self.assertEqual(clean, [["AK1", "QM", "11"], ["AK9", "A", "2", "2", "2"]])

    def test_envelope_errors_reject_in_the_997(self):
        [ack] = self.acknowledge(
            self.interchange().replace("SE*5*0002", "SE*9*0002").replace("GE*2*11", "GE*5*11")
        )
        self.assertIn(["AK5", "R", "4"], ack)
        self.assertEqual(ack[-1], ["AK9", "P", "2", "2", "1", "5"])

    def test_streaming_reads_in_small_chunks_the_same(self):
        text = self.interchange(sets=50)
        whole = [item.segments for kind, item in x12.Reader(text) if kind == "set"]
        chunked = [
            item.segments
            for kind, item in x12.Reader(io.StringIO(text), chunk_size=7)
            if kind == "set"
        ]
        self.assertEqual(whole, chunked)

    def test_unusable_separators_are_a_clear_error(self):
        good = self.interchange(sets=1)
        isa_end = good.index("~")
        cases = {
            "alphanumeric element separator": good.replace("*", "A"),
            "separator equal to the terminator": good[: isa_end - 1] + "~" + good[isa_end:],
            "ISA with too few elements": good.replace("*00*", "*", 1)[:isa_end],
        }
        for reason, bad in cases.items():
            with self.subTest(reason=reason), self.assertRaises(x12.X12Error) as caught:
                list(x12.Reader(bad))
            self.assertEqual(caught.exception.problem.level, "interchange")

    def test_a_large_interchange_streams_whole(self):
        text = self.interchange(sets=5000)
        sets = [
            item
            for kind, item in x12.Reader(io.StringIO(text), keep_segments=False)
            if kind == "set"
        ]
        self.assertEqual(len(sets), 5000)
        self.assertFalse(any(s.problems for s in sets))

    def test_layout_and_filler_around_interchanges_are_ignored(self):
        clean = self.interchange()
        expected = [item.segments for kind, item in self.read_all(clean) if kind == "set"]
        newline_terminated = x12.Writer(x12.Separators(segment="\n")).interchange(
            [
                (
                    "QM",
                    "11",
                    "S",
                    "R",
                    "004010",
                    [
                        (
                            "214",
                            "0001",
                            tx.build_214(
                                {
                                    "shipment_id": "S1",
                                    "events": [
                                        {"status_code": "X6", "time": "2024-05-01T10:00:00Z"}
                                    ],
                                }
                            ),
                        )
                    ],
                )
            ],
            "SENDER",
            "RECEIVER",
            99,
        )
        cases = {
            "byte-order mark, CRLF, DOS end-of-file mark": "\ufeff"
            + clean.replace("~", "~\r\n")
            + "\x1a",
            "NUL padding after the trailer": clean + "\x00" * 40,
            "two interchanges, filler between": clean + "\x1a\r\n" + clean,
        }
        for case, text in cases.items():
            with self.subTest(case):
                sets = [item.segments for kind, item in self.read_all(text) if kind == "set"]
                self.assertEqual(sets[:2], expected)
                self.assertEqual(self.problems(text), set())
        crlf = newline_terminated.replace("\n", "\r\n")
        [transaction] = [item for kind, item in self.read_all(crlf) if kind == "set"]
        self.assertFalse(
            [value for segment in transaction.segments for value in segment if "\r" in value],
            "no stray CR in the values",
        )
        self.assertEqual(self.problems(crlf), set())

    def test_writer_keeps_separators_out_of_the_data(self):
        text = x12.Writer().interchange(
            [
                (
                    "QM",
                    "11",
                    "S",
                    "R",
                    "004010",
                    [
                        (
                            "214",
                            "0001",
                            [
                                ["B10", "PRO*1", "LOAD~2", "AB\nCD"],
                                ["LX", "1"],
                                ["AT7", "X6", "NS", "", "", "20240501", "1000", "UT"],
                            ],
                        )
                    ],
                )
            ],
            "SEND*ER",
            "RECEIVER",
            1,
            sender_qualifier="ZZZ",
        )
        [transaction] = [item for kind, item in self.read_all(text) if kind == "set"]
        self.assertEqual(transaction.segments[1], ["B10", "PRO 1", "LOAD 2", "AB CD"])
        self.assertEqual(self.problems(text), set())
        self.assertEqual(transaction.interchange[6], "SEND ER        ")

    def test_a_ta1_before_the_groups_is_an_acknowledgment_not_an_error(self):
        text = x12.Writer().interchange(
            [], "SENDER", "RECEIVER", 5, ta1=["000000061", "240501", "1000", "R", "020"]
        )
        [(kind, interchange)] = self.read_all(text)
        self.assertEqual(kind, "interchange")
        self.assertEqual(interchange.problems, [])
        self.assertEqual(interchange.ta1s, [["TA1", "000000061", "240501", "1000", "R", "020"]])

    def test_997_positions_and_group_codes(self):
        text = self.interchange(sets=1).replace("B10**S1~", "")
        [ack] = self.acknowledge(text)
        self.assertIn(["AK3", "B10", "2", "", "3"], ack, "a missing B10 was due right after ST")
        faulty_group = self.interchange().replace("GE*2*11", "GE*2*12")
        [ack] = self.acknowledge(faulty_group)
        self.assertEqual(ack[-1], ["AK9", "E", "2", "2", "2", "4"], "accepted, envelope in error")
