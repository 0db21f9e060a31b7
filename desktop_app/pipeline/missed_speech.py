"""Speech Whisper skipped: VAD speech with no word on it, found between words and transcribed again.

faster-whisper's batched pipeline packs the VAD's speech into windows of up to 30 s and decodes
each window once. Whisper sometimes ends a window early (often after a change of voice or of
recording) and the rest of that window is lost, whole sentences at a time (faster-whisper issue
#1179, "whole segments are missing"). On a 10-minute file of the shared recordings joined five
times, base left 95 s of VAD speech without a word this way (in stretches of a second or more),
among them JFK's "ask not what your country can do for you" twice.

So, as the words of a block arrive in time order, every stretch between two words (or a block's
edge) that holds at least ``MIN_MISSED_SECONDS`` of VAD speech is transcribed again as contiguous
audio (silences kept), and the words found there are put in before the next word. Whisper can
stop early in that clip too, so what it skipped again is transcribed piece by piece. The first
pass is unchanged where it heard something; nothing is held back from the stream.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

MIN_MISSED_SECONDS = 1.5  # less is mostly fillers and breaths Whisper leaves out on purpose
WORD_MARGIN_SECONDS = 0.3  # Whisper's word times may be this far off the voice
MAX_CLIP_SECONDS = 28.0  # one Whisper window, with room for the edges
CLIP_PAD_SECONDS = 0.2

Span = tuple[float, float]


def missed_between(speech: Sequence[Span], after: float, before: float) -> list[Span]:
    """Speech (seconds) between the end of one word ``after`` and the start of the next ``before``.

    Empty unless it adds up to ``MIN_MISSED_SECONDS``; ``speech`` is sorted and does not overlap.
    """
    low, high = after + WORD_MARGIN_SECONDS, before - WORD_MARGIN_SECONDS
    pieces = [(max(a, low), min(b, high)) for a, b in speech if b > low and a < high]
    if sum(b - a for a, b in pieces) < MIN_MISSED_SECONDS:
        return []
    return pieces


def clips_for(pieces: Sequence[Span], after: float, before: float, packed: bool) -> list[Span]:
    """Stretches of audio (contiguous, silences kept) to transcribe again, padded a little.

    ``packed``: neighbouring pieces share a clip of up to one Whisper window (the cheap first try);
    otherwise each piece is a clip of its own (for what Whisper skipped again in a packed clip).
    A piece longer than one window is cut in equal parts. The padding never reaches the words on
    either side.
    """
    clips: list[list[float]] = []
    for a, b in pieces:
        parts = max(1, math.ceil((b - a) / MAX_CLIP_SECONDS))
        step = (b - a) / parts
        for k in range(parts):
            start, end = a + k * step, a + (k + 1) * step
            if packed and clips and end - clips[-1][0] <= MAX_CLIP_SECONDS:
                clips[-1][1] = end
            else:
                clips.append([start, end])
    low, high = max(0.0, after), before
    return [(max(low, a - CLIP_PAD_SECONDS), min(high, b + CLIP_PAD_SECONDS)) for a, b in clips]


def gaps_among(words_at: Sequence[Span], after: float, before: float) -> list[Span]:
    """The stretches between ``after``, each word (start, end, in time order) and ``before``."""
    edges = [after] + [x for span in words_at for x in span] + [before]
    return [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]


def kept(words_at: Sequence[Span], after: float, before: float) -> list[int]:
    """Indices of recovered words (start, end) that fall between the words heard on either side."""
    return [i for i, (a, b) in enumerate(words_at) if after <= (a + b) / 2 <= before]
