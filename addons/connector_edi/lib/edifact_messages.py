"""UN/EDIFACT transport messages: IFTSTA (status report) and IFTMIN
(instruction), read into plain dicts and built from them (directory D.01B).

Status events keep the code list agency of STS C555: codes of UN/ECE Rec. 24
(agency 6, or none) map through the standard list, carriers' own codes
(agency 87, ZZZ...) through the partner's list.
"""

from datetime import datetime, timedelta, timezone

from . import canonical
from .edifact import Problem, value
from .exchange import Exchange


def edifact_time(element, default_offset_minutes=0, position=0, segment="DTM"):
    """ISO 8601 from a DTM C507 (format 203 CCYYMMDDHHMM, 204 with seconds,
    102 CCYYMMDD, 303/304 with a trailing UTC offset like +01)."""
    text, form = value(element, 1), value(element, 2) or "203"
    layouts = {
        "102": "%Y%m%d",
        "203": "%Y%m%d%H%M",
        "204": "%Y%m%d%H%M%S",
        "303": "%Y%m%d%H%M",
        "304": "%Y%m%d%H%M%S",
    }
    if form not in layouts:
        raise ValueError(
            Problem("element", "12", f"DTM format {form!r} is not supported", position, segment, 1)
        )
    zone = timezone(timedelta(minutes=default_offset_minutes))
    if form in ("303", "304") and len(text) > len(datetime.now().strftime(layouts[form])):
        text, offset = text[:-3], text[-3:]
        try:
            zone = timezone(timedelta(hours=int(offset)))
        except ValueError as error:  # not a number, or beyond ±24 hours
            raise ValueError(
                Problem("element", "12", f"bad UTC offset {offset!r}", position, segment, 1)
            ) from error
    try:
        moment = datetime.strptime(text, layouts[form])
    except ValueError as error:
        raise ValueError(
            Problem("element", "12", f"invalid date/time {text!r}", position, segment, 1)
        ) from error
    return moment.replace(tzinfo=zone).isoformat()


def read_iftsta(message, default_offset_minutes=0):
    """``({"document", "references", "consignments": [{"reference", "references",
    "events": [...]}]}, problems)``.

    Read as carriers send it: references before the first CNI belong to the
    whole message (a CNI without its own number falls back on them); a status
    code in STS-01 alone is taken; any date/time of the status group dates it
    when none of the usual qualifiers does; places and times after a TDT are
    of a later transport leg, not of the status. What needed such reading is
    reported as a deviation."""
    report = {"consignments": [], "references": {}}
    problems, consignment, event, leg = [], None, None, False
    for index, seg in enumerate(message.segments, 1):
        tag, position = seg[0], message.position + index - 1
        if tag == "BGM":
            report["document"] = value(seg[2]) if len(seg) > 2 else ""
        elif tag == "CNI":
            consignment = {"reference": _element(seg, 2), "events": [], "references": {}}
            event, leg = None, False
            if not consignment["reference"]:
                consignment["reference"], problem = _message_reference(report, position)
                problems.append(problem)
            report["consignments"].append(consignment)
        elif tag == "STS" and consignment is not None:
            event, leg = _status_event(seg, position, problems), False
            if event is not None:
                consignment["events"].append(event)
        elif tag == "RFF" and len(seg) > 1:
            if consignment is None:
                report["references"][value(seg[1], 0)] = value(seg[1], 1)
            elif event is None:
                consignment["references"][value(seg[1], 0)] = value(seg[1], 1)
        elif tag == "TDT" and event is not None:
            leg = True  # TDT opens the status's transport group: a later leg
        elif tag == "DTM" and event is not None and not leg and len(seg) > 1:
            _date_event(event, seg[1], default_offset_minutes, position, problems)
        elif tag == "LOC" and event is not None and not leg and len(seg) > 2:
            event.setdefault("location_code", value(seg[2], 0))
            event.setdefault("location_name", value(seg[2], 3) or value(seg[2], 0))
    for consignment in report["consignments"]:
        for event in consignment["events"]:
            if "time" not in event:
                problems.append(
                    Problem(
                        "segment",
                        "13",
                        "status event without its date/time (DTM)",
                        event["position"],
                        "STS",
                    )
                )
                continue
            qualifier, at = event.pop("time_qualifier"), event.pop("time_position")
            if qualifier not in STATUS_TIMES:
                problems.append(
                    Problem(
                        "segment",
                        "13",
                        f"no usual status date/time (DTM+334): DTM+{qualifier} taken",
                        at,
                        "DTM",
                        1,
                        warning=True,
                    )
                )
    return report, problems


# DTM qualifiers that date a status: status change, effective, actual arrival,
# dispatch, execution
STATUS_TIMES = ("334", "7", "178", "11", "203")
ESTIMATED_ARRIVAL = "132"
# message-level references a CNI without number falls back on, best first:
# consignment (carrier's) number, shipment reference, waybill, bill of lading, booking
CONSIGNMENT_REFERENCES = ("CN", "SRN", "AAM", "BM", "BN", "CU")


def _element(seg, index):
    return value(seg[index]) if len(seg) > index else ""


def _message_reference(report, position):
    references = report["references"]
    for qualifier in (*CONSIGNMENT_REFERENCES, *references):
        if references.get(qualifier):
            return references[qualifier], Problem(
                "element",
                "13",
                f"CNI names no consignment: RFF+{qualifier} of the message "
                f"({references[qualifier]}) taken",
                position,
                "CNI",
                2,
                warning=True,
            )
    return "", Problem("element", "13", "CNI names no consignment", position, "CNI", 2)


def _status_event(seg, position, problems):
    status = seg[2] if len(seg) > 2 else ""
    code = value(status, 0)
    if not code and value(seg[1] if len(seg) > 1 else "", 0):
        code, status = value(seg[1], 0), ""
        problems.append(
            Problem(
                "element",
                "13",
                f"STS carries its status {code!r} in STS-01 (the status category): taken",
                position,
                "STS",
                1,
                warning=True,
            )
        )
    if not code:
        problems.append(
            Problem("element", "13", "STS has no status event code", position, "STS", 2)
        )
        return None
    reason = seg[3] if len(seg) > 3 else ""
    return {
        "status_code": code,
        "agency": value(status, 2),
        "reason_code": value(reason, 0),
        "reason_text": value(reason, 3),
        "position": position,
    }


def _date_event(event, element, default_offset_minutes, position, problems):
    """A DTM of the status group: the estimated arrival, the status time (the
    usual qualifiers win), or, when nothing else dates it, any other."""
    qualifier = value(element, 0)
    if qualifier != ESTIMATED_ARRIVAL and (
        event.get("time_qualifier") in STATUS_TIMES
        or ("time" in event and qualifier not in STATUS_TIMES)
    ):
        return  # dated already, as well as this one would
    try:
        when = edifact_time(element, default_offset_minutes, position)
    except ValueError as error:
        problems.append(error.args[0])
        return
    if qualifier == ESTIMATED_ARRIVAL:
        event["eta"] = when
    else:
        event.update(time=when, time_qualifier=qualifier, time_position=position)


def build_iftsta(report):
    body = [["BGM", "23", report.get("document", ""), "9"]]
    for consignment in report["consignments"]:
        body.append(["CNI", str(len(body)), consignment["reference"]])
        for qualifier, reference in sorted(consignment.get("references", {}).items()):
            body.append(["RFF", [qualifier, reference]])
        for event in consignment["events"]:
            body.append(
                [
                    "STS",
                    "1",
                    [event["status_code"], "", event.get("agency", "")],
                    [event.get("reason_code", ""), "", "", event.get("reason_text", "")]
                    if event.get("reason_code")
                    else "",
                ]
            )
            body.append(["DTM", ["334", *_dtm(event["time"])]])
            if event.get("eta"):
                body.append(["DTM", ["132", *_dtm(event["eta"])]])
            if event.get("location_code"):
                body.append(
                    ["LOC", "35", [event["location_code"], "", "", event.get("location_name", "")]]
                )
    return body


def _dtm(iso):
    """DTM format 303 carries whole hours of offset: other offsets go as UTC."""
    moment = datetime.fromisoformat(iso)
    minutes = int(moment.utcoffset().total_seconds() // 60)
    if minutes % 60:
        moment, minutes = moment.astimezone(timezone.utc), 0
    return [moment.strftime("%Y%m%d%H%M") + f"{minutes // 60:+03d}", "303"]


def read_iftmin(message, default_offset_minutes=0):
    """Transport instruction: ``({shipment_id, references, stops, ...}, problems)``."""
    instruction, problems = {"references": {}, "stops": [], "parties": {}}, []
    current_party = None
    for index, seg in enumerate(message.segments, 1):
        tag, position = seg[0], message.position + index - 1
        if tag == "BGM":
            instruction["shipment_id"] = value(seg[2]) if len(seg) > 2 else ""
            instruction["purpose"] = {"9": "00", "1": "01", "5": "04"}.get(
                value(seg[3]) if len(seg) > 3 else "9", "00"
            )
            if not instruction["shipment_id"]:
                problems.append(
                    Problem("element", "13", "BGM has no document number", position, "BGM", 2)
                )
        elif tag == "RFF" and len(seg) > 1:
            instruction["references"][value(seg[1], 0)] = value(seg[1], 1)
        elif tag == "TDT" and len(seg) > 5:
            instruction["carrier"] = value(seg[5], 0)
        elif tag == "NAD" and len(seg) > 1:
            role = value(seg[1])
            current_party = {
                "role": role,
                "id": value(seg[2], 0) if len(seg) > 2 else "",
                "name": value(seg[4], 0)
                if len(seg) > 4
                else value(seg[3], 0)
                if len(seg) > 3
                else "",
                "street": value(seg[5], 0) if len(seg) > 5 else "",
                "city": value(seg[6]) if len(seg) > 6 else "",
                "postal": value(seg[8]) if len(seg) > 8 else "",
                "country": value(seg[9]) if len(seg) > 9 else "",
            }
            instruction["parties"][role] = current_party
        elif tag == "DTM" and len(seg) > 1 and value(seg[1], 0) in ("234", "2", "200", "17"):
            try:
                when = edifact_time(seg[1], default_offset_minutes, position)
            except ValueError as error:
                problems.append(error.args[0])
                continue
            key = "pickup" if value(seg[1], 0) in ("234", "200") else "delivery"
            instruction[f"{key}_time"] = when
        elif tag == "GID" and len(seg) > 2:
            instruction["pieces"] = value(seg[2], 0)
    for sequence, (role, stop_type) in enumerate((("CZ", "pickup"), ("CN", "delivery")), 1):
        party = instruction["parties"].get(role)
        if party:
            window = instruction.get(f"{stop_type}_time")
            instruction["stops"].append(
                {
                    **party,
                    "sequence": sequence,
                    "type": stop_type,
                    "windows": [("window", window)] if window else [],
                }
            )
    if len(instruction["stops"]) < 2 and not problems:
        problems.append(
            Problem(
                "segment",
                "13",
                "IFTMIN names no consignor (NAD+CZ) or no consignee (NAD+CN): "
                "its stops are incomplete",
                message.position,
                "NAD",
                warning=True,
            )
        )
    return instruction, problems


def build_iftmin(instruction):
    body = [
        [
            "BGM",
            "340",
            instruction["shipment_id"],
            {"00": "9", "01": "1", "04": "5"}.get(instruction.get("purpose", "00"), "9"),
        ]
    ]
    for qualifier, reference in sorted(instruction.get("references", {}).items()):
        body.append(["RFF", [qualifier, reference]])
    if instruction.get("carrier"):
        body.append(["TDT", "20", "", "3", "", [instruction["carrier"]]])
    for stop in instruction["stops"]:
        role = "CZ" if stop["type"] == "pickup" else "CN"
        body.append(
            [
                "NAD",
                role,
                [stop.get("id", "")],
                "",
                [stop.get("name", "")],
                [stop.get("street", "")],
                stop.get("city", ""),
                "",
                stop.get("postal", ""),
                stop.get("country", ""),
            ]
        )
        for _qualifier, when in stop.get("windows", []):
            body.append(["DTM", ["234" if stop["type"] == "pickup" else "2", *_dtm(when)]])
    if instruction.get("pieces"):
        body.append(["GID", "1", [instruction["pieces"]]])
    return body


# CONTRL action codes (0083): rejected, acknowledged (lower levels too unless
# rejected); a CONTRL carrying only these answers syntax for the interchange
CONTRL_REJECTED, CONTRL_ACKNOWLEDGED = "4", "7"


def build_contrl(interchange, messages=None):
    """CONTRL body answering a read interchange (edifact.Envelope of its UNB):
    UCI for the interchange; with ``messages`` (read Messages, their segments
    no longer needed), a UCM for each, acknowledged or rejected with the first
    problem's syntax error code."""
    uci = [
        "UCI",
        interchange.control,
        [value(interchange[2], 0), value(interchange[2], 1)],
        [value(interchange[3], 0), value(interchange[3], 1)],
        CONTRL_REJECTED if interchange.problems else CONTRL_ACKNOWLEDGED,
    ]
    if interchange.problems:
        uci.append(interchange.problems[0].code)
    body = [uci]
    for message in messages or ():
        ucm = [
            "UCM",
            message.reference,
            [message.type, message.version[:1], message.version[1:], "UN"],
            CONTRL_REJECTED if message.problems else CONTRL_ACKNOWLEDGED,
        ]
        if message.problems:
            ucm.append(message.problems[0].code)
        body.append(ucm)
    return body


def read_contrl(message, default_offset_minutes=0):
    """A partner's CONTRL about one of our interchanges: ``({interchange,
    action, error, messages: [{reference, type, action, error}]}, problems)``."""
    contrl, problems = {"messages": []}, []
    for seg in message.segments:
        tag = seg[0]
        if tag == "UCI":
            contrl.update(
                interchange=_element(seg, 1), action=_element(seg, 4), error=_element(seg, 5)
            )
        elif tag == "UCM":
            contrl["messages"].append(
                {
                    "reference": _element(seg, 1),
                    "type": value(seg[2], 0) if len(seg) > 2 else "",
                    "action": _element(seg, 3),
                    "error": _element(seg, 4),
                }
            )
    if "interchange" not in contrl:
        problems.append(Problem("segment", "13", "CONTRL without UCI", message.position, "UCI"))
    return contrl, problems


MESSAGES = {
    kind.id: kind
    for kind in (
        Exchange(
            "IFTSTA",
            read_iftsta,
            build_iftsta,
            "event",
            "milestone",
            "receive_status",
            canonical.events_from_iftsta,
        ),
        Exchange("IFTMIN", read_iftmin, build_iftmin, "tender", "tender", "receive_tenders"),
        Exchange("CONTRL", read_contrl, build_contrl, "contrl_in", "contrl"),
    )
}
BY_MESSAGE_TYPE = {kind.message_type: kind for kind in MESSAGES.values()}
