"""UN/EDIFACT: a streaming tokenizer with release characters, envelope
validation (UNB/UNZ, UNG/UNE, UNH/UNT) and an escaping writer.

The service string advice ``UNA:+.? '`` names the component and element
separators, the decimal mark, the release character and the segment
terminator; without UNA the defaults apply. A separator preceded by the
release character is data. Text is read in chunks; messages are yielded as
they close, so memory stays flat in the file size.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import NamedTuple

CHUNK = 1 << 16
FILLER = " \t\r\n\x00\x1a\ufeff"  # around an interchange: see x12.FILLER
BLANKS = " \t"
PADDED = "padded"  # blanks after segment terminators (fixed-length records)
PADDED_NOTE = "blanks after segment terminators (fixed-length records): read without them"
ENVELOPE_TAGS = frozenset(("UNB", "UNZ", "UNG", "UNE", "UNH", "UNT"))


class Delimiters(NamedTuple):
    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    reserved: str = " "
    segment: str = "'"

    def una(self):
        return "UNA" + "".join(self)


DEFAULT_DELIMITERS = Delimiters()


@dataclass
class Problem:
    level: str  # interchange, group, message, segment, element
    code: str  # CONTRL action/syntax error vocabulary (UN/EDIFACT 0085)
    message: str
    position: int = 0
    segment_id: str = ""
    element: int = 0
    warning: bool = False  # a deviation: reported, the data is still read and applied

    def __str__(self):
        where = f"segment {self.position}" if self.position else "end of data"
        if self.segment_id:
            where += f" {self.segment_id}" + (f" element {self.element}" if self.element else "")
        return f"{where}: {self.message}"


class Findings:
    """What reading found: ``problems`` reject, ``deviations`` are reported only."""

    def add(self, problems):
        for problem in problems:
            (self.deviations if problem.warning else self.problems).append(problem)


class EdifactError(Exception):
    def __init__(self, problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class Envelope(Findings):
    """An interchange (UNB) or group (UNG) as read; ``bare`` when the data had
    no interchange envelope around its messages."""

    elements: list
    position: int
    problems: list = field(default_factory=list)
    deviations: list = field(default_factory=list)
    bare: bool = False
    messages: int = 0
    groups: int = 0

    def __getitem__(self, index):
        return self.elements[index] if index < len(self.elements) else ""

    @property
    def control(self):
        value = self[5] if self[0] == "UNB" else self[5] if self[0] == "UNG" else ""
        return value[0] if isinstance(value, list) else value


@dataclass
class Message(Findings):
    """One UNH…UNT message: its type (IFTSTA, IFTMIN…), reference and segments."""

    type: str
    version: str
    reference: str
    segments: list  # element lists; an element with components is a list of strings
    interchange: Envelope
    position: int
    problems: list = field(default_factory=list)
    deviations: list = field(default_factory=list)

    @property
    def accepted(self):
        return not self.problems


def segments(source, chunk_size=CHUNK):
    """Yield ``(delimiters, elements, notes)`` for each segment; elements with
    components are lists, release characters are removed; ``notes`` name the
    layout reading forgave (blanks before the tag)."""
    if isinstance(source, str):
        chunks = iter([source])
        read = lambda: next(chunks, "")  # noqa: E731
    else:
        read = lambda: source.read(chunk_size)  # noqa: E731
    buffer, more = "", True
    while more and len(buffer.lstrip(FILLER)) < 9:
        more = read()
        buffer += more
    buffer = buffer.lstrip(FILLER)
    delimiters = Delimiters()
    if buffer.startswith("UNA"):
        if len(buffer) < 9:
            raise EdifactError(
                Problem("interchange", "16", "UNA service string advice is truncated", 1, "UNA")
            )
        delimiters = Delimiters(*buffer[3:9])
        if (
            len({delimiters.component, delimiters.element, delimiters.release, delimiters.segment})
            < 4
        ):
            raise EdifactError(
                Problem("interchange", "16", "UNA delimiters are not distinct", 1, "UNA")
            )
        buffer = buffer[9:]
    codec = _Codec(delimiters)
    terminator, strip = delimiters.segment, "\r\n"
    while True:
        codec.check(buffer)
        protected = codec.protect(buffer)
        parts = protected.split(terminator)
        rest = parts.pop()
        for part in parts:
            raw = part.strip(strip)
            if raw:
                notes = ()
                if raw[0] in BLANKS:
                    raw = raw.lstrip(FILLER)
                    if not raw:
                        continue
                    notes = (PADDED,)
                yield delimiters, codec.elements(raw), notes
        more = read() if more else ""
        if not more:
            rest = rest.strip(FILLER)
            if rest:
                yield delimiters, codec.elements(rest), ()
            return
        buffer = codec.unprotect(rest) + more


class _Codec:
    """Released delimiters are swapped for control characters (which EDIFACT
    text never holds) so that plain ``str.split`` can cut segments, elements
    and components; values then get the delimiters back, unreleased."""

    PLACEHOLDERS = "\x00\x01\x02\x03"

    def __init__(self, delimiters):
        release = delimiters.release
        self.element, self.component, self.release = (
            delimiters.element,
            delimiters.component,
            release,
        )
        originals = [release, delimiters.segment, delimiters.element, delimiters.component]
        self.pairs = [
            (release + char, placeholder)
            for char, placeholder in zip(originals, self.PLACEHOLDERS, strict=False)
        ]
        self.to_text = str.maketrans(dict(zip(self.PLACEHOLDERS, originals, strict=False)))
        self.to_released = {
            placeholder: release + char
            for char, placeholder in zip(originals, self.PLACEHOLDERS, strict=False)
        }

    def check(self, text):
        """EDIFACT text holds no control characters; the placeholders must stay free."""
        for placeholder in self.PLACEHOLDERS:
            if placeholder in text:
                raise EdifactError(
                    Problem(
                        "interchange",
                        "21",
                        f"invalid control character {placeholder!r} in the data",
                    )
                )

    def protect(self, text):
        """Swap released delimiters for placeholders. A release character ending
        the text stays: it releases what the next chunk starts with."""
        if self.release not in text:
            return text
        for released, placeholder in self.pairs:
            text = text.replace(released, placeholder)
        return text

    def unprotect(self, text):
        if not any(placeholder in text for placeholder in self.PLACEHOLDERS):
            return text
        return "".join(self.to_released.get(char, char) for char in text)

    def elements(self, raw):
        component, to_text = self.component, self.to_text
        escaped = "\x00" in raw or "\x01" in raw or "\x02" in raw or "\x03" in raw
        result = []
        for part in raw.split(self.element):
            if component in part:
                values = part.split(component)
                result.append([v.translate(to_text) for v in values] if escaped else values)
            else:
                result.append(part.translate(to_text) if escaped else part)
        return result


def without_envelope(text):
    """Does ``text`` start with a message that has no interchange around it?"""
    return text.startswith("UNH") and text[3:4] != "" and not text[3].isalnum()


def value(element, index=0):
    """Component ``index`` of an element (a plain string is its own component 0),
    trimmed: padding is layout, an all-blank value is empty."""
    if isinstance(element, list):
        return element[index].strip() if index < len(element) else ""
    return element.strip() if index == 0 else ""


class Reader:
    """Yields ``("message", Message)`` per UNH…UNT and ``("interchange", Envelope)``
    per UNB…UNZ, with the problems found on closing them. Messages without an
    interchange envelope are read in one made for them; that, and the layout
    reading forgave, are the interchange's ``deviations``."""

    def __init__(self, source, chunk_size=CHUNK, keep_segments=True):
        self.source, self.chunk_size, self.keep_segments = source, chunk_size, keep_segments

    def __iter__(self):
        interchange = group = message = None
        position = count = 0
        padding_said = False
        for _delimiters, elements, notes in segments(self.source, self.chunk_size):
            tag = elements[0] if isinstance(elements[0], str) else elements[0][0]
            position += 1
            if interchange is None and tag == "UNH":
                interchange = Envelope(["UNB"], 0, bare=True)
                interchange.deviations.append(
                    Problem(
                        "interchange",
                        "14",
                        "interchange envelope UNB/UNZ missing: read with the standard delimiters",
                        position,
                        tag,
                        warning=True,
                    )
                )
            if notes and interchange is not None and not padding_said:
                padding_said = True  # once per interchange, where first seen
                interchange.deviations.append(
                    Problem("interchange", "", PADDED_NOTE, position, tag, warning=True)
                )
            if tag == "UNB":
                if interchange is not None:
                    interchange.problems.append(
                        Problem("interchange", "14", "UNZ missing before the next UNB", position)
                    )
                    yield "interchange", interchange
                interchange, group, message = Envelope(elements, position), None, None
                padding_said = False
                continue
            if interchange is None:
                raise EdifactError(Problem("interchange", "14", f"{tag} before UNB", position, tag))
            if message is not None:
                count += 1
                if tag not in ENVELOPE_TAGS:
                    if self.keep_segments:
                        message.segments.append(elements)
                    continue
                if tag == "UNT":
                    if self.keep_segments:
                        message.segments.append(elements)
                    self._close_message(message, elements, count, position)
                    yield "message", message
                    message = None
                    continue
                message.problems.append(
                    Problem("message", "14", "message trailer UNT missing", position, tag)
                )
                yield "message", message
                message = None
            if tag == "UNH":
                identifier = elements[2] if len(elements) > 2 else ""
                message = Message(
                    type=value(identifier, 0),
                    version=f"{value(identifier, 1)}{value(identifier, 2)}",
                    reference=value(elements[1]) if len(elements) > 1 else "",
                    segments=[elements] if self.keep_segments else [],
                    interchange=interchange,
                    position=position,
                )
                count = 1
                interchange.messages += 1
                if group is not None:
                    group.messages += 1
            elif tag == "UNG":
                group = Envelope(elements, position)
                interchange.groups += 1
            elif tag == "UNE":
                if group is None:
                    interchange.problems.append(
                        Problem("interchange", "14", "UNE without UNG", position, "UNE")
                    )
                elif _int(elements, 1) != group.messages:
                    said = value(elements[1]) if len(elements) > 1 else "?"
                    interchange.problems.append(
                        Problem(
                            "group",
                            "29",  # control count does not match
                            f"UNE says {said} messages, the group has {group.messages}",
                            position,
                            "UNE",
                            1,
                        )
                    )
                group = None
            elif tag == "UNZ":
                expected = interchange.groups or interchange.messages
                if _int(elements, 1) != expected:
                    interchange.problems.append(
                        Problem(
                            "interchange",
                            "29",  # control count does not match
                            f"UNZ says {value(elements[1]) if len(elements) > 1 else '?'}, "
                            f"the interchange has {expected}",
                            position,
                            "UNZ",
                            1,
                        )
                    )
                if (value(elements[2]) if len(elements) > 2 else "") != interchange.control:
                    interchange.problems.append(
                        Problem(
                            "interchange",
                            "28",
                            "UNZ control reference does not match UNB",
                            position,
                            "UNZ",
                            2,
                        )
                    )
                yield "interchange", interchange
                interchange = None
            else:
                interchange.problems.append(
                    Problem("interchange", "14", f"segment {tag} outside a message", position, tag)
                )
        if message is not None:
            message.problems.append(
                Problem("message", "14", "message trailer UNT missing", position)
            )
            yield "message", message
        if interchange is not None:
            if not interchange.bare:
                interchange.problems.append(
                    Problem("interchange", "14", "UNZ missing: data ended early", position)
                )
            yield "interchange", interchange

    def _close_message(self, message, unt, count, position):
        if _int(unt, 1) != count:
            message.problems.append(
                Problem(
                    "message",
                    "29",  # control count does not match
                    f"UNT says {value(unt[1]) if len(unt) > 1 else '?'} segments, "
                    f"the message has {count}",
                    position,
                    "UNT",
                    1,
                )
            )
        if (value(unt[2]) if len(unt) > 2 else "") != message.reference:
            message.problems.append(
                Problem("message", "28", "UNT reference does not match UNH", position, "UNT", 2)
            )


def _int(elements, index):
    try:
        return int(value(elements[index]))
    except (IndexError, ValueError):
        return None


class Writer:
    """Builds interchanges, escaping delimiters that appear in data."""

    def __init__(self, delimiters=DEFAULT_DELIMITERS, newline=False):
        self.delimiters = delimiters
        specials = {
            delimiters.release,
            delimiters.element,
            delimiters.component,
            delimiters.segment,
        }
        self.escape_re = re.compile("([" + re.escape("".join(specials)) + "])")
        self.terminator = delimiters.segment + ("\n" if newline else "")

    def _escape(self, text):
        release = self.delimiters.release
        return self.escape_re.sub(lambda match: release + match.group(1), str(text))

    def segment(self, *elements):
        rendered = []
        for element in elements:
            if isinstance(element, list | tuple):
                parts = [self._escape(c) for c in element]
                while len(parts) > 1 and parts[-1] == "":
                    parts.pop()
                rendered.append(self.delimiters.component.join(parts))
            else:
                rendered.append(self._escape("" if element is None else element))
        while len(rendered) > 1 and rendered[-1] == "":
            rendered.pop()
        return self.delimiters.element.join(rendered) + self.terminator

    def interchange(self, messages, sender, recipient, control, when=None, test=False):
        """``messages``: ``[(type, reference, body segments), ...]`` (UNH/UNT added)."""
        when = when or datetime.now(timezone.utc)
        parts = [self.delimiters.una() + ("\n" if self.terminator.endswith("\n") else "")]
        unb = [
            "UNB",
            ["UNOC", "3"],
            [sender, "ZZZ"],
            [recipient, "ZZZ"],
            [when.strftime("%y%m%d"), when.strftime("%H%M")],
            str(control),
        ]
        if test:
            unb += ["", "", "", "", "", "1"]
        parts.append(self.segment(*unb))
        for message_type, reference, body in messages:
            parts.append(self.segment("UNH", reference, [message_type, "D", "01B", "UN"]))
            parts.extend(self.segment(*elements) for elements in body)
            parts.append(self.segment("UNT", len(body) + 2, reference))
        parts.append(self.segment("UNZ", len(messages), str(control)))
        return "".join(parts)
