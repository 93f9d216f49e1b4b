"""An interchange file's envelope, read without parsing the rest: its text,
whether it is complete, and who sent it with which control number (the
identity that makes a resent interchange a duplicate)."""

from . import edifact, x12


def decode(data):
    """Text of an interchange file: UTF-8 (ASCII is UTF-8) or else Latin-1, the
    character set of EDIFACT UNOB/UNOC and of extended X12 data, which maps
    every byte. Filler around it (NUL padding, an end-of-file mark, a
    byte-order mark) is dropped; a NUL inside becomes U+FFFD, visibly."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text.strip(x12.FILLER).replace("\x00", "\ufffd")


def identify(text):
    """``(standard, sender, control)`` of the first interchange in ``text``."""
    stripped = text.lstrip(x12.FILLER)
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


def complete(text):
    """Does ``text`` end with an interchange trailer (IEA or UNZ)? A file
    without one was cut short, or is still being written."""
    stripped = text.strip(x12.FILLER)
    if stripped.startswith("ISA") and len(stripped) >= x12.ISA_LENGTH:
        terminator, trailer = stripped[x12.ISA_LENGTH - 1], "IEA"
    elif stripped.startswith("UNA") and len(stripped) >= 9:
        terminator, trailer = stripped[8], "UNZ"
    else:
        terminator, trailer = edifact.DEFAULT_DELIMITERS.segment, "UNZ"
    last = stripped.rstrip(terminator + x12.FILLER).rsplit(terminator, 1)[-1]
    return last.strip(x12.FILLER).startswith(trailer)
