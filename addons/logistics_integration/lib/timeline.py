"""Lay out spans of time as bars on one horizontal axis (percentages)."""

from datetime import timedelta

MIN_SPAN = timedelta(days=7)  # an axis shorter than this makes every bar look alike


def layout(spans, now):
    """``spans``: dicts with ``start``, ``end`` (None: no end, the bar runs to the
    axis' end) and optionally ``mark`` (a moment to point at). Return
    ``(bars, now_percent)``: each span with ``left``, ``width`` and ``mark_at``
    in percent of an axis from the first start to the last end or now,
    whichever is later."""
    if not spans:
        return [], 0.0
    first = min(span["start"] for span in spans)
    last = max([now] + [span["end"] for span in spans if span["end"]])
    total = max(last - first, MIN_SPAN) * 1.04  # a margin after the last moment

    def percent(moment):
        return round(100 * (moment - first) / total, 2)

    bars = []
    for span in spans:
        left = percent(span["start"])
        right = percent(span["end"]) if span["end"] else 100.0
        mark = span.get("mark")
        bars.append(
            {
                **span,
                "left": left,
                "width": max(right - left, 0.6),
                "mark_at": percent(mark) if mark else None,
            }
        )
    return bars, percent(now)
