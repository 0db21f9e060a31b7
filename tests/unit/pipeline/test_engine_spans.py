"""The engine on chosen stretches only (transcribing again around corrections): real tiny.en, in-process."""

from __future__ import annotations

import dataclasses

import pytest

from desktop_app.pipeline.asr_options import TranscriptionOptions
from desktop_app.pipeline.engine_process import Finished, JobSpec, Progress, SegmentsReady, run_engine
from desktop_app.pipeline.model_registry import ModelRegistry
from tests.fixtures.speech import SpeechFixture

pytestmark = pytest.mark.slow


def test_only_the_spans_are_transcribed_and_progress_counts_their_audio(focus_group_speech: SpeechFixture) -> None:
    turns = focus_group_speech.turns
    spans = [
        (float(turns[i]["start"]) - 0.3, float(turns[i]["end"]) + 0.3)
        for i in (1, 5)  # Anna's introduction; the moderator's question
    ]
    registry = ModelRegistry()
    spec = JobSpec(
        focus_group_speech.wav,
        registry.resolve("tiny.en"),
        TranscriptionOptions(model="tiny.en", language="en"),
        total_seconds=sum(b - a for a, b in spans),
        spans=spans,
    )
    events = list(run_engine(spec))
    segments = [s for e in events if isinstance(e, SegmentsReady) for s in e.segments]
    words = [w for s in segments for w in s.words]
    assert words and all(any(a - 0.05 <= w.start and w.end <= b + 0.05 for a, b in spans) for w in words)
    assert all(any(a - 0.05 <= s.start and s.end <= b + 0.05 for a, b in spans) for s in segments)  # none crosses
    said = " ".join(w.text for w in words).lower()
    assert "anna" in said and "help the most" in said and "david" not in said
    progress = [e for e in events if isinstance(e, Progress)]
    assert progress[-1].done_seconds == pytest.approx(spec.total_seconds, abs=0.05)
    assert all(a.done_seconds <= b.done_seconds for a, b in zip(progress, progress[1:], strict=False))
    (finished,) = [e for e in events if isinstance(e, Finished)]
    assert finished.audio_seconds == pytest.approx(spec.total_seconds, abs=0.05)
    whole = dataclasses.replace(spec, spans=None, total_seconds=focus_group_speech.duration)
    assert (
        "david"
        in " ".join(
            w.text for e in run_engine(whole) if isinstance(e, SegmentsReady) for s in e.segments for w in s.words
        ).lower()
    )
