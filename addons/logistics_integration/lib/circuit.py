"""A circuit breaker per outbound destination.

closed: deliveries go out; N consecutive failures open the circuit.
open: nothing is attempted until the cool-down has passed; messages wait.
half_open: one probe delivery is allowed; success closes, failure reopens.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"


@dataclass
class Circuit:
    state: str = CLOSED
    failures: int = 0
    opened_at: datetime | None = None
    threshold: int = 5
    cooldown: int = 60  # seconds

    def allows(self, now):
        """May a delivery be attempted now? Moves an open circuit to half-open after the cool-down."""
        if self.state == OPEN and self.opened_at and now >= self.retry_at():
            self.state = HALF_OPEN
        return self.state != OPEN

    def retry_at(self):
        return self.opened_at + timedelta(seconds=self.cooldown)

    def record_success(self):
        self.state, self.failures, self.opened_at = CLOSED, 0, None

    def record_failure(self, now):
        self.failures += 1
        if self.state == HALF_OPEN or self.failures >= self.threshold:
            self.state, self.opened_at = OPEN, now
