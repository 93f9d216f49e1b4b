"""Derive a shipment's tracking state from its milestone history.

The rule (DESIGN.md §3, "Order"): milestones carry their own event time; the
status is set by the actual milestone with the highest progression rank, ties
broken by event time, so a milestone that arrives late never moves a shipment
backwards. Derived dates follow the same idea: the value with the latest event
time wins, whenever it was received.

Receipt order is the order of the facts given (their ``key``, ascending).
"""

from dataclasses import dataclass, field
from datetime import datetime

ACTUAL = "actual"


@dataclass(frozen=True)
class Fact:
    """What the derivation needs to know of one milestone."""

    key: int  # receipt order: a larger key was received later
    code: str
    event_time: datetime
    rank: int = 0
    status: str | None = None  # shipment status this code sets, if any
    classifier: str = ACTUAL
    stop: int | None = None
    stop_event: str | None = None  # "arrival" / "departure" at its stop
    estimated_time: datetime | None = None
    retracted: bool = False


@dataclass
class Tracking:
    status: str | None = None
    status_key: int | None = None
    last_event_time: datetime | None = None
    eta: datetime | None = None
    dates: dict = field(default_factory=dict)  # canonical code -> latest actual event time
    stop_times: dict = field(default_factory=dict)  # (stop, stop_event) -> latest event time
    late: set = field(default_factory=set)
    duplicates: set = field(default_factory=set)


def _identity(fact):
    return (fact.code, fact.classifier, fact.event_time, fact.stop)


def _later(current, candidate):
    return candidate if current is None or candidate > current else current


def derive(facts):
    """Return the :class:`Tracking` state of a history of :class:`Fact`."""
    state = Tracking()
    seen = set()
    latest_seen = None
    best = None  # (rank, event_time, key) of the fact that sets the status
    eta_time = None  # event time of the estimate that set state.eta
    for fact in sorted(facts, key=lambda f: f.key):
        if fact.retracted:
            continue
        identity = _identity(fact)
        if identity in seen:
            state.duplicates.add(fact.key)
            continue
        seen.add(identity)
        if latest_seen is not None and fact.event_time < latest_seen:
            state.late.add(fact.key)
        latest_seen = _later(latest_seen, fact.event_time)

        if fact.estimated_time and (eta_time is None or fact.event_time >= eta_time):
            eta_time, state.eta = fact.event_time, fact.estimated_time
        if fact.classifier != ACTUAL:
            continue
        state.last_event_time = _later(state.last_event_time, fact.event_time)
        state.dates[fact.code] = _later(state.dates.get(fact.code), fact.event_time)
        if fact.stop and fact.stop_event:
            slot = (fact.stop, fact.stop_event)
            state.stop_times[slot] = _later(state.stop_times.get(slot), fact.event_time)
        if fact.status:
            candidate = (fact.rank, fact.event_time, fact.key)
            if best is None or candidate > best:
                best = candidate
                state.status, state.status_key = fact.status, fact.key
    return state
