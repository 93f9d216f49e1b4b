"""990 response to a load tender."""

from ..x12 import Problem
from .common import Spec, el

SPEC = Spec(["B1"], "N9 G62 K1 V9 L11".split())


def read_990(transaction, default_offset_minutes=0):
    """Response to a load tender: ``({scac, shipment_id, accepted, date, reason}, problems)``."""
    response, problems = {}, []
    for index, seg in enumerate(transaction.segments, 1):
        position = transaction.position + index - 1
        if seg[0] == "B1":
            action = el(seg, 4)
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
                scac=el(seg, 1), shipment_id=el(seg, 2), date=el(seg, 3), accepted=action == "A"
            )
        elif seg[0] == "K1":
            response["reason"] = el(seg, 1)
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
