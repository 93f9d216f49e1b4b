"""X12 transaction sets of road freight, one module each, and the one table
that says, per set, what the rest of connector_edi needs: its functional
group, the segments it may hold, how it is read and written, what the
processor does with it and which partner switch lets it in.

Readers never raise on bad data: what they find is a Problem with its
position (for the 997), a deviation when the data is still read."""

from collections.abc import Callable
from typing import NamedTuple

from .. import canonical
from ..x12 import Problem
from . import set_204, set_210, set_214, set_990, set_997
from .common import Spec, event_time, n2_amount
from .set_204 import build_204, read_204
from .set_210 import build_210, read_210
from .set_214 import build_214, read_214
from .set_990 import build_990, read_990
from .set_997 import REJECTING_TA1_CODES, build_997, build_ta1, read_997


class TransactionSet(NamedTuple):
    id: str
    functional_id: str  # GS01 of the group that carries it
    spec: Spec
    read: Callable  # (transaction, default UTC offset in minutes) -> (data, problems)
    build: Callable  # data -> body segments
    step: str  # what the processor makes of it: its _apply_<step>
    message_type: str  # the outbound message type written as this set
    receive_flag: str = ""  # the partner profile's switch to receive it ("": always)
    events: Callable | None = None  # status sets: (data, origin, own code list) -> events


SETS = {
    transaction_set.id: transaction_set
    for transaction_set in (
        TransactionSet(
            "204", "SM", set_204.SPEC, read_204, build_204, "tender", "tender", "receive_tenders"
        ),
        TransactionSet(
            "990", "GF", set_990.SPEC, read_990, build_990, "tender_response", "tender_response"
        ),
        TransactionSet(
            "214",
            "QM",
            set_214.SPEC,
            read_214,
            build_214,
            "event",
            "milestone",
            "receive_status",
            canonical.events_from_214,
        ),
        TransactionSet(
            "210",
            "IM",
            set_210.SPEC,
            read_210,
            build_210,
            "freight_invoice",
            "freight_invoice",
            "receive_invoices",
        ),
        TransactionSet("997", "FA", set_997.SPEC, read_997, build_997, "ack_in", "ack"),
    )
}
BY_MESSAGE_TYPE = {
    transaction_set.message_type: transaction_set for transaction_set in SETS.values()
}


def check(transaction):
    """Structural findings of a transaction set (unsupported id included)."""
    transaction_set = SETS.get(transaction.id)
    if transaction_set is None:
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
    return transaction_set.spec.check(transaction)


__all__ = [
    "BY_MESSAGE_TYPE",
    "REJECTING_TA1_CODES",
    "SETS",
    "TransactionSet",
    "build_204",
    "build_210",
    "build_214",
    "build_990",
    "build_997",
    "build_ta1",
    "check",
    "event_time",
    "n2_amount",
    "read_204",
    "read_210",
    "read_214",
    "read_990",
    "read_997",
]
