"""One row of the tables of what partners exchange (x12_sets.SETS,
edifact_messages.MESSAGES): what the rest of connector_edi needs to know of a
transaction set or message."""

from collections.abc import Callable
from typing import NamedTuple


class Exchange(NamedTuple):
    id: str  # X12 set id (214) or EDIFACT message type (IFTSTA)
    read: Callable  # (set or message, default UTC offset in minutes) -> (data, problems)
    build: Callable  # data -> body segments
    step: str  # what the processor makes of it: its _apply_<step>
    message_type: str  # the outbound message type written as this set or message
    receive_flag: str = ""  # the partner profile's switch to receive it ("": always)
    events: Callable | None = None  # status: (data, origin, own code list) -> canonical events
    functional_id: str = ""  # X12: GS01 of the group that carries it
    spec: object = None  # X12: the segments it may hold (x12_sets.common.Spec)
