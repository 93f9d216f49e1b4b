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

ISA_LENGTH = 106
CHUNK = 1 << 16
# what may stand between interchanges or around them: whitespace, a byte-order
# mark, NUL padding and the DOS end-of-file mark some translators append
FILLER = " \t\r\n\x00\x1a\ufeff"
ENVELOPE_TAGS = frozenset(("SE", "ST", "GS", "GE", "IEA"))


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

    def __str__(self):
        where = f"segment {self.position}" if self.position else "end of data"
        if self.segment_id:
            where += f" {self.segment_id}" + (f"{self.element:02d}" if self.element else "")
        return f"{where}: {self.message}"


class X12Error(Exception):
    """The data cannot be read as X12 at all: no ISA, unusable separators."""

    def __init__(self, problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class Envelope:
    """An interchange (ISA) or functional group (GS) as read, with what closing it found."""

    elements: list
    position: int
    separators: Separators
    problems: list = field(default_factory=list)
    groups: int = 0  # interchange: groups read
    ta1s: list = field(default_factory=list)  # interchange: TA1 segments (acknowledgments) in it
    # group: its sets, counted; only the rejected ones are kept (for the 997),
    # so reading a big group keeps memory flat
    set_count: int = 0
    accepted: int = 0
    rejected: list = field(default_factory=list)
    last: "SetResult | None" = None

    def settle(self):
        """Count the last set read, once whoever read it has added its problems."""
        if self.last is not None:
            if self.last.problems:
                self.rejected.append(self.last)
            else:
                self.accepted += 1
            self.last = None

    def __getitem__(self, index):
        return self.elements[index] if index < len(self.elements) else ""

    @property
    def control(self):
        return self[13] if self[0] == "ISA" else self[6]


@dataclass
class SetResult:
    """What a functional group remembers of a rejected set: enough for its 997."""

    id: str
    control: str
    problems: list  # the set's own list: problems found later still count

    @property
    def accepted(self):
        return not self.problems


@dataclass
class TransactionSet:
    """One ST…SE set, its segments (element lists, ST and SE included) and problems."""

    id: str
    control: str
    segments: list
    interchange: Envelope
    group: Envelope
    position: int
    problems: list = field(default_factory=list)

    @property
    def accepted(self):
        return not self.problems


def read_separators(isa):
    """The separators declared by an ISA segment (its first 106 characters)."""
    if len(isa) < ISA_LENGTH or not isa.startswith("ISA"):
        raise X12Error(
            Problem("interchange", "024", "data does not start with a complete ISA segment", 1)
        )
    element = isa[3]
    if element.isalnum() or element in " \r\n":
        raise X12Error(
            Problem("interchange", "024", f"unusable element separator {element!r}", 1, "ISA")
        )
    elements = isa.split(element)
    if len(elements) != 17:
        raise X12Error(
            Problem(
                "interchange",
                "024",
                f"ISA has {len(elements) - 1} elements instead of 16, "
                "or the segment is not 106 characters long",
                1,
                "ISA",
            )
        )
    component, terminator = isa[104], isa[105]
    repetition = elements[11] if elements[12] >= "00402" else "^"
    if terminator.isalnum() or len({element, component, terminator}) < 3:
        raise X12Error(
            Problem("interchange", "024", "ISA separators are unusable or not distinct", 1, "ISA")
        )
    return Separators(element, component, repetition, terminator)


def segments(source, chunk_size=CHUNK):
    """Yield ``(separators, elements)`` for every segment of ``source`` (a string,
    or a text stream read ``chunk_size`` characters at a time)."""
    read = _reader(source, chunk_size)
    buffer, eof = "", False
    while True:
        buffer = buffer.lstrip(FILLER)
        while len(buffer) < ISA_LENGTH and not eof:
            more = read()
            eof = not more
            buffer = (buffer + more).lstrip(FILLER)
        if not buffer:
            return
        separators = read_separators(buffer[:ISA_LENGTH])
        element, terminator = separators.element, separators.segment
        # line breaks around terminators are layout, whatever the terminator
        # (a "\n" terminator written as "\r\n" leaves a "\r" behind)
        strip = "\r\n"
        while True:
            parts = buffer.split(terminator)
            buffer = parts.pop()
            for index, part in enumerate(parts):
                raw = part.strip(strip)
                if not raw:
                    continue
                elements = raw.split(element)
                yield separators, elements
                if elements[0] == "IEA":
                    buffer = terminator.join([*parts[index + 1 :], buffer])
                    break
            else:
                if eof:
                    last = buffer.strip(FILLER)
                    if last:  # a last segment without terminator
                        yield separators, last.split(element)
                    return
                more = read()
                eof = not more
                buffer += more
                continue
            break


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
    to the envelope they concern; set problems to the set."""

    def __init__(self, source, chunk_size=CHUNK, keep_segments=True):
        self.source, self.chunk_size, self.keep_segments = source, chunk_size, keep_segments

    def __iter__(self):
        interchange = group = current = None
        position = 0
        try:
            for separators, elements in segments(self.source, self.chunk_size):
                tag = elements[0]
                if tag == "ISA":
                    if interchange is not None:  # the previous one never closed
                        yield from self._close_interchange(
                            interchange, group, current, position, None
                        )
                    interchange, group, current, position = (
                        Envelope(elements, 1, separators),
                        None,
                        None,
                        1,
                    )
                    continue
                position += 1
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
                        interchange.problems.append(
                            Problem(
                                "interchange",
                                "024",
                                "transaction set outside a functional group",
                                position,
                                "ST",
                            )
                        )
                        group = Envelope(["GS"], position, separators)
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
        if (se[2] if len(se) > 2 else "") != current.control:
            current.problems.append(
                Problem(
                    "transaction",
                    "3",
                    f"SE02 {se[2] if len(se) > 2 else ''!r} does not match "
                    f"ST02 {current.control!r}",
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
        if (ge[2] if len(ge) > 2 else "") != group.control:
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
            group.problems.append(
                Problem("group", "3", "functional group trailer GE missing", position)
            )
            group.settle()
            yield "group", group
        if iea is None:
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
            if (iea[2] if len(iea) > 2 else "") != interchange.control:
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
        self.control = st[2] if len(st) > 2 else ""

    def add(self, elements):
        self.count += 1
        if self.segments is not None:
            self.segments.append(elements)

    def finish(self):
        transaction = TransactionSet(
            id=self.st[1] if len(self.st) > 1 else "",
            control=self.control,
            segments=self.segments,
            interchange=self.interchange,
            group=self.group,
            position=self.position,
            problems=self.problems,
        )
        self.group.settle()
        self.group.set_count += 1
        self.group.last = SetResult(transaction.id, transaction.control, transaction.problems)
        return transaction


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
