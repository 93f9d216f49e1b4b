"""Freight audit: the charges a partner reports against what its rate card
says, line by line and for the whole bill, within its tolerances."""

from dataclasses import dataclass, field

MATCHED = "matched"
WITHIN_VARIANCE = "within_variance"
MISMATCHED = "mismatched"
CENT = 0.005


@dataclass(frozen=True)
class Tolerance:
    """A bill passes when its variance is within the amount AND the percent
    (whichever is less); each line when within ``line_percent`` of its
    expected amount."""

    amount: float = 0.0
    percent: float = 0.0
    line_percent: float = 0.0


@dataclass
class Line:
    key: str
    label: str
    expected: float
    actual: float
    within: bool = True

    @property
    def variance(self):
        return self.actual - self.expected


@dataclass
class Verdict:
    status: str
    lines: list = field(default_factory=list)
    expected_total: float = 0.0
    actual_total: float = 0.0

    @property
    def variance(self):
        return self.actual_total - self.expected_total

    def table(self):
        """The lines side by side, as text for an exception or a chatter note."""
        rows = [f"{'charge':<28}{'expected':>12}{'actual':>12}{'variance':>12}"]
        for line in self.lines:
            mark = "" if line.within else "  <-- outside tolerance"
            rows.append(
                f"{line.label[:27]:<28}{line.expected:>12.2f}{line.actual:>12.2f}"
                f"{line.variance:>+12.2f}{mark}"
            )
        rows.append(
            f"{'total':<28}{self.expected_total:>12.2f}{self.actual_total:>12.2f}"
            f"{self.variance:>+12.2f}"
        )
        return "\n".join(rows)


def audit(expected, actual, tolerance, labels=None):
    """Compare ``actual`` with ``expected`` (both: key -> amount). A key on one
    side only is a line whose other side is 0: an unexpected or a missing charge."""
    labels = labels or {}
    keys = list(expected) + [key for key in actual if key not in expected]
    lines = []
    for key in keys:
        line = Line(key, labels.get(key, key), expected.get(key, 0.0), actual.get(key, 0.0))
        line.within = _line_within(line, tolerance)
        lines.append(line)
    verdict = Verdict(MATCHED, lines, sum(expected.values()), sum(actual.values()))
    if all(abs(line.variance) < CENT for line in lines):
        return verdict
    bill_ok = abs(verdict.variance) <= tolerance.amount + CENT and (
        abs(verdict.variance) <= abs(verdict.expected_total) * tolerance.percent / 100.0 + CENT
    )
    verdict.status = (
        WITHIN_VARIANCE if bill_ok and all(line.within for line in lines) else MISMATCHED
    )
    return verdict


def _line_within(line, tolerance):
    if abs(line.variance) < CENT:
        return True
    if not line.expected:
        return False
    return abs(line.variance) <= abs(line.expected) * tolerance.line_percent / 100.0 + CENT
