import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from ..lib import edifact
from ..lib import edifact_messages as em

# data may contain the delimiters themselves: the writer must release them
DATA = st.text(alphabet="ABCXYZ0123 -:+'?*.", min_size=1, max_size=15).map(str.strip).filter(bool)


@st.composite
def delimiters(draw):
    component, element, release, segment = draw(
        st.lists(st.sampled_from(":+?'*|!#^~"), min_size=4, max_size=4, unique=True)
    )
    return edifact.Delimiters(component, element, ".", release, " ", segment)


@st.composite
def reports(draw):
    consignments = []
    for number in range(draw(st.integers(1, 3))):
        events = []
        for _ in range(draw(st.integers(1, 3))):
            event = {
                "status_code": draw(st.sampled_from(["21", "13", "24", "S", "500"])),
                "agency": draw(st.sampled_from(["6", "87", "ZZZ", ""])),
                "time": f"2024-05-0{draw(st.integers(1, 9))}T1{draw(st.integers(0, 9))}:00:00+01:00",
            }
            if draw(st.booleans()):
                event.update(reason_code="1", reason_text=draw(DATA))
            if draw(st.booleans()):
                event.update(location_code="DEHAM", location_name=draw(DATA))
            events.append(event)
        consignments.append(
            {
                "reference": f"{draw(DATA)}-{number}",
                "references": {"CU": draw(DATA)},
                "events": events,
            }
        )
    return {"document": draw(DATA), "consignments": consignments}


def messages_of(text, **kwargs):
    return [item for kind, item in edifact.Reader(text, **kwargs) if kind == "message"]


@tagged("at_install", "-post_install")
class TestEdifactRoundTrips(BaseCase):
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(report=reports(), delims=delimiters(), newline=st.booleans())
    def test_iftsta_round_trip(self, report, delims, newline):
        writer = edifact.Writer(delims, newline=newline)
        text = writer.interchange(
            [("IFTSTA", "M1", em.build_iftsta(report))], "SENDER", "RECEIVER", "77"
        )
        [message] = messages_of(text)
        self.assertEqual(message.problems, [])
        parsed, problems = em.read_iftsta(message)
        self.assertEqual(problems, [])
        self.assertEqual(em.build_iftsta(parsed), em.build_iftsta(report))

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(delims=delimiters(), name=DATA, purpose=st.sampled_from(["00", "01", "04"]))
    def test_iftmin_round_trip(self, delims, name, purpose):
        instruction = {
            "shipment_id": "CONS-1",
            "purpose": purpose,
            "references": {"CU": "PO-9"},
            "carrier": "EURL",
            "stops": [
                {
                    "type": "pickup",
                    "sequence": 1,
                    "id": "L1",
                    "name": name,
                    "street": "1 Quai",
                    "city": "LYON",
                    "postal": "69001",
                    "country": "FR",
                    "windows": [("window", "2024-05-01T08:00:00+02:00")],
                },
                {
                    "type": "delivery",
                    "sequence": 2,
                    "id": "L2",
                    "name": "Milan WH",
                    "street": "Via 2",
                    "city": "MILANO",
                    "postal": "20100",
                    "country": "IT",
                    "windows": [],
                },
            ],
            "pieces": "12",
        }
        text = edifact.Writer(delims).interchange(
            [("IFTMIN", "M9", em.build_iftmin(instruction))], "S", "R", "5"
        )
        [message] = messages_of(text)
        parsed, problems = em.read_iftmin(message)
        self.assertEqual(problems, [])
        self.assertEqual(em.build_iftmin(parsed), em.build_iftmin(instruction))
        self.assertEqual(parsed["stops"][0]["name"], name)


@tagged("at_install", "-post_install")
class TestEdifactEnvelopes(BaseCase):
    report = {
        "document": "D1",
        "consignments": [
            {
                "reference": "C1",
                "events": [
                    {"status_code": "21", "agency": "6", "time": "2024-05-01T10:00:00+01:00"}
                ],
            }
        ],
    }

    def interchange(self, count=2):
        body = em.build_iftsta(self.report)
        return edifact.Writer().interchange(
            [("IFTSTA", f"M{n}", body) for n in range(count)], "S", "R", "CTRL1"
        )

    def problems(self, text):
        return {(p.level, p.code) for _kind, item in edifact.Reader(text) for p in item.problems}

    def test_counts_and_references(self):
        text = self.interchange()
        self.assertEqual(self.problems(text), set())
        self.assertIn(("message", "29"), self.problems(text.replace("UNT+6+M1", "UNT+7+M1")))
        self.assertIn(("message", "28"), self.problems(text.replace("UNT+6+M1", "UNT+6+M9")))
        self.assertIn(
            ("interchange", "29"), self.problems(text.replace("UNZ+2+CTRL1", "UNZ+3+CTRL1"))
        )
        self.assertIn(
            ("interchange", "28"), self.problems(text.replace("UNZ+2+CTRL1", "UNZ+2+OTHER"))
        )

    def test_truncation_and_garbage(self):
        text = self.interchange()
        self.assertIn(("interchange", "14"), self.problems(text[: text.index("UNT+6+M1")]))
        with self.assertRaises(edifact.EdifactError):
            list(edifact.Reader("\x00\x01 not edifact at all'"))
        with self.assertRaises(edifact.EdifactError):
            list(edifact.Reader("UNA:+"))

    def test_groups(self):
        body = em.build_iftsta(self.report)
        writer = edifact.Writer()
        text = writer.interchange([("IFTSTA", "M1", body)], "S", "R", "9")
        grouped = text.replace("UNH+", "UNG+IFTSTA+S+R+240501:1000+G1+UN+D:01B'UNH+", 1).replace(
            "UNZ+1+9'", "UNE+1+G1'UNZ+1+9'"
        )
        self.assertEqual(self.problems(grouped), set())
        self.assertIn(("group", "29"), self.problems(grouped.replace("UNE+1+G1", "UNE+2+G1")))
        self.assertIn(("group", "29"), self.problems(grouped.replace("UNE+1+G1'", "UNE'")))

    def test_damaged_segments_are_problems_not_crashes(self):
        text = self.interchange(1)
        bare_dtm = messages_of(text.replace("DTM+334:", "DTM'FTX+AAA+", 1))[0]
        _report, problems = em.read_iftsta(bare_dtm)
        self.assertEqual([p.segment_id for p in problems], ["STS"], "no time, said clearly")
        offset_too_large = messages_of(text.replace("?+01:303", "?+99:303", 1))[0]
        _report, problems = em.read_iftsta(offset_too_large)
        self.assertIn("bad UTC offset '+99'", str(problems[0]))
        with self.assertRaises(edifact.EdifactError) as caught:
            list(edifact.Reader(text.replace("C1", "C\x021")))
        self.assertIn("control character", str(caught.exception))

    def test_offsets_of_half_hours_are_written_in_utc(self):
        report = {**self.report}
        report["consignments"] = [
            {
                "reference": "C1",
                "events": [
                    {"status_code": "21", "agency": "6", "time": "2024-05-01T10:00:00+05:30"}
                ],
            }
        ]
        [message] = messages_of(
            edifact.Writer().interchange([("IFTSTA", "M1", em.build_iftsta(report))], "S", "R", "1")
        )
        parsed, problems = em.read_iftsta(message)
        self.assertEqual(problems, [])
        self.assertEqual(
            parsed["consignments"][0]["events"][0]["time"], "2024-05-01T04:30:00+00:00"
        )

    def test_missing_event_time_is_reported(self):
        body = [segment for segment in em.build_iftsta(self.report) if segment[0] != "DTM"]
        message = messages_of(
            edifact.Writer().interchange([("IFTSTA", "M1", body)], "S", "R", "1")
        )[0]
        _report, problems = em.read_iftsta(message)
        self.assertEqual([p.segment_id for p in problems], ["STS"])

    def test_streaming_in_small_chunks_is_the_same(self):
        text = self.interchange(30)
        whole = [m.segments for m in messages_of(text)]
        chunked = [m.segments for m in messages_of(io.StringIO(text), chunk_size=5)]
        self.assertEqual(whole, chunked)
