"""Stage-adaptive polling: when to ask a carrier about a tracking number next.

Carriers are polled under quotas, and most polls of a parcel return nothing
new. The interval follows the parcel's stage and age: rarely before the first
scan, every few hours in transit (backing off while nothing changes, back to
the base interval on each new event), often on the delivery day and once out
for delivery, one confirmation poll after delivery (the POD often comes later),
and retirement after some days without any event.
"""

from dataclasses import dataclass
from datetime import timedelta

# Stages (see taxonomy.stage_of)
PENDING, IN_TRANSIT, OUT_FOR_DELIVERY, INCIDENT, DELIVERED, FINAL = (
    "pending",
    "in_transit",
    "out_for_delivery",
    "incident",
    "delivered",
    "final",
)


# The hours before the carrier's ETA polled at the delivery-day interval.
DELIVERY_WINDOW = timedelta(hours=6)


@dataclass(frozen=True)
class Policy:
    """Intervals in minutes; ``retire_days`` of silence end the polling. With
    ``safety_hours`` (a carrier that pushes webhooks) a number is polled only
    when its webhooks have been silent that long, and once after delivery."""

    pending: int = 720
    in_transit: int = 240
    in_transit_max: int = 720
    backoff: float = 1.5
    delivery_day: int = 60
    out_for_delivery: int = 45
    incident: int = 120
    confirmation: int = 240
    retire_days: int = 10
    safety_hours: int = 0


@dataclass(frozen=True)
class Decision:
    """The next poll (None: stop polling) and why, for the tracking form."""

    at: object
    reason: str


def next_poll(policy, stage, now, since, quiet_polls=0, eta=None, confirmed=False):
    """When to poll next. ``since`` is the last event (or the registration when
    there was none), ``quiet_polls`` the polls since the last new event, ``eta``
    the carrier's estimated delivery, ``confirmed`` whether the confirmation
    poll after delivery was made."""
    if stage == FINAL:
        return Decision(None, "final status")
    if stage == DELIVERED and confirmed:
        return Decision(None, "delivered and confirmed")
    if stage != DELIVERED and now - since > timedelta(days=policy.retire_days):
        return Decision(None, f"no event for {policy.retire_days} days")
    if policy.safety_hours and stage != DELIVERED:
        # silent since the last event, or since the last safety poll found nothing
        start = now if quiet_polls else since
        return Decision(
            max(start + timedelta(hours=policy.safety_hours), now), "safety poll (webhooks silent)"
        )
    minutes, reason = _interval(policy, stage, now, quiet_polls, eta)
    at = now + timedelta(minutes=minutes)
    if eta and stage in (IN_TRANSIT, INCIDENT) and now < eta - DELIVERY_WINDOW < at:
        return Decision(eta - DELIVERY_WINDOW, "delivery day starts")
    return Decision(at, reason)


def _interval(policy, stage, now, quiet_polls, eta):
    """Minutes to the next poll of a number still followed, and why."""
    delivery_day = eta and now >= eta - DELIVERY_WINDOW and stage in (IN_TRANSIT, INCIDENT)
    by_stage = {
        DELIVERED: (policy.confirmation, "confirm delivery (POD)"),
        OUT_FOR_DELIVERY: (policy.out_for_delivery, "out for delivery"),
        INCIDENT: (policy.incident, "incident"),
        PENDING: (policy.pending, "waiting for the first scan"),
        IN_TRANSIT: (
            min(policy.in_transit * policy.backoff**quiet_polls, policy.in_transit_max),
            "in transit",
        ),
    }
    if delivery_day:
        return min(policy.delivery_day, by_stage[stage][0]), "delivery day"
    return by_stage[stage]


def batches(due, upcoming, size):
    """The requests of one dispatch: ``due`` numbers in batches of ``size``,
    the last one topped up with the ``upcoming`` ones (soonest first) so a
    request the carrier answers for up to ``size`` numbers is not half empty."""
    chunks = [list(due[start : start + size]) for start in range(0, len(due), size)]
    room = size - len(chunks[-1]) if chunks else 0
    if room and upcoming:
        chunks[-1] += list(upcoming[:room])
    return chunks
