"""X12 transaction sets of road freight: read into plain dicts, build from them.

204 load tender, 990 response to a tender, 214 shipment status, 210 freight
invoice, 997 functional acknowledgment; 4010 and 5010 where they differ (the
segments used here are the same in both). Each reader also checks what it
needs: an unknown segment or a missing mandatory one becomes a Problem with
its position (for the 997), never an exception.
"""

from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from .x12 import Problem

# AT7-07 and G62 time codes. Standard (xS), daylight (xD) and universal codes
# are fixed offsets in hours; the plain zone codes (ET, CT...) follow the zone's
# daylight saving rules. LT (local time) and a missing code fall back to the
# partner's own offset. We write UTC ("UT"): it needs no zone rules to read.
FIXED_TIME_CODES = {
    "UT": 0,
    "GM": 0,
    "Z": 0,
    "ES": -5,
    "ED": -4,
    "CS": -6,
    "CD": -5,
    "MS": -7,
    "MD": -6,
    "PS": -8,
    "PD": -7,
    "AS": -9,
    "AD": -8,
    "HS": -10,
}
ZONE_TIME_CODES = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
    "AT": "America/Anchorage",
    "HT": "Pacific/Honolulu",
}
# TA105 notes that refuse the whole interchange: unreadable, cut short, or test
# data sent to production (and the reverse)
REJECTING_TA1_CODES = ("020", "023", "024")
STOP_TYPES = {
    "LD": "pickup",
    "CL": "pickup",
    "PL": "pickup",
    "UL": "delivery",
    "CU": "delivery",
    "PU": "delivery",
}


class Spec:
    """Which segments a transaction set may hold (every segment its standard
    allows, in 4010 and 5010), and which it must."""

    def __init__(self, mandatory, allowed):
        self.mandatory = mandatory
        self.allowed = set(allowed) | set(mandatory) | {"ST", "SE"}

    def check(self, transaction):
        """Problems: a mandatory segment missing (nothing can be read without
        it). Deviations: segments the standard does not allow here."""
        problems, seen = [], set()
        base = transaction.position
        for index, elements in enumerate(transaction.segments, 1):
            tag = elements[0]
            seen.add(tag)
            if tag not in self.allowed:
                code = "1" if not tag.isalnum() or len(tag) > 3 else "2"
                problems.append(
                    Problem(
                        "segment",
                        code,
                        f"segment {tag!r} is not part of a {transaction.id}: ignored",
                        base + index - 1,
                        tag,
                        set_position=index,
                        warning=True,
                    )
                )
        for tag in self.mandatory:
            if tag not in seen:
                problems.append(
                    Problem(
                        "segment",
                        "3",
                        f"mandatory segment {tag} missing",
                        transaction.position,
                        tag,
                        # where it was due: a beginning segment (B*) right after
                        # ST, anything else before SE
                        set_position=2 if tag.startswith("B") else len(transaction.segments),
                    )
                )
        return problems


# Segments of each set by its standard (X12 4010 and 5010 implementation
# guides): a partner may send any of them; we read the ones we map.
SPECS = {
    "204": Spec(
        ["B2", "S5"],
        """B2A L11 G62 MS3 AT5 PLD LH6 NTE N1 N2 N3 N4 G61 N7 N7A N7B MEA M7 S5 AT8
        LAD OID L5 H1 H2 LH1 LH2 LH3 LFH LEP LH4 LHT LHR SPO SDQ L3 PER""".split(),
    ),
    "990": Spec(["B1"], "N9 G62 K1 V9 L11".split()),
    "214": Spec(
        ["B10"],
        """L11 MAN Q7 K1 N1 N2 N3 N4 G62 G61 MS3 LX AT7 MS1 MS2 M7 AT5 AT8 CD3 NM1
        SPO SDQ OID PRF LH1 LH2 LH3 LFH LEP LH4 LHT LHR""".split(),
    ),
    "210": Spec(
        ["B3", "L3"],
        """B3A C2 C3 ITD L11 N9 G62 R3 H3 K1 N1 N2 N3 N4 N7 M7 N5 IC IM LX POD L5 H1 H2
        L0 L1 L4 L7 L9 CD3 H6 SPO SDQ S5 TDS""".split(),
    ),
    "997": Spec(["AK1", "AK9"], ["AK2", "AK3", "AK4", "AK5"]),
}


def check(transaction):
    """Structural findings of a transaction set (unsupported id included)."""
    spec = SPECS.get(transaction.id)
    if spec is None:
        return [
            Problem(
                "transaction",
                "1",
                f"transaction set {transaction.id!r} is not supported",
                transaction.position,
                "ST",
                1,
            )
        ]
    return spec.check(transaction)


def _el(elements, index):
    """A value as mapped: trimmed (the raw payload keeps it as it came); all blanks is empty."""
    return elements[index].strip() if index < len(elements) else ""


def event_time(
    date, time_, code, default_offset_minutes=0, position=0, segment="AT7", element=5, index=0
):
    """``(ISO 8601 with offset)`` from an X12 date (CCYYMMDD), time (HHMM[SS]) and time code."""
    try:
        moment = datetime.strptime(date + (time_ or "0000")[:4], "%Y%m%d%H%M")
    except ValueError as error:
        raise ValueError(
            Problem(
                "element",
                "8",
                f"invalid date/time {date!r} {time_!r}",
                position,
                segment,
                element,
                index,
            )
        ) from error
    return moment.replace(tzinfo=_zone(code, default_offset_minutes)).isoformat()


def _zone(code, default_offset_minutes):
    if code in ZONE_TIME_CODES:
        return ZoneInfo(ZONE_TIME_CODES[code])
    hours = FIXED_TIME_CODES.get(code)
    if hours is None:
        return timezone(timedelta(minutes=default_offset_minutes))
    return timezone(timedelta(hours=hours))


def _utc(iso):
    """An ISO 8601 time with offset as UTC, for writing with time code UT."""
    return datetime.fromisoformat(iso).astimezone(timezone.utc)


def read_214(transaction, default_offset_minutes=0):
    """Shipment status: ``({shipment fields, "events": [...]}, problems)``."""
    status, problems, event = {"references": {}, "events": []}, [], None
    for index, seg in enumerate(transaction.segments, 1):
        tag = seg[0]
        position = transaction.position + index - 1
        if tag == "B10":
            status.update(pro_number=_el(seg, 1), shipment_id=_el(seg, 2), scac=_el(seg, 3))
            if not (status["shipment_id"] or status["pro_number"]):
                problems.append(
                    Problem(
                        "element",
                        "1",
                        "B10 names no shipment (B1001 or B1002)",
                        position,
                        "B10",
                        2,
                        index,
                    )
                )
        elif tag == "L11" and len(seg) > 2:
            status["references"][_el(seg, 2)] = _el(seg, 1)
        elif tag == "AT7":
            if not (_el(seg, 1) or _el(seg, 3)):
                problems.append(
                    Problem(
                        "element",
                        "1",
                        "AT7 has no status code (AT701 or AT703)",
                        position,
                        "AT7",
                        1,
                        index,
                    )
                )
                continue
            try:
                when = event_time(
                    _el(seg, 5),
                    _el(seg, 6),
                    _el(seg, 7),
                    default_offset_minutes,
                    position,
                    index=index,
                )
            except ValueError as error:
                problems.append(error.args[0])
                continue
            event = {
                "status_code": _el(seg, 1),
                "reason_code": _el(seg, 2),
                "appointment_code": _el(seg, 3),
                "appointment_reason": _el(seg, 4),
                "time": when,
                "time_code": _el(seg, 7),
                "position": position,
            }
            status["events"].append(event)
        elif tag == "MS1" and event is not None:
            event.update(city=_el(seg, 1), state=_el(seg, 2), country=_el(seg, 3))
        elif tag == "MS2" and event is not None:
            event.update(equipment=_el(seg, 2))
    if not status["events"] and not problems:
        problems.append(
            Problem(
                "segment",
                "3",
                "no AT7 status in the 214: nothing to apply",
                transaction.position,
                "AT7",
                set_position=len(transaction.segments),
                warning=True,
            )
        )
    return status, problems


def build_214(status, lines=None):
    """Body segments of a 214 from ``status`` (see :func:`read_214`)."""
    body = [
        ["B10", status.get("pro_number", ""), status.get("shipment_id", ""), status.get("scac", "")]
    ]
    body += [
        ["L11", value, qualifier]
        for qualifier, value in sorted(status.get("references", {}).items())
    ]
    for number, event in enumerate(status["events"], 1):
        moment = _utc(event["time"])
        body.append(["LX", str(number)])
        body.append(
            [
                "AT7",
                event.get("status_code", ""),
                event.get("reason_code", ""),
                event.get("appointment_code", ""),
                event.get("appointment_reason", ""),
                moment.strftime("%Y%m%d"),
                moment.strftime("%H%M"),
                "UT",
            ]
        )
        if event.get("city") or event.get("country"):
            body.append(
                ["MS1", event.get("city", ""), event.get("state", ""), event.get("country", "")]
            )
        if event.get("equipment"):
            body.append(["MS2", status.get("scac", ""), event["equipment"]])
    return body


def read_204(transaction, default_offset_minutes=0):
    """Load tender: ``({shipment fields, "stops": [...], "parties": {...}}, problems)``."""
    tender = {"references": {}, "stops": [], "parties": {}, "purpose": "00"}
    problems, stop, party = [], None, None
    for index, seg in enumerate(transaction.segments, 1):
        tag = seg[0]
        position = transaction.position + index - 1
        if tag == "B2":
            tender.update(scac=_el(seg, 2), shipment_id=_el(seg, 4), payment=_el(seg, 6))
            if not tender["shipment_id"]:
                problems.append(
                    Problem(
                        "element", "1", "B204 (shipment id) is mandatory", position, "B2", 4, index
                    )
                )
        elif tag == "B2A":
            tender["purpose"] = _el(seg, 1) or "00"
        elif tag == "L11" and stop is None:
            tender["references"][_el(seg, 2)] = _el(seg, 1)
        elif tag == "S5":
            try:
                sequence = int(_el(seg, 1))
            except ValueError:
                problems.append(
                    Problem(
                        "element",
                        "6",
                        "S501 (stop sequence) is not a number",
                        position,
                        "S5",
                        1,
                        index,
                    )
                )
                sequence = len(tender["stops"]) + 1
            stop = {
                "sequence": sequence,
                "reason": _el(seg, 2),
                "type": STOP_TYPES.get(_el(seg, 2), "transit"),
                "windows": [],
            }
            tender["stops"].append(stop)
            party = stop
        elif tag == "G62" and stop is not None:
            try:
                stop["windows"].append(
                    (
                        _el(seg, 1),
                        event_time(
                            _el(seg, 2),
                            _el(seg, 4),
                            _el(seg, 5),
                            default_offset_minutes,
                            position,
                            "G62",
                            2,
                            index,
                        ),
                    )
                )
            except ValueError as error:
                problems.append(error.args[0])
        elif tag == "N1":
            party = {"role": _el(seg, 1), "name": _el(seg, 2), "id": _el(seg, 4)}
            if stop is not None:
                stop.update(name=party["name"], location_id=party["id"])
                party = stop
            else:
                tender["parties"][party["role"]] = party
        elif tag == "N3" and party is not None:
            party["street"] = _el(seg, 1)
        elif tag == "N4" and party is not None:
            party.update(
                city=_el(seg, 1), state=_el(seg, 2), postal=_el(seg, 3), country=_el(seg, 4)
            )
        elif tag == "L3":
            tender.update(weight=_el(seg, 1), charge=_el(seg, 5))
    return tender, problems


def build_204(tender):
    body = [
        [
            "B2",
            "",
            tender.get("scac", ""),
            "",
            tender["shipment_id"],
            "",
            tender.get("payment", "PP"),
        ],
        ["B2A", tender.get("purpose", "00")],
    ]
    body += [
        ["L11", value, qualifier]
        for qualifier, value in sorted(tender.get("references", {}).items())
    ]
    for role, party in sorted(tender.get("parties", {}).items()):
        body += _party(role, party)
    for stop in tender["stops"]:
        body.append(
            [
                "S5",
                str(stop["sequence"]),
                stop.get("reason") or ("LD" if stop["type"] == "pickup" else "UL"),
            ]
        )
        for qualifier, when in stop.get("windows", []):
            moment = _utc(when)
            body.append(
                ["G62", qualifier, moment.strftime("%Y%m%d"), "", moment.strftime("%H%M"), "UT"]
            )
        if stop.get("name"):
            body += _party("SF" if stop["type"] == "pickup" else "ST", stop)
    if tender.get("weight") or tender.get("charge"):
        body.append(
            [
                "L3",
                tender.get("weight", ""),
                "G" if tender.get("weight") else "",
                "",
                "",
                tender.get("charge", ""),
            ]
        )
    return body


def _party(role, party):
    segs = [
        [
            "N1",
            role,
            party.get("name", ""),
            "93" if party.get("location_id") or party.get("id") else "",
            party.get("location_id") or party.get("id", ""),
        ]
    ]
    if party.get("street"):
        segs.append(["N3", party["street"]])
    if party.get("city"):
        segs.append(
            [
                "N4",
                party["city"],
                party.get("state", ""),
                party.get("postal", ""),
                party.get("country", ""),
            ]
        )
    return segs


def read_990(transaction):
    """Response to a load tender: ``({scac, shipment_id, accepted, date, reason}, problems)``."""
    response, problems = {}, []
    for index, seg in enumerate(transaction.segments, 1):
        position = transaction.position + index - 1
        if seg[0] == "B1":
            action = _el(seg, 4)
            if action not in ("A", "D"):
                problems.append(
                    Problem(
                        "element",
                        "7",
                        f"B104 {action!r} is not A (accept) or D (decline)",
                        position,
                        "B1",
                        4,
                        index,
                    )
                )
            response.update(
                scac=_el(seg, 1), shipment_id=_el(seg, 2), date=_el(seg, 3), accepted=action == "A"
            )
        elif seg[0] == "K1":
            response["reason"] = _el(seg, 1)
    return response, problems


def build_990(response):
    body = [
        [
            "B1",
            response.get("scac", ""),
            response["shipment_id"],
            response.get("date", ""),
            "A" if response["accepted"] else "D",
        ]
    ]
    if response.get("reason"):
        body.append(["K1", response["reason"][:30]])
    return body


def _amount(text, implied_decimals=2):
    """X12 N2 numbers carry two implied decimals: 12345 means 123.45."""
    try:
        return (Decimal(text) / (10**implied_decimals)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def read_210(transaction, default_offset_minutes=0):
    """Freight invoice: ``({invoice_number, shipment_id, scac, date, currency, total, charges}, problems)``."""
    invoice, problems, line = {"charges": [], "currency": "USD"}, [], None
    for index, seg in enumerate(transaction.segments, 1):
        tag, position = seg[0], transaction.position + index - 1
        if tag == "B3":
            invoice.update(
                invoice_number=_el(seg, 2),
                shipment_id=_el(seg, 3),
                payment=_el(seg, 4),
                date=_el(seg, 6),
                total=_amount(_el(seg, 7)),
                scac=_el(seg, 11),
            )
            if not invoice["invoice_number"]:
                problems.append(
                    Problem(
                        "element",
                        "1",
                        "B302 (invoice number) is mandatory",
                        position,
                        "B3",
                        2,
                        index,
                    )
                )
            if invoice["total"] is None:
                problems.append(
                    Problem("element", "6", "B307 is not a number", position, "B3", 7, index)
                )
        elif tag == "C3":
            invoice["currency"] = _el(seg, 1) or "USD"
        elif tag == "L1":
            amount = _amount(_el(seg, 4))
            if amount is None:
                problems.append(
                    Problem(
                        "element", "6", "L104 (charge) is not a number", position, "L1", 4, index
                    )
                )
                continue
            line = {
                "line": _el(seg, 1),
                "code": _el(seg, 8) or "400",
                "description": _el(seg, 12),
                "amount": amount,
            }
            invoice["charges"].append(line)
        elif tag == "L3":
            invoice["total_l3"] = _amount(_el(seg, 5))
    return invoice, problems


def build_210(invoice):
    cents = lambda amount: str(int((Decimal(amount) * 100).to_integral_value()))  # noqa: E731
    body = [
        [
            "B3",
            "",
            invoice["invoice_number"],
            invoice.get("shipment_id", ""),
            invoice.get("payment", "PP"),
            "",
            invoice["date"],
            cents(invoice["total"]),
            "",
            "",
            "",
            invoice.get("scac", ""),
        ],
        ["C3", invoice.get("currency", "USD")],
    ]
    for number, charge in enumerate(invoice["charges"], 1):
        body.append(["LX", str(number)])
        body.append(
            [
                "L1",
                str(number),
                "",
                "",
                cents(charge["amount"]),
                "",
                "",
                "",
                charge.get("code", "400"),
                "",
                "",
                "",
                charge.get("description", ""),
            ]
        )
    body.append(["L3", "", "", "", "", cents(invoice["total"])])
    return body


def read_997(transaction):
    """Functional acknowledgment: what the partner says of one of our groups."""
    ack, current, problems = {"sets": []}, None, []
    for index, seg in enumerate(transaction.segments, 1):
        tag, position = seg[0], transaction.position + index - 1
        if tag == "AK1":
            ack.update(functional_id=_el(seg, 1), group_control=_el(seg, 2))
        elif tag == "AK2":
            current = {"id": _el(seg, 1), "control": _el(seg, 2), "errors": []}
            ack["sets"].append(current)
        elif tag in ("AK3", "AK4") and current is not None:
            current["errors"].append("*".join(seg))
        elif tag == "AK5" and current is not None:
            current["status"] = _el(seg, 1)
        elif tag == "AK9":
            ack.update(
                status=_el(seg, 1), included=_el(seg, 2), received=_el(seg, 3), accepted=_el(seg, 4)
            )
            if ack["status"] not in ("A", "E", "P", "R", "M", "W", "X"):
                problems.append(
                    Problem(
                        "element",
                        "7",
                        f"AK901 {ack['status']!r} is no acknowledgment code",
                        position,
                        "AK9",
                        1,
                        index,
                    )
                )
    return ack, problems


def build_997(group):
    """The 997 body acknowledging a read functional group (see x12.Reader):
    counts for the group, AK2 detail for each set rejected (AK5 R) or accepted
    with deviations (AK5 E)."""
    body = [["AK1", group[1], group.control]]
    for transaction in group.reported:
        body.append(["AK2", transaction.id, transaction.control])
        for problem in (*transaction.problems, *transaction.deviations):
            if problem.level in ("segment", "element"):
                body.append(
                    [
                        "AK3",
                        problem.segment_id,
                        str(problem.set_position),
                        "",
                        problem.code if problem.level == "segment" else "8",
                    ]
                )
                if problem.level == "element":
                    body.append(["AK4", str(problem.element), "", problem.code])
        if transaction.problems:
            set_codes = [p.code for p in transaction.problems if p.level == "transaction"]
            body.append(["AK5", "R", *(set_codes[:5] or ["5"])])
        else:
            body.append(["AK5", "E"])
    # AK905 takes group-level codes only; interchange-level problems found
    # while the group was open are the TA1's to report
    group_codes = [p.code for p in group.problems if p.level == "group"][:5]
    if group.accepted < group.set_count:
        status = "P" if group.accepted else "R"
    else:  # every set accepted: E when something was noted, or the envelope is faulty
        status = "E" if group_codes or group.reported else "A"
    body.append(
        [
            "AK9",
            status,
            str(group.set_count),
            str(group.set_count),
            str(group.accepted),
            *group_codes,
        ]
    )
    return body


def build_ta1(interchange):
    """TA1 elements acknowledging a read interchange (x12.Envelope of its ISA):
    accepted, accepted with errors (deviations included), or rejected, with
    the first problem's (else the first deviation's) note code."""
    problems, deviations = interchange.problems, interchange.deviations
    status = (
        "R"
        if any(p.code in REJECTING_TA1_CODES for p in problems)
        else "E"
        if problems or deviations
        else "A"
    )
    first = (problems or deviations)[:1]
    return [
        interchange.control,
        interchange[9].strip(),
        interchange[10].strip(),
        status,
        first[0].code if first else "000",
    ]
