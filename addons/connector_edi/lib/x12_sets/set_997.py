"""997 functional acknowledgment, and the TA1 interchange acknowledgment."""

from ..x12 import Problem
from .common import Spec, el

SPEC = Spec(["AK1", "AK9"], ["AK2", "AK3", "AK4", "AK5"])

# TA105 notes that refuse the whole interchange: unreadable, cut short, or test
# data sent to production (and the reverse)
REJECTING_TA1_CODES = ("020", "023", "024")


def read_997(transaction, default_offset_minutes=0):
    """Functional acknowledgment: what the partner says of one of our groups."""
    ack, current, problems = {"sets": []}, None, []
    for index, seg in enumerate(transaction.segments, 1):
        tag, position = seg[0], transaction.position + index - 1
        if tag == "AK1":
            ack.update(functional_id=el(seg, 1), group_control=el(seg, 2))
        elif tag == "AK2":
            current = {"id": el(seg, 1), "control": el(seg, 2), "errors": []}
            ack["sets"].append(current)
        elif tag in ("AK3", "AK4") and current is not None:
            current["errors"].append("*".join(seg))
        elif tag == "AK5" and current is not None:
            current["status"] = el(seg, 1)
        elif tag == "AK9":
            ack.update(
                status=el(seg, 1), included=el(seg, 2), received=el(seg, 3), accepted=el(seg, 4)
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
