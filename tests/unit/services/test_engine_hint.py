"""When the interview engine's own count is below what the segmentation model heard at once, the researcher is told."""

from __future__ import annotations

from desktop_app.pipeline.speakers.diarization import DiarizationResult, SpeakerStats
from desktop_app.services.speakers.diarization_service import DiarizationOptions, engine_hint


def _result(found: int, heard: int) -> DiarizationResult:
    stats = [SpeakerStats(f"S{i + 1}", 10.0, 3, 20, 1 / max(found, 1)) for i in range(found)]
    return DiarizationResult([], [], stats, [], heard)


def test_fewer_speakers_than_heard_at_once_suggests_the_meetings_engine() -> None:
    hint = engine_hint(DiarizationOptions(), _result(1, 3))
    assert hint is not None and hint.startswith(
        "3 people were heard talking within one stretch, but only 1 speaker was found"
    )
    assert "only 2 speakers were found" in (engine_hint(DiarizationOptions(), _result(2, 3)) or "")
    assert "meetings engine" in hint and "give the count" in hint
    assert engine_hint(DiarizationOptions.from_speakers("2-6"), _result(2, 3)) is not None  # a range that allows 3


def test_no_hint_where_the_count_agrees_or_the_researcher_decided() -> None:
    assert engine_hint(DiarizationOptions(), _result(2, 2)) is None
    assert engine_hint(DiarizationOptions(), _result(3, 2)) is None
    assert engine_hint(DiarizationOptions(), _result(1, 0)) is None  # the segmentation model did not run
    assert engine_hint(DiarizationOptions(meeting=True), _result(2, 3)) is None  # already the meetings engine
    assert engine_hint(DiarizationOptions(num_speakers=2), _result(2, 3)) is None  # the count was given
    assert engine_hint(DiarizationOptions.from_speakers("1-2"), _result(2, 3)) is None  # at most two, said the range
