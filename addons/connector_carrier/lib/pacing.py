"""Pacing requests under a carrier's per-second quota (GCRA).

Each request takes the next free slot, ``spacing`` seconds after the previous
one. Counting per calendar second lets two full seconds' worth of requests
through around a window edge, and the carrier's edges are not ours; slots a
little wider than the quota allows (PACE) keep every second of the carrier's
own clock under it. The hub keeps the slot in PostgreSQL (one row per
carrier, shared by every worker); :class:`Pacer` is the same rule in memory.
"""

import time

PACE = 1.05


def spacing(quota_per_second):
    """Seconds between two requests to a carrier allowing ``quota_per_second``."""
    return PACE / quota_per_second


class Pacer:
    def __init__(self, quota_per_second, clock=time.monotonic, sleep=time.sleep):
        self.spacing = spacing(quota_per_second) if quota_per_second else 0
        self.clock, self.sleep, self.next_at = clock, sleep, 0.0

    def wait(self):
        """Sleep until this request's slot; return the seconds slept."""
        if not self.spacing:
            return 0.0
        now = self.clock()
        slot = max(self.next_at, now)
        self.next_at = slot + self.spacing
        if slot > now:
            self.sleep(slot - now)
        return max(slot - now, 0.0)
