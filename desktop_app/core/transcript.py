"""Words and segments: the transcript as the engine produces it and the editor shows it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Word:
    """One recognised word. ``text`` has no surrounding whitespace; times are seconds.

    ``edited`` marks a word a person typed or corrected: its probability is 1.0 and, unless it kept the
    time of the word it replaced, its times are interpolated between its heard neighbours.
    """

    start: float
    end: float
    text: str
    probability: float = 1.0
    speaker: str | None = None
    edited: bool = False
    overlap: bool = False  # in overlapping or unclear speech: its speaker is uncertain


@dataclass
class Segment:
    """One speaker turn or sentence group, made of words (may be empty after edits)."""

    start: float
    end: float
    text: str
    speaker: str | None = None
    words: list[Word] = field(default_factory=list)
    id: int | None = None

    @classmethod
    def from_words(cls, words: list[Word], speaker: str | None = None) -> Segment:
        if not words:
            raise ValueError("a segment needs at least one word")
        text = " ".join(w.text for w in words)
        spk = speaker if speaker is not None else words[0].speaker
        return cls(start=words[0].start, end=words[-1].end, text=text, speaker=spk, words=list(words))


@dataclass
class Transcript:
    """A document's segments in order, with the language they were recognised in."""

    segments: list[Segment] = field(default_factory=list)
    language: str | None = None

    @property
    def words(self) -> list[Word]:
        return [w for s in self.segments for w in s.words]

    @property
    def speakers(self) -> list[str]:
        seen: dict[str, None] = {}
        for s in self.segments:
            if s.speaker is not None:
                seen.setdefault(s.speaker, None)
        return list(seen)
