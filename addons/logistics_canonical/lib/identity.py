"""Which shipment do a message's identifiers name? The rules, without the database.

A *claim* is one identifier a message carries (a PRO, a bill of lading…), with
the scope it is unique in: the backend that issued it, or a partner (the
carrier of a PRO, the shipper of a bill of lading). A stored identifier
*answers* a claim when kind and value agree, the scopes are compatible and,
for numbers that carriers reuse, the claim falls within the reuse window.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

_NOISE = re.compile(r"[\s\-./]+")


def normalize(value):
    """The form identifiers are matched in: partners pad, dash and case them freely
    ("pro 123-456 " is "PRO123456")."""
    return _NOISE.sub("", value or "").upper()


@dataclass(frozen=True)
class Claim:
    kind: int  # logistics.identifier.kind id
    value: str  # as received, trimmed
    backend: int = 0  # scope: the issuing backend (0 when partner-scoped or global)
    partner: int = 0  # scope: carrier, shipper or customer (0 when not known)
    at: datetime | None = None  # event time of the message carrying it
    match_value: str = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "match_value", normalize(self.value))

    def key(self):
        return (self.kind, self.backend, self.partner, self.match_value)


@dataclass(frozen=True)
class Known:
    """A stored identifier, as the matching needs it."""

    id: int
    shipment: int
    kind: int
    match_value: str
    backend: int = 0
    partner: int = 0
    last_seen: datetime | None = None


def compatible(claim, known):
    """Same kind and value; the same issuing backend; partners equal, or one unknown
    (a carrier that names no shipper still matches the shipper's bill of lading)."""
    return (
        claim.kind == known.kind
        and claim.match_value == known.match_value
        and claim.backend == known.backend
        and (not claim.partner or not known.partner or claim.partner == known.partner)
    )


def reused(claim, known, reuse_days):
    """True when the number was last seen longer ago than the carrier's reuse window:
    it names a new shipment now."""
    if not reuse_days or not claim.at or not known.last_seen:
        return False
    return claim.at - known.last_seen > timedelta(days=reuse_days)


@dataclass
class Resolution:
    """What the claims of one shipment reference point to."""

    shipments: set  # shipment ids the claims name (in their windows)
    reused: list  # Known identifiers whose number came back after its window


def resolve(claims, known, reuse_days):
    """Match ``claims`` against ``known`` identifiers; ``reuse_days`` per kind id."""
    shipments, stale = set(), []
    for claim in claims:
        for candidate in known:
            if not compatible(claim, candidate):
                continue
            if reused(claim, candidate, reuse_days.get(claim.kind, 0)):
                stale.append(candidate)
            else:
                shipments.add(candidate.shipment)
    return Resolution(shipments, stale)
