"""214 shipment status: read into a dict, built from one."""

from ..x12 import Problem
from .common import Spec, el, event_time, utc

SPEC = Spec(
    ["B10"],
    """L11 MAN Q7 K1 N1 N2 N3 N4 G62 G61 MS3 LX AT7 MS1 MS2 M7 AT5 AT8 CD3 NM1 SPO SDQ
    OID PRF LH1 LH2 LH3 LFH LEP LH4 LHT LHR""".split(),
)


def read_214(transaction, default_offset_minutes=0):
    """Shipment status: ``({shipment fields, "events": [...]}, problems)``."""
    status, problems, event = {"references": {}, "events": []}, [], None
    for index, seg in enumerate(transaction.segments, 1):
        tag = seg[0]
        position = transaction.position + index - 1
        if tag == "B10":
            status.update(pro_number=el(seg, 1), shipment_id=el(seg, 2), scac=el(seg, 3))
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
            status["references"][el(seg, 2)] = el(seg, 1)
        elif tag == "AT7":
            if not (el(seg, 1) or el(seg, 3)):
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
                    el(seg, 5),
                    el(seg, 6),
                    el(seg, 7),
                    default_offset_minutes,
                    position,
                    index=index,
                )
            except ValueError as error:
                problems.append(error.args[0])
                continue
            event = {
                "status_code": el(seg, 1),
                "reason_code": el(seg, 2),
                "appointment_code": el(seg, 3),
                "appointment_reason": el(seg, 4),
                "time": when,
                "time_code": el(seg, 7),
                "position": position,
            }
            status["events"].append(event)
        elif tag == "MS1" and event is not None:
            event.update(city=el(seg, 1), state=el(seg, 2), country=el(seg, 3))
        elif tag == "MS2" and event is not None:
            event.update(equipment=el(seg, 2))
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


def build_214(status):
    """Body segments of a 214 from ``status`` (see :func:`read_214`)."""
    body = [
        ["B10", status.get("pro_number", ""), status.get("shipment_id", ""), status.get("scac", "")]
    ]
    body += [
        ["L11", value, qualifier]
        for qualifier, value in sorted(status.get("references", {}).items())
    ]
    for number, event in enumerate(status["events"], 1):
        moment = utc(event["time"])
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
