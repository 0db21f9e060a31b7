"""How a transcript becomes one plain text for REFI-QDA, and back.

Layout: one line per segment, lines joined by ``\\n`` (no newline after the last). A segment with a
speaker reads ``Speaker name: text``; one without a speaker is just its text. Characters XML 1.0
cannot carry are removed and line breaks inside a segment become spaces, so the text survives XML.

A place in the transcript (segment id, code-point offset into the segment's own text) maps to the
code-point offset ``line start + prefix length + offset`` in the document text (removed characters
shift what follows them). Going back, an offset inside a speaker prefix is the segment's start; an
end that falls at a line start or in its prefix is the end of the line before, so ``[start, end)``
spans never gain an empty piece of the next turn.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import Enum

from desktop_app.core.coding import TextPosition
from desktop_app.core.transcript import Transcript
from desktop_app.formats.refi_qda.xml import illegal_char_offsets


class Side(Enum):
    START = "start"
    END = "end"


@dataclass(frozen=True)
class LineLayout:
    """One segment's line: where it starts, where its text starts and ends, in the document text."""

    segment_id: int | None
    line_start: int
    text_start: int
    text_end: int
    removed: tuple[int, ...] = ()  # offsets (into the segment's original text) of dropped characters

    def clean_offset(self, offset: int) -> int:
        return offset - bisect.bisect_left(self.removed, offset)


@dataclass
class TranscriptText:
    """A document's plain text and where each segment sits in it."""

    text: str
    lines: list[LineLayout] = field(default_factory=list)
    changed_segments: int = 0  # segments whose text lost characters or line breaks

    def line_of(self, segment_id: int) -> LineLayout | None:
        return next((line for line in self.lines if line.segment_id == segment_id), None)

    def offset_of(self, position: TextPosition) -> int | None:
        """Document offset of a transcript position; None if its segment is not in the text."""
        line = self.line_of(position.segment_id)
        if line is None:
            return None
        offset = line.text_start + line.clean_offset(max(position.offset, 0))
        return min(offset, line.text_end)

    def segment_text(self, line: LineLayout) -> str:
        return self.text[line.text_start : line.text_end]

    def position_at(self, offset: int, side: Side) -> TextPosition | None:
        """The transcript position of document offset ``offset`` (see the module notes); None if no lines."""
        if not self.lines:
            return None
        starts = [line.line_start for line in self.lines]
        index = max(bisect.bisect_right(starts, offset) - 1, 0)
        line = self.lines[index]
        if side is Side.END and index > 0 and offset <= line.text_start:
            line = self.lines[index - 1]
            return TextPosition(_segment_id(line), line.text_end - line.text_start)
        inside = min(max(offset, line.text_start), line.text_end) - line.text_start
        return TextPosition(_segment_id(line), inside)


def _segment_id(line: LineLayout) -> int:
    return line.segment_id if line.segment_id is not None else -1


def _clean_segment_text(text: str) -> tuple[str, tuple[int, ...]]:
    removed = tuple(illegal_char_offsets(text))
    dropped = set(removed)
    kept = "".join(c for i, c in enumerate(text) if i not in dropped) if removed else text
    return kept.replace("\r", " ").replace("\n", " "), removed


def speaker_prefix(name: str) -> str:
    clean, _ = _clean_segment_text(name)
    return f"{clean}: "


def transcript_to_text(transcript: Transcript, speaker_names: Mapping[str, str]) -> TranscriptText:
    """Lay out ``transcript`` as plain text; ``speaker_names`` maps speaker labels to display names."""
    parts: list[str] = []
    lines: list[LineLayout] = []
    changed = 0
    cursor = 0
    for segment in transcript.segments:
        prefix = speaker_prefix(speaker_names.get(segment.speaker, segment.speaker)) if segment.speaker else ""
        body, removed = _clean_segment_text(segment.text)
        changed += body != segment.text
        text_start = cursor + len(prefix)
        lines.append(LineLayout(segment.id, cursor, text_start, text_start + len(body), removed))
        parts.append(prefix + body)
        cursor = text_start + len(body) + 1
    return TranscriptText("\n".join(parts), lines, changed)


@dataclass
class ParsedLine:
    """A line of an imported text: its layout and the speaker name found in its prefix, if any."""

    layout: LineLayout
    speaker: str | None
    start_time: float | None = None  # from a "[hh:mm:ss]" the line starts with


_PREFIX = re.compile(r"^([^\s:][^:\n]{0,38}): ")
_STAMP = re.compile(r"^\[(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?\]\s*")


def line_stamp(line: str) -> tuple[float, int] | None:
    """``[00:01:06] `` or ``[1:06.5]`` at the start of a line: (seconds, prefix length)."""
    found = _STAMP.match(line)
    if found is None:
        return None
    hours, minutes, seconds, fraction = found.groups()
    value = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + float(f"0.{fraction or 0}")
    return value, found.end()


def stamped(text: str) -> bool:
    """Whether most lines start with a time stamp (QualCoder's and many transcription tools' format)."""
    lines = [line for line in text.split("\n") if line.strip()]
    return len(lines) >= 2 and sum(line_stamp(line) is not None for line in lines) * 5 >= len(lines) * 4


def _unstamped(line: str) -> str:
    found = line_stamp(line)
    return line[found[1] :] if found else line


def guess_speaker_names(text: str, max_speakers: int = 12) -> set[str]:
    """Names that start most lines as ``Name: `` (a transcript from another tool), else none.

    At least two lines, four in five non-blank lines prefixed, and few distinct names: a text whose
    lines merely contain a colon keeps its lines whole.
    """
    lines = [_unstamped(line) for line in text.split("\n") if line.strip()]
    found = [m.group(1) for line in lines if (m := _PREFIX.match(line.lstrip("\ufeff")))]
    names = set(found)
    if len(lines) >= 2 and len(found) * 5 >= len(lines) * 4 and len(names) <= max_speakers:
        return names
    return set()


def text_to_lines(
    text: str, speaker_names: Collection[str] = (), keep_blank: bool = True, stamps: bool = False
) -> list[ParsedLine]:
    """Split an imported text into lines; ``Name: `` prefixes of known ``speaker_names`` become speakers.

    Without known names no prefix is taken off (a text source's paragraphs stay whole); leading and
    trailing whitespace and a trailing ``\\r`` are left outside the segment text, and a newline at
    the very end makes no empty last line. With ``stamps``, a ``[hh:mm:ss]`` starting a line is the
    line's start time and stays outside its text too.
    """
    names = sorted(speaker_names, key=len, reverse=True)
    result: list[ParsedLine] = []
    cursor = 0
    raws = text.split("\n")
    if len(raws) > 1 and not raws[-1].strip():
        raws.pop()  # the newline that ends the last line does not start an empty one
    for raw in raws:
        line_start = cursor
        cursor += len(raw) + 1
        stamp = line_stamp(raw) if stamps else None
        skip = stamp[1] if stamp else 0
        speaker = next((n for n in names if raw[skip:].startswith(speaker_prefix(n))), None)
        body_start = skip + (len(speaker_prefix(speaker)) if speaker is not None else 0)
        stripped = raw[body_start:]
        lead = len(stripped) - len(stripped.lstrip())
        body = stripped.strip()
        if not body and not keep_blank and speaker is None:
            continue
        start = line_start + body_start + lead
        layout = LineLayout(len(result) + 1, line_start, start, start + len(body))
        result.append(ParsedLine(layout, speaker, stamp[0] if stamp else None))
    return result


def layout_for(text: str, lines: list[ParsedLine], segment_ids: list[int]) -> TranscriptText:
    """A ``TranscriptText`` over imported ``lines`` whose segments got ``segment_ids``."""
    layouts = [
        LineLayout(segment_id, p.layout.line_start, p.layout.text_start, p.layout.text_end)
        for p, segment_id in zip(lines, segment_ids, strict=True)
    ]
    return TranscriptText(text, layouts)
