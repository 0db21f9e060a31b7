"""Pauses between words as data, so the editor and exports can show or hide them.

Conventions (after Jefferson's transcription notation, as used in qualitative health research):
``(.)`` a micro pause (0.3 s to under 1 s), ``(..)`` a short pause (1 s to under 2 s), and a timed
pause such as ``(3 s)`` from 2 s up, rounded to whole seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.core.transcript import Word

MICRO_PAUSE = 0.3
SHORT_PAUSE = 1.0
TIMED_PAUSE = 2.0


@dataclass(frozen=True)
class Pause:
    after_word: int  # index of the word the pause follows
    start: float
    duration: float

    @property
    def label(self) -> str:
        return pause_label(self.duration)


def pause_label(duration: float) -> str:
    if duration >= TIMED_PAUSE:
        return f"({round(duration)} s)"
    if duration >= SHORT_PAUSE:
        return "(..)"
    return "(.)"


def find_pauses(words: list[Word], minimum: float = MICRO_PAUSE) -> list[Pause]:
    pauses = []
    for i in range(len(words) - 1):
        gap = words[i + 1].start - words[i].end
        if gap >= minimum:
            pauses.append(Pause(i, words[i].end, round(gap, 3)))
    return pauses


def text_with_pauses(words: list[Word], minimum: float = MICRO_PAUSE) -> str:
    """The words joined with pause markers where the speaker paused."""
    marks = {p.after_word: p.label for p in find_pauses(words, minimum)}
    parts: list[str] = []
    for i, word in enumerate(words):
        parts.append(word.text)
        if i in marks:
            parts.append(marks[i])
    return " ".join(parts)
