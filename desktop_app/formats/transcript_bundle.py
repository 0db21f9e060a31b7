"""What a transcript writer needs: the document, its transcript, speakers, model, and export options.

Writers never touch storage: a service builds a :class:`TranscriptBundle` and hands it to a writer
from :mod:`desktop_app.formats.formats`. Every piece of spoken text and every name a writer puts in a
file goes through :meth:`TranscriptBundle.spoken` so a ``text_transform`` (pseudonymisation) applies
to every format alike.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from desktop_app.core.document import DocumentInfo, SpeakerInfo
from desktop_app.core.errors import ExportError
from desktop_app.core.pauses import text_with_pauses
from desktop_app.core.text.text_layer import TextLayer
from desktop_app.core.transcript import Segment, Transcript, Word

UNKNOWN_SPEAKER = "Unknown speaker"


# XML 1.0 forbids most control characters; DOCX and EAF writers drop them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class LineNumberRestart(StrEnum):
    """Where Word's line numbers start again at 1."""

    EACH_PAGE = "newPage"
    CONTINUOUS = "continuous"


@dataclass
class SubtitleLimits:
    """How big one subtitle cue may get (after common broadcast guidelines: 2 lines of 42)."""

    line_length: int = 42
    max_lines: int = 2
    max_duration: float = 7.0


@dataclass
class ExportOptions:
    """Choices a user makes in the export dialog or on the command line."""

    timestamps: bool = True
    line_numbers: bool = False
    line_number_restart: LineNumberRestart = LineNumberRestart.EACH_PAGE
    include_pauses: bool = False
    speaker_names: bool = True  # display names ("Interviewer") rather than labels ("S1")
    title_block: bool = True
    subtitles: SubtitleLimits = field(default_factory=SubtitleLimits)
    # mark talk spoken while someone else talks: "" (no marks), "slashes" (//...//) or "brackets" ([overlapping] ...)
    overlap_marks: str = ""
    # which text each turn shows: the original, its stored English, or "original (English)"
    text_layer: TextLayer = TextLayer.ORIGINAL


@dataclass
class Turn:
    """Consecutive segments of one speaker."""

    speaker: str | None
    segments: list[Segment]

    @property
    def start(self) -> float:
        return self.segments[0].start

    @property
    def end(self) -> float:
        return self.segments[-1].end


@dataclass
class TranscriptBundle:
    """A document's transcript with everything a writer shows around it."""

    document: DocumentInfo
    transcript: Transcript
    speakers: dict[str, SpeakerInfo] = field(default_factory=dict)
    model: dict[str, str] = field(default_factory=dict)  # "name", "sha256"
    participants: str = ""  # who took part, where speakers are not linked to participants (an imported file)
    text_transform: Callable[[str], str] | None = None
    # Name linked speakers by their participant label: a pseudonymised export, where display names
    # are often the real first names the researcher typed while listening.
    participant_labels: bool = False
    # The speaker step's who-spoke-when (start, end, label): overlapping talk and speech without words too
    timeline: list[tuple[float, float, str]] = field(default_factory=list)
    # Each turn's stored English by segment id (turns without one are absent), for formats that carry both layers
    english: dict[int, str] = field(default_factory=dict)

    def spoken(self, text: str) -> str:
        """Spoken text or a name as it may appear in an export (after ``text_transform``)."""
        return self.text_transform(text) if self.text_transform else text

    def speaker_name(self, label: str | None, options: ExportOptions | None = None) -> str:
        """The name a file shows for a speaker label (display name unless options ask for labels)."""
        if label is None:
            return UNKNOWN_SPEAKER
        info = self.speakers.get(label)
        use_names = options.speaker_names if options else True
        name = info.name if info and use_names else label
        if info and use_names and self.participant_labels and info.participant:
            name = info.participant
        return self.spoken(name)

    def participants_text(self, options: ExportOptions | None = None) -> str:
        """Who took part, named as the turns name them: "Maria (P05)", or "P05" when pseudonymised.

        The header and the body used to disagree (header "P05", turns "Maria").
        """
        linked = [(label, info) for label, info in self.speakers.items() if info.participant]
        if not linked:
            return self.spoken(self.participants)
        parts = []
        for label, info in linked:
            name = self.speaker_name(label, options)
            participant = self.spoken(str(info.participant))
            parts.append(name if name == participant else f"{name} ({participant})")
        return ", ".join(parts)

    @property
    def language(self) -> str | None:
        return self.transcript.language or self.document.language

    @property
    def duration(self) -> float:
        if self.document.duration:
            return self.document.duration
        segments = self.transcript.segments
        return max((s.end for s in segments), default=0.0)

    @property
    def has_speakers(self) -> bool:
        return any(s.speaker is not None for s in self.transcript.segments)

    def turns(self) -> list[Turn]:
        """Segments grouped into runs of one speaker, in order."""
        turns: list[Turn] = []
        for segment in self.transcript.segments:
            if turns and turns[-1].speaker == segment.speaker:
                turns[-1].segments.append(segment)
            else:
                turns.append(Turn(segment.speaker, [segment]))
        return turns

    def segment_text(self, segment: Segment, options: ExportOptions) -> str:
        """A segment's text for an export, with pause and overlap markers when asked and the words still match."""
        text = segment.text
        words = segment.words
        if words and _words_match(words, text) and (options.include_pauses or options.overlap_marks):
            words = mark_overlap(words, options.overlap_marks)
            text = text_with_pauses(words) if options.include_pauses else " ".join(w.text for w in words)
        return self.spoken(" ".join(text.split()))

    def turn_text(self, turn: Turn, options: ExportOptions) -> str:
        parts = (self.segment_text(s, options) for s in turn.segments)
        return " ".join(p for p in parts if p)


OVERLAP_MARKS = {"slashes": ("//", "//"), "brackets": ("[overlapping] ", "")}


def mark_overlap(words: list[Word], style: str) -> list[Word]:
    """Copies of ``words`` with each run of overlapping words opened and closed in the transcription
    convention ``style`` ("slashes": //so I think// ; "brackets": [overlapping] so I think); no marks for ""."""
    if style not in OVERLAP_MARKS:
        return words
    opening, closing = OVERLAP_MARKS[style]
    marked = list(words)
    for i, word in enumerate(words):
        if not word.overlap:
            continue
        text = word.text
        if i == 0 or not words[i - 1].overlap:
            text = opening + text
        if i == len(words) - 1 or not words[i + 1].overlap:
            text = text + closing
        marked[i] = replace(word, text=text)
    return marked


def _words_match(words: list[Word], text: str) -> bool:
    """Whether the words still spell the segment's text (edited text may have drifted)."""
    return " ".join(w.text for w in words).split() == text.split()


def xml_safe(text: str) -> str:
    """``text`` without the control characters XML 1.0 cannot carry."""
    return _XML_ILLEGAL.sub("", text)


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one rename.

    A failed or interrupted export never leaves a half-written file under the real name. Any
    ``OSError`` becomes an :class:`ExportError` naming ``path``.
    """
    path = Path(path)
    if path.is_dir():
        raise ExportError(path, "is a folder, not a file name")
    if not path.parent.is_dir():
        raise ExportError(path, f"the folder {path.parent} does not exist")
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.part")
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        raise ExportError(path, f"cannot write: {exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text (``\\n`` line ends) to ``path`` atomically."""
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
