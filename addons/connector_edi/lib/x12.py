"""X12: a streaming tokenizer, envelope validation and an envelope writer.

The separators come from the ISA header, which is fixed-width: the element
separator is its 4th character, the repetition separator ISA11 (from 4020 on;
before, ISA11 is the standards identifier), the component separator ISA16 and
the segment terminator the character right after it. Newlines after
terminators are ignored. Several interchanges may follow each other, each with
its own separators.

Reading streams: text is consumed in chunks and transaction sets are yielded
as they close, so memory stays flat whatever the file size. Envelopes are
checked as they close (control numbers, counts) and every problem carries the
position of the segment at fault: bad input is reported, never a crash.
"""

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import NamedTuple

ISA_SCAN = 512  # an ISA, however padded or wrapped, is read from this much text
CHUNK = 1 << 16
# what may stand between interchanges or around them: whitespace, a byte-order
# mark, NUL padding and the DOS end-of-file mark some translators append
FILLER = " \t\r\n\x00\x1a\ufeff"
BLANKS = " \t"
LAYOUT = " \t\r\n"
ENVELOPE_TAGS = frozenset(("SE", "ST", "GS", "GE", "IEA"))
# ISA01…ISA15: fixed width, and the TA1 note code naming the element
ISA_WIDTHS = (
    (2, "010"),
    (10, "011"),
    (2, "012"),
    (10, "013"),
    (2, "005"),
    (15, "006"),
    (2, "007"),
    (15, "008"),
    (6, "014"),
    (4, "015"),
    (1, "016"),
    (5, "017"),
    (9, "018"),
    (1, "019"),
    (1, "020"),
)
LAYOUT_CODE = "022"  # TA1 note "invalid control structure": the nearest for layout
# what reading a segment forgave, reported once per interchange
INDENTED, WRAPPED, PADDED = "indented", "wrapped", "padded"
LAYOUT_NOTES = {
    INDENTED: "blanks before segment tags (pretty-printed): read without them",
    WRAPPED: "line breaks inside segments (wrapped at a fixed width): read as one stream",
    PADDED: "values padded with blanks: read trimmed",
}


class Separators(NamedTuple):
    element: str = "*"
    component: str = ">"
    repetition: str = "^"
    segment: str = "~"


DEFAULT_SEPARATORS = Separators()


@dataclass
class Problem:
    """Something wrong with the input, located well enough to fix it.

    ``code`` uses the acknowledgment vocabulary of its level: TA1 I18 codes for
    interchanges, AK905 for groups, AK502 for sets, AK304 for segments and
    AK403 for elements."""

    level: str
    code: str
    message: str
    position: int = 0  # of the segment in its interchange (ISA = 1)
    segment_id: str = ""
    element: int = 0  # 1-based element position, 0 for the whole segment
    set_position: int = 0  # of the segment in its transaction set (ST = 1)
    warning: bool = False  # a deviation: reported, the data is still read and applied

    def __str__(self):
        where = f"segment {self.position}" if self.position else "end of data"
        if self.segment_id:
            where += f" {self.segment_id}" + (f"{self.element:02d}" if self.element else "")
        if self.set_position:  # as the 997 counts them (AK302)
            where += f" (segment {self.set_position} of its set)"
        return f"{where}: {self.message}"


class Findings:
    """What reading found: ``problems`` reject, ``deviations`` are reported only."""

    def add(self, problems):
        for problem in problems:
            (self.deviations if problem.warning else self.problems).append(problem)


class X12Error(Exception):
    """The data cannot be read as X12 at all: no ISA, unusable separators."""

    def __init__(self, problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class Envelope(Findings):
    """An interchange (ISA) or functional group (GS) as read, with what closing it
    found; ``bare`` when the data had no such envelope around its sets."""

    elements: list
    position: int
    separators: Separators
    problems: list = field(default_factory=list)
    deviations: list = field(default_factory=list)
    bare: bool = False
    groups: int = 0  # interchange: groups read
    ta1s: list = field(default_factory=list)  # interchange: TA1 segments (acknowledgments) in it
    # group: its sets, counted; only those rejected or read with deviations are
    # kept (for the 997), so reading a big group keeps memory flat
    set_count: int = 0
    accepted: int = 0
    reported: list = field(default_factory=list)
    last: "SetResult | None" = None

    def settle(self):
        """Count the last set read, once whoever read it has added its findings."""
        if self.last is not None:
            if not self.last.problems:
                self.accepted += 1
            if self.last.problems or self.last.deviations:
                self.reported.append(self.last)
            self.last = None

    def __getitem__(self, index):
        return self.elements[index] if index < len(self.elements) else ""

    @property
    def control(self):
        return (self[13] if self[0] == "ISA" else self[6]).strip()


@dataclass
class SetResult:
    """What a functional group remembers of a rejected set: enough for its 997."""

    id: str
    control: str
    problems: list  # the set's own lists: what is found later still counts
    deviations: list

    @property
    def accepted(self):
        return not self.problems


@dataclass
class TransactionSet(Findings):
    """One ST…SE set, its segments (element lists, ST and SE included) and findings."""

    id: str
    control: str
    segments: list
    interchange: Envelope
    group: Envelope
    position: int
    problems: list = field(default_factory=list)
    deviations: list = field(default_factory=list)

    @property
    def accepted(self):
        return not self.problems


def read_isa(text):
    """``(separators, elements, length, deviations)`` of the ISA that starts ``text``.

    Read as partners send it, not at fixed offsets: the element separator is
    the 4th character, the 16th element separator ends ISA15, ISA16 is the
    component separator and the character after it the segment terminator.
    Line breaks inside the ISA (wrapped files) are layout. Elements not padded
    to their fixed widths are deviations, reported with the TA1 note code of
    the element; ``length`` is how much of ``text`` the ISA took."""
    if not text.startswith("ISA") or len(text) < 4:
        raise X12Error(Problem("interchange", "024", "data does not start with an ISA segment", 1))
    element = text[3]
    if element.isalnum() or element in LAYOUT:
        raise X12Error(
            Problem("interchange", "026", f"unusable element separator {element!r}", 1, "ISA")
        )
    end = 3
    for _ in range(15):
        end = text.find(element, end + 1)
        if end < 0:
            raise X12Error(
                Problem("interchange", "024", "ISA has fewer than 16 elements", 1, "ISA")
            )
    component_at = _skip_line_breaks(text, end + 1)
    terminator_at = _skip_line_breaks(text, component_at + 1)
    if terminator_at >= len(text):
        raise X12Error(Problem("interchange", "023", "data ends inside the ISA segment", 1, "ISA"))
    component, terminator = text[component_at], text[terminator_at]
    length = terminator_at + 1
    if terminator_at > component_at + 1 and (terminator.isalnum() or terminator in " \t"):
        # a line break after ISA16, then the next segment's tag: the terminator is the newline
        terminator, length = "\n", component_at + 2
    head = text[:end]
    broken = "\n" in head or "\r" in head
    if broken:
        head = head.replace("\r", "").replace("\n", "")
    elements = [*head.split(element), component]
    if len(elements) != 17:
        raise X12Error(
            Problem("interchange", "024", f"ISA has {len(elements) - 1} elements instead of 16", 1)
        )
    if terminator.isalnum() or len({element, component, terminator}) < 3:
        raise X12Error(
            Problem("interchange", "004", "ISA separators are unusable or not distinct", 1, "ISA")
        )
    deviations = []
    for index, (width, code) in enumerate(ISA_WIDTHS, 1):
        if len(elements[index]) != width:
            deviations.append(
                Problem(
                    "interchange",
                    code,
                    f"ISA{index:02d} is {len(elements[index])} characters long instead of {width}",
                    1,
                    "ISA",
                    index,
                    warning=True,
                )
            )
    if broken:
        deviations.append(_layout_note("line break inside the ISA segment", 1, "ISA"))
    repetition = elements[11] if elements[12].strip().zfill(5) >= "00402" else "^"
    return Separators(element, component, repetition, terminator), elements, length, deviations


def without_envelope(text):
    """Does ``text`` start with a set or group that has no interchange around it?"""
    return text.startswith(("ST", "GS")) and text[2:3] != "" and not text[2].isalnum()


def _skip_line_breaks(text, index):
    while index < len(text) and text[index] in "\r\n":
        index += 1
    return index


def _layout_note(message, position, segment_id=""):
    return Problem("interchange", LAYOUT_CODE, message, position, segment_id, warning=True)


def _note(message, position, segment_id=""):
    return Problem("interchange", "024", message, position, segment_id, warning=True)


def segments(source, chunk_size=CHUNK, bare=DEFAULT_SEPARATORS):
    """Yield ``(separators, elements, notes)`` for every segment of ``source`` (a
    string, or a text stream read ``chunk_size`` characters at a time); ``notes``
    are the deviations reading it forgave (line breaks inside it, blanks before
    its tag; the ISA's own). Sets without an envelope (data starting with ST or
    GS) are read with the ``bare`` separators."""
    read = _reader(source, chunk_size)
    buffer, eof = "", False
    while True:
        buffer = buffer.lstrip(FILLER)
        while len(buffer) < ISA_SCAN and not eof:
            more = read()
            eof = not more
            buffer = (buffer + more).lstrip(FILLER)
        if not buffer:
            return
        if without_envelope(buffer):
            separators = bare._replace(element=buffer[2])
        else:
            separators, isa, length, deviations = read_isa(buffer)
            yield separators, isa, tuple(deviations)
            buffer = buffer[length:]
        terminator = separators.segment
        # line breaks around terminators are layout, whatever the terminator
        # (a "\n" terminator written as "\r\n" leaves a "\r" behind); inside a
        # segment they are layout too, unless they are the terminator
        wrapping = terminator not in "\r\n"
        element = separators.element
        while True:
            parts = buffer.split(terminator)
            plain = _plain(buffer.lstrip("\r\n"), terminator, wrapping)
            buffer = parts.pop()
            for index, part in enumerate(parts):
                raw = part.strip("\r\n")
                if not raw:
                    continue
                if plain or not (
                    raw[0] in BLANKS or " " in raw or (wrapping and ("\n" in raw or "\r" in raw))
                ):
                    elements = raw.split(element)
                    yield separators, elements, ()
                else:  # the slow path: layout to take away
                    raw, notes = _unlayout(raw, wrapping, element)
                    if not raw:
                        continue
                    elements = raw.split(element)
                    yield separators, elements, notes
                if elements[0] == "IEA":
                    buffer = terminator.join([*parts[index + 1 :], buffer])
                    break
            else:
                if eof:
                    last, notes = _unlayout(buffer.strip(FILLER), wrapping, element)
                    if last:  # a last segment without terminator
                        yield separators, last.split(element), notes
                    return
                more = read()
                eof = not more
                buffer += more
                continue
            break


def _plain(text, terminator, wrapping):
    """Most chunks hold no layout to forgive: no blank, and line breaks only
    right after terminators. Those skip the checks segment by segment."""
    if " " in text or "\t" in text:
        return False
    if not wrapping:
        return True
    breaks = text.count("\n") + text.count("\r")
    return breaks == text.count(terminator + "\n") + 2 * text.count(terminator + "\r\n")


def _unlayout(part, wrapping, element):
    """A segment's text without its layout, and what layout it had. Values
    padded with blanks are kept as they came: mapping trims them."""
    raw = part.strip("\r\n")
    if not raw:
        return raw, ()
    notes = ()
    if raw[0] in BLANKS:
        raw = raw.strip(LAYOUT)
        notes = (INDENTED,)
    if wrapping and ("\n" in raw or "\r" in raw):
        raw = raw.replace("\r", "").replace("\n", "")
        notes += (WRAPPED,)
    if " " in raw and (raw[-1] == " " or f" {element}" in raw or f"{element} " in raw):
        notes += (PADDED,)
    return raw, notes


def _reader(source, chunk_size):
    if isinstance(source, str):
        chunks = iter([source])
        return lambda: next(chunks, "")
    return lambda: source.read(chunk_size)


class Reader:
    """Read X12 data: yields ``("set", TransactionSet)`` as each set closes,
    ``("group", Envelope)`` as each functional group closes and
    ``("interchange", Envelope)`` as each interchange closes. Envelope problems
    (trailers missing, counts or control numbers that disagree) are attached
    to the envelope they concern; set problems to the set. What reading forgave
    (layout, padding, a missing envelope) is in their ``deviations``.

    ``separators`` read sets that come without an interchange envelope (the
    partner profile's)."""

    def __init__(self, source, chunk_size=CHUNK, keep_segments=True, separators=None):
        self.source, self.chunk_size, self.keep_segments = source, chunk_size, keep_segments
        self.separators = separators or DEFAULT_SEPARATORS

    def __iter__(self):
        interchange = group = current = None
        position, layout = 0, set()
        try:
            for separators, elements, notes in segments(
                self.source, self.chunk_size, self.separators
            ):
                tag = elements[0]
                if tag == "ISA":
                    if interchange is not None:  # the previous one never closed
                        yield from self._close_interchange(
                            interchange, group, current, position, None
                        )
                    interchange = Envelope(elements, 1, separators, deviations=list(notes))
                    group = current = None
                    position, layout = 1, set()
                    continue
                if interchange is None:
                    interchange = Envelope(["ISA"], 0, separators, bare=True)
                    interchange.deviations.append(
                        _note(
                            "interchange envelope ISA/IEA missing: read with the partner's "
                            "separators",
                            1,
                            tag,
                        )
                    )
                    position, layout = 0, set()
                position += 1
                if notes:
                    for note in notes:
                        if note not in layout:  # once per interchange, where first seen
                            layout.add(note)
                            interchange.deviations.append(
                                _layout_note(LAYOUT_NOTES[note], position, tag)
                            )
                if current is not None:
                    if tag not in ENVELOPE_TAGS:
                        current.add(elements)
                        continue
                    if tag == "SE":
                        current.add(elements)
                        yield "set", self._close_set(current, elements, position)
                        current = None
                        continue
                    # an envelope segment while a set is open: the set lost its SE
                    current.problems.append(
                        Problem(
                            "transaction", "2", "transaction set trailer SE missing", position, tag
                        )
                    )
                    yield "set", current.finish()
                    current = None
                if tag == "GS":
                    if group is not None:
                        group.problems.append(
                            Problem(
                                "group", "3", "functional group trailer GE missing", position, "GS"
                            )
                        )
                        group.settle()
                        yield "group", group
                    group = Envelope(elements, position, separators)
                    interchange.groups += 1
                elif tag == "ST":
                    if group is None:
                        group = self._bare_group(interchange, position, separators)
                    current = _OpenSet(elements, position, interchange, group, self.keep_segments)
                elif tag == "GE":
                    if group is None:
                        interchange.problems.append(
                            Problem("interchange", "024", "GE without GS", position, "GE")
                        )
                    else:
                        yield "group", self._close_group(group, elements, position)
                        group = None
                elif tag == "IEA":
                    yield from self._close_interchange(interchange, group, None, position, elements)
                    interchange = group = None
                elif tag == "TA1" and group is None:
                    interchange.ta1s.append(elements)
                else:
                    problem = Problem(
                        "interchange",
                        "024",
                        f"segment {tag!r} outside a transaction set",
                        position,
                        tag,
                    )
                    (group or interchange).problems.append(problem)
            if interchange is not None:
                yield from self._close_interchange(interchange, group, current, position, None)
        except X12Error as error:
            if interchange is None:
                raise
            interchange.problems.append(error.problem)
            yield from self._close_interchange(interchange, group, current, position, None)

    def _bare_group(self, interchange, position, separators):
        """A set outside a functional group is read in one made for it; with no
        group control number, it gets no 997."""
        interchange.deviations.append(
            _note("functional group envelope GS/GE missing", position, "ST")
        )
        interchange.groups += 1
        return Envelope(["GS"], position, separators, bare=True)

    def _close_set(self, current, se, position):
        if _int(se, 1) != current.count:
            current.problems.append(
                Problem(
                    "transaction",
                    "4",
                    f"SE01 says {se[1] if len(se) > 1 else '?'} segments, "
                    f"the set has {current.count}",
                    position,
                    "SE",
                    1,
                )
            )
        trailer = se[2].strip() if len(se) > 2 else ""
        if trailer != current.control and not _same_control(trailer, current.control):
            current.problems.append(
                Problem(
                    "transaction",
                    "3",
                    f"SE02 {trailer!r} does not match ST02 {current.control!r}",
                    position,
                    "SE",
                    2,
                )
            )
        return current.finish()

    def _close_group(self, group, ge, position):
        group.settle()
        if _int(ge, 1) != group.set_count:
            group.problems.append(
                Problem(
                    "group",
                    "5",
                    f"GE01 says {ge[1] if len(ge) > 1 else '?'} transaction sets, "
                    f"the group has {group.set_count}",
                    position,
                    "GE",
                    1,
                )
            )
        if not _same_control(_element(ge, 2), group.control):
            group.problems.append(
                Problem(
                    "group", "4", f"GE02 does not match GS06 {group.control!r}", position, "GE", 2
                )
            )
        return group

    def _close_interchange(self, interchange, group, current, position, iea):
        if current is not None:
            current.problems.append(
                Problem("transaction", "2", "transaction set trailer SE missing", position)
            )
            yield "set", current.finish()
        if group is not None:
            if not group.bare:
                group.problems.append(
                    Problem("group", "3", "functional group trailer GE missing", position)
                )
            group.settle()
            yield "group", group
        if iea is None:
            if not interchange.bare:
                interchange.problems.append(
                    Problem(
                        "interchange",
                        "023",
                        "interchange trailer IEA missing: data ended early",
                        position,
                    )
                )
        else:
            if _int(iea, 1) != interchange.groups:
                interchange.problems.append(
                    Problem(
                        "interchange",
                        "021",
                        f"IEA01 says {iea[1] if len(iea) > 1 else '?'} groups, "
                        f"the interchange has {interchange.groups}",
                        position,
                        "IEA",
                        1,
                    )
                )
            if not _same_control(_element(iea, 2), interchange.control):
                interchange.problems.append(
                    Problem("interchange", "001", "IEA02 does not match ISA13", position, "IEA", 2)
                )
        yield "interchange", interchange


class _OpenSet:
    """A transaction set being read."""

    __slots__ = (
        "control",
        "count",
        "group",
        "interchange",
        "position",
        "problems",
        "segments",
        "st",
    )

    def __init__(self, st, position, interchange, group, keep_segments):
        self.st, self.position, self.interchange, self.group = st, position, interchange, group
        self.segments = [st] if keep_segments else None
        self.count, self.problems = 1, []
        self.control = st[2].strip() if len(st) > 2 else ""

    def add(self, elements):
        self.count += 1
        if self.segments is not None:
            self.segments.append(elements)

    def finish(self):
        transaction = TransactionSet(
            id=_element(self.st, 1),
            control=self.control,
            segments=self.segments,
            interchange=self.interchange,
            group=self.group,
            position=self.position,
            problems=self.problems,
        )
        self.group.settle()
        self.group.set_count += 1
        self.group.last = SetResult(
            transaction.id, transaction.control, transaction.problems, transaction.deviations
        )
        return transaction


def _element(elements, index):
    """An envelope element as written, without the blanks some partners pad it with."""
    return elements[index].strip() if index < len(elements) else ""


def _same_control(trailer, header):
    """Control numbers agree when they name the same number: ``99`` is ``000000099``."""
    if trailer == header:
        return True
    if trailer.isdigit() and header.isdigit():
        return int(trailer) == int(header)
    return trailer == header


def _int(elements, index):
    try:
        return int(elements[index])
    except (IndexError, ValueError):
        return None


class Writer:
    """Builds interchanges with the partner's separators and control numbers."""

    def __init__(self, separators=DEFAULT_SEPARATORS, newline=False):
        self.separators = separators
        self.terminator = separators.segment + ("\n" if newline else "")
        # X12 has no release character: a separator in data would cut the
        # segment, so it becomes a space (as do line breaks)
        self.clean = str.maketrans({char: " " for char in {*separators, "\r", "\n"}})

    def segment(self, *elements):
        """One segment; trailing empty elements are dropped, as X12 requires."""
        values = ["" if value is None else str(value).translate(self.clean) for value in elements]
        while len(values) > 1 and values[-1] == "":
            values.pop()
        return self.separators.element.join(values) + self.terminator

    def interchange(
        self,
        groups,
        sender,
        receiver,
        control,
        usage="P",
        version="00401",
        when=None,
        sender_qualifier="ZZ",
        receiver_qualifier="ZZ",
        ack_requested="0",
        ta1=None,
    ):
        """``groups``: ``[(functional id, group control, app sender, app receiver,
        gs version, [(set id, set control, body segments as element lists), ...])]``;
        ``ta1``: the elements of a TA1 segment, for an interchange acknowledgment."""
        when = when or datetime.now(timezone.utc)
        sep = self.separators
        repetition = sep.repetition if version >= "00402" else "U"
        isa = (
            sep.element.join(
                [
                    "ISA",
                    "00",
                    " " * 10,
                    "00",
                    " " * 10,
                    sender_qualifier.ljust(2)[:2],
                    sender.translate(self.clean).ljust(15)[:15],
                    receiver_qualifier.ljust(2)[:2],
                    receiver.translate(self.clean).ljust(15)[:15],
                    when.strftime("%y%m%d"),
                    when.strftime("%H%M"),
                    repetition,
                    version,
                    str(control).zfill(9),
                    ack_requested,
                    usage,
                    sep.component,
                ]
            )
            + self.terminator
        )
        parts = [isa]
        if ta1:
            parts.append(self.segment("TA1", *ta1))
        for functional_id, group_control, app_sender, app_receiver, gs_version, sets in groups:
            parts.append(
                self.segment(
                    "GS",
                    functional_id,
                    app_sender,
                    app_receiver,
                    when.strftime("%Y%m%d"),
                    when.strftime("%H%M"),
                    group_control,
                    "X",
                    gs_version,
                )
            )
            for set_id, set_control, body in sets:
                parts.append(self.segment("ST", set_id, set_control))
                parts.extend(self.segment(*elements) for elements in body)
                parts.append(self.segment("SE", len(body) + 2, set_control))
            parts.append(self.segment("GE", len(sets), group_control))
        parts.append(self.segment("IEA", len(groups), str(control).zfill(9)))
        return "".join(parts)
