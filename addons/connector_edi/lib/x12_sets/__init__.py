"""X12 transaction sets of road freight, one module each, and the one table
that says, per set, what the rest of connector_edi needs: its functional
group, the segments it may hold, how it is read and written, what the
processor does with it and which partner switch lets it in.

Readers never raise on bad data: what they find is a Problem with its
position (for the 997), a deviation when the data is still read."""

from .. import canonical
from ..exchange import Exchange
from ..x12 import Problem
from . import set_204, set_210, set_214, set_990, set_997
from .common import Spec, event_time, n2_amount
from .set_204 import build_204, read_204
from .set_210 import build_210, read_210
from .set_214 import build_214, read_214
from .set_990 import build_990, read_990
from .set_997 import REJECTING_TA1_CODES, build_997, build_ta1, read_997

SETS = {
    kind.id: kind
    for kind in (
        Exchange(
            "204",
            read_204,
            build_204,
            "tender",
            "tender",
            "receive_tenders",
            functional_id="SM",
            spec=set_204.SPEC,
        ),
        Exchange(
            "990",
            read_990,
            build_990,
            "tender_response",
            "tender_response",
            functional_id="GF",
            spec=set_990.SPEC,
        ),
        Exchange(
            "214",
            read_214,
            build_214,
            "event",
            "milestone",
            "receive_status",
            canonical.events_from_214,
            functional_id="QM",
            spec=set_214.SPEC,
        ),
        Exchange(
            "210",
            read_210,
            build_210,
            "freight_invoice",
            "freight_invoice",
            "receive_invoices",
            functional_id="IM",
            spec=set_210.SPEC,
        ),
        Exchange(
            "997", read_997, build_997, "ack_in", "ack", functional_id="FA", spec=set_997.SPEC
        ),
    )
}
BY_MESSAGE_TYPE = {
    transaction_set.message_type: transaction_set for transaction_set in SETS.values()
}


def check(transaction):
    """Structural findings of a transaction set (unsupported id included)."""
    kind = SETS.get(transaction.id)
    if kind is None:
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
    return kind.spec.check(transaction)


__all__ = [
    "BY_MESSAGE_TYPE",
    "REJECTING_TA1_CODES",
    "SETS",
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
