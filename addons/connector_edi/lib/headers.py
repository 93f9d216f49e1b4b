"""An interchange file's envelope, read without parsing the rest: its text,
whether it is complete, and who sent it with which control number (the
identity that makes a resent interchange a duplicate)."""

import hashlib

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
    """``(standard, sender, control)`` of the first interchange in ``text``. Sets
    and messages without an interchange envelope have no sender or control
    number: a digest of the data stands for the control number, so the same
    file sent twice is still one message."""
    stripped = text.lstrip(x12.FILLER)
    opening = _opening(stripped)
    if opening == "ISA":
        _separators, isa, _length, _deviations = x12.read_isa(stripped[: x12.ISA_SCAN])
        return "x12", isa[6].strip(), isa[13].strip()
    if opening == "UNB":
        for _delimiters, elements, _notes in edifact.segments(stripped):
            if elements[0] == "UNB":
                return (
                    "edifact",
                    edifact.value(elements[2]) if len(elements) > 2 else "",
                    edifact.value(elements[5]) if len(elements) > 5 else "",
                )
            break
    if opening in ("ST", "UNH"):
        digest = hashlib.sha256(stripped.encode()).hexdigest()[:20]
        return STANDARDS[opening], "", f"#{digest}"
    raise ValueError(
        "neither X12 (ISA, or a bare GS/ST) nor EDIFACT (UNA/UNB, or a bare UNH): "
        f"the data starts with {stripped[:12]!r}"
    )


# how data opens: an interchange, or a set or message without one
STANDARDS = {"ISA": "x12", "ST": "x12", "UNB": "edifact", "UNH": "edifact"}


def _opening(text):
    """``ISA``, ``UNB`` (or UNA), ``ST`` (X12 without interchange), ``UNH``
    (EDIFACT without interchange) or None, for ``text`` without leading filler."""
    if text.startswith("ISA"):
        return "ISA"
    if text.startswith(("UNA", "UNB")):
        return "UNB"
    if x12.without_envelope(text):
        return "ST"
    if edifact.without_envelope(text):
        return "UNH"
    return None


def standard(text):
    """``"x12"`` or ``"edifact"`` by how the data starts; None when neither."""
    return STANDARDS.get(_opening(text.lstrip(x12.FILLER)))


def complete(text, bare_terminator=x12.DEFAULT_SEPARATORS.segment):
    """Does ``text`` end with an interchange trailer (IEA or UNZ; SE, GE or UNT
    for data without an interchange envelope, whose X12 segments end with
    ``bare_terminator``)? A file without one was cut short, or is still being
    written."""
    stripped = text.strip(x12.FILLER)
    opening = _opening(stripped)
    if opening == "ISA":
        try:
            terminator = x12.read_isa(stripped[: x12.ISA_SCAN])[0].segment
        except x12.X12Error:
            return False
        trailers = ("IEA",)
    elif opening == "ST":
        terminator, trailers = bare_terminator, ("SE", "GE")
    elif stripped.startswith("UNA") and len(stripped) >= 9:
        terminator, trailers = stripped[8], ("UNZ",)
    else:
        terminator = edifact.DEFAULT_DELIMITERS.segment
        trailers = ("UNT",) if opening == "UNH" else ("UNZ",)
    last = stripped.rstrip(terminator + x12.FILLER).rsplit(terminator, 1)[-1]
    return last.strip(x12.FILLER).startswith(trailers)
