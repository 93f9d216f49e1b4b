"""When to try again: a delay pattern with jitter (Camel's redelivery policy).

A pattern maps attempt counts to delays in seconds, e.g. ``{1: 10, 3: 60, 5: 300}``:
attempts 1-2 wait 10 s, 3-4 wait 60 s, 5 and later 300 s. Jitter spreads
retries of a burst of failures so they do not hit the partner all at once.
"""

import random


def parse_pattern(text):
    """Parse ``"1:10, 3:60, 5:300"`` into ``{1: 10, 3: 60, 5: 300}``."""
    pattern = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        attempts, _sep, seconds = item.partition(":")
        try:
            pattern[int(attempts)] = int(seconds)
        except ValueError as error:
            raise ValueError(
                f"bad retry pattern item {item.strip()!r}: expected attempts:seconds"
            ) from error
    if not pattern:
        raise ValueError("empty retry pattern")
    return pattern


def delay(pattern, attempt, jitter=0.2, rng=random):
    """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
    base = pattern[min(pattern)]
    for threshold in sorted(pattern):
        if attempt >= threshold:
            base = pattern[threshold]
    spread = base * jitter
    return max(1, round(base + rng.uniform(-spread, spread)))
