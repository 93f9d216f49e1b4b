"""Who sent an interchange and its control number, read from the header
alone: the identity that makes a resent interchange a duplicate."""

from . import edifact, x12


def identify(text):
    """``(standard, sender, control)`` of the first interchange in ``text``."""
    stripped = text.lstrip()
    if stripped.startswith("ISA"):
        separators = x12.read_separators(stripped[: x12.ISA_LENGTH])
        isa = stripped[: x12.ISA_LENGTH].split(separators.element)
        return "x12", isa[6].strip(), isa[13].strip()
    if stripped.startswith(("UNA", "UNB")):
        for _delimiters, elements in edifact.segments(stripped):
            if elements[0] == "UNB":
                return (
                    "edifact",
                    edifact.value(elements[2]) if len(elements) > 2 else "",
                    edifact.value(elements[5]) if len(elements) > 5 else "",
                )
            break
    raise ValueError(
        "neither X12 (ISA) nor EDIFACT (UNA/UNB): the data starts with " f"{stripped[:12]!r}"
    )
