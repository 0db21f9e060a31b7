"""Display segments built from words: break at pauses, at sentence ends once long, at speaker changes."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.core.transcript import Segment, Word

SENTENCE_END = (".", "?", "!", "…", "。", "？", "！", "।", "؟")


@dataclass(frozen=True)
class SegmentRules:
    pause_seconds: float = 1.0  # a silence this long starts a new segment
    long_seconds: float = 20.0  # past this, a sentence end closes the segment
    long_words: int = 60
    max_seconds: float = 45.0  # hard limit: no segment longer than this, even mid-sentence


def starts_new_segment(current: list[Word], word: Word, rules: SegmentRules) -> bool:
    if not current:
        return False
    last = current[-1]
    if word.speaker != last.speaker:
        return True
    if word.start - last.end >= rules.pause_seconds:
        return True
    duration = last.end - current[0].start
    long = duration >= rules.long_seconds or len(current) >= rules.long_words
    if long and last.text.endswith(SENTENCE_END):
        return True
    return word.end - current[0].start > rules.max_seconds


def build_segments(words: list[Word], rules: SegmentRules = SegmentRules()) -> list[Segment]:
    builder = SegmentBuilder(rules)
    segments = builder.add(words)
    return segments + builder.flush()


class SegmentBuilder:
    """Incremental: ``add`` returns segments that are certainly finished; ``flush`` returns the rest."""

    def __init__(self, rules: SegmentRules = SegmentRules()) -> None:
        self.rules = rules
        self._current: list[Word] = []

    def add(self, words: list[Word]) -> list[Segment]:
        finished: list[Segment] = []
        for word in words:
            if starts_new_segment(self._current, word, self.rules):
                finished.append(Segment.from_words(self._current))
                self._current = []
            self._current.append(word)
        return finished

    def flush(self) -> list[Segment]:
        if not self._current:
            return []
        segment = Segment.from_words(self._current)
        self._current = []
        return [segment]
