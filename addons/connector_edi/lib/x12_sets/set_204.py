"""204 load tender: read into a dict, built from one."""

from ..x12 import Problem
from .common import Spec, el, event_time, utc

# the segments of a 204 by its standard (4010 and 5010): a partner may send any
SPEC = Spec(
    ["B2", "S5"],
    """B2A L11 G62 MS3 AT5 PLD LH6 NTE N1 N2 N3 N4 G61 N7 N7A N7B MEA M7 S5 AT8 LAD OID
    L5 H1 H2 LH1 LH2 LH3 LFH LEP LH4 LHT LHR SPO SDQ L3 PER""".split(),
)

STOP_TYPES = {
    "LD": "pickup",
    "CL": "pickup",
    "PL": "pickup",
    "UL": "delivery",
    "CU": "delivery",
    "PU": "delivery",
}


def read_204(transaction, default_offset_minutes=0):
    """Load tender: ``({shipment fields, "stops": [...], "parties": {...}}, problems)``."""
    tender = {"references": {}, "stops": [], "parties": {}, "purpose": "00"}
    problems, stop, party = [], None, None
    for index, seg in enumerate(transaction.segments, 1):
        tag = seg[0]
        position = transaction.position + index - 1
        if tag == "B2":
            tender.update(scac=el(seg, 2), shipment_id=el(seg, 4), payment=el(seg, 6))
            if not tender["shipment_id"]:
                problems.append(
                    Problem(
                        "element", "1", "B204 (shipment id) is mandatory", position, "B2", 4, index
                    )
                )
        elif tag == "B2A":
            tender["purpose"] = el(seg, 1) or "00"
        elif tag == "L11" and stop is None:
            tender["references"][el(seg, 2)] = el(seg, 1)
        elif tag == "S5":
            try:
                sequence = int(el(seg, 1))
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
                "reason": el(seg, 2),
                "type": STOP_TYPES.get(el(seg, 2), "transit"),
                "windows": [],
            }
            tender["stops"].append(stop)
            party = stop
        elif tag == "G62" and stop is not None:
            try:
                stop["windows"].append(
                    (
                        el(seg, 1),
                        event_time(
                            el(seg, 2),
                            el(seg, 4),
                            el(seg, 5),
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
            party = {"role": el(seg, 1), "name": el(seg, 2), "id": el(seg, 4)}
            if stop is not None:
                stop.update(name=party["name"], location_id=party["id"])
                party = stop
            else:
                tender["parties"][party["role"]] = party
        elif tag == "N3" and party is not None:
            party["street"] = el(seg, 1)
        elif tag == "N4" and party is not None:
            party.update(city=el(seg, 1), state=el(seg, 2), postal=el(seg, 3), country=el(seg, 4))
        elif tag == "L3":
            tender.update(weight=el(seg, 1), charge=el(seg, 5))
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
            moment = utc(when)
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
