"""Speech heard while a recording is transcribed, kept so the speaker step need not listen again.

``HeardSpeech`` crosses layers (the engine process finds it, the transcription service returns it,
the CLI and GUI hand it to the speaker step), so it lives in its own small module rather than in
the window-cutting code it was born in.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from desktop_app.pipeline.speakers.voices.encoder import SAMPLE_RATE
from desktop_app.pipeline.speakers.window_options import WindowOptions


def heard_in(samples: np.ndarray, options: WindowOptions) -> list[tuple[int, int]]:
    """Silero VAD speech (sample ranges) at the diarization threshold, tight around the voice.

    Pauses over 0.1 s are kept and 15 ms of padding added: the time the timeline and RTTM call
    speech. ``widen`` derives from it the regions windows are cut from, as a second VAD pass with
    the region settings would give.
    """
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    vad = VadOptions(
        threshold=options.vad_threshold,
        min_silence_duration_ms=options.heard_min_silence_ms,
        speech_pad_ms=options.heard_pad_ms,
    )
    found = get_speech_timestamps(samples, vad, sampling_rate=SAMPLE_RATE)
    return [(int(s["start"]), min(int(s["end"]), len(samples))) for s in found if s["end"] > s["start"]]


@dataclass(frozen=True)
class HeardSpeech:
    """Speech heard (``heard_in``) while the recording was transcribed: spans in seconds, over [start, end).

    The engine finds it from the Silero pass its own VAD makes on each block, so the speaker step
    need not run Silero again over the stretch it covers. ``vad`` holds the settings it was found with.
    """

    spans: tuple[tuple[float, float], ...]
    start: float
    end: float
    vad: tuple[float, int, int]

    @staticmethod
    def settings(options: WindowOptions) -> tuple[float, int, int]:
        return (options.vad_threshold, options.heard_min_silence_ms, options.heard_pad_ms)

    @classmethod
    def of(cls, offset: float, samples: np.ndarray, options: WindowOptions | None = None) -> HeardSpeech:
        """The speech heard in ``samples`` (starting ``offset`` seconds in), by default at the diarization defaults."""
        options = options or WindowOptions()
        spans = tuple((offset + a / SAMPLE_RATE, offset + b / SAMPLE_RATE) for a, b in heard_in(samples, options))
        return cls(spans, offset, offset + len(samples) / SAMPLE_RATE, cls.settings(options))

    def within(self, start: int, length: int) -> list[tuple[int, int]] | None:
        """Heard spans in samples ``[start, start + length)``, relative to ``start``; None if not all covered."""
        first, last = start / SAMPLE_RATE, (start + length) / SAMPLE_RATE
        if first < self.start - 0.01 or last > self.end + 0.01:
            return None
        lo = bisect.bisect_right(self.spans, first, key=lambda span: span[1])  # spans are sorted, apart
        hi = bisect.bisect_left(self.spans, last, key=lambda span: span[0])
        near = self.spans[lo:hi]
        spans = [(max(0, round(a * SAMPLE_RATE) - start), min(length, round(b * SAMPLE_RATE) - start)) for a, b in near]
        return [(a, b) for a, b in spans if b > a]

    @staticmethod
    def joined(parts: list[HeardSpeech]) -> HeardSpeech | None:
        """Consecutive parts (one per block, in order) as one; None if there are none or they leave a gap."""
        if not parts or any(
            abs(b.start - a.end) > 0.01 or a.vad != b.vad for a, b in zip(parts, parts[1:], strict=False)
        ):
            return None
        return HeardSpeech(tuple(x for p in parts for x in p.spans), parts[0].start, parts[-1].end, parts[0].vad)


__all__ = ["HeardSpeech", "heard_in"]
