"""Speech windows: where they go, what each one labels, and streaming in blocks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from faster_whisper import decode_audio

from desktop_app.pipeline.speaker_encoder import SpeakerEncoder
from desktop_app.pipeline.speaker_windows import (
    SpeechEmbedder,
    WindowOptions,
    owned_spans,
    speech_regions,
    window_starts,
)

OPTIONS = WindowOptions()  # 1.5 s windows (150 frames) every 0.25 s (25 frames)


def test_windows_cover_a_long_region_to_its_end() -> None:
    starts = window_starts(100, 400, OPTIONS, n_frames=1000)
    assert starts[0] == 100 and starts[-1] == 400 - 150
    assert np.all(np.diff(starts) <= 25)


def test_a_short_region_gets_one_centred_window_inside_the_audio() -> None:
    assert window_starts(500, 540, OPTIONS, n_frames=1000).tolist() == [520 - 75]
    assert window_starts(0, 40, OPTIONS, n_frames=1000).tolist() == [0]
    assert window_starts(980, 1000, OPTIONS, n_frames=1000).tolist() == [1000 - 150]


def test_owned_spans_tile_the_region_without_gaps() -> None:
    starts = window_starts(100, 400, OPTIONS, n_frames=1000)
    spans = owned_spans(100, 400, starts, 150)
    assert spans[0, 0] == 100 and spans[-1, 1] == 400
    np.testing.assert_array_equal(spans[1:, 0], spans[:-1, 1])
    assert np.all(spans[:, 1] > spans[:, 0])


@pytest.fixture(scope="module")
def call_audio(shared_data: Path) -> np.ndarray:
    return decode_audio(str(shared_data / "pyannote_sample.wav"))


def test_vad_finds_the_call_speech(call_audio: np.ndarray) -> None:
    regions = speech_regions(call_audio, OPTIONS)
    assert regions, "no speech found"
    assert abs(regions[0][0] / 16000 - 6.69) < 0.3  # the reference's first word
    speech = sum(b - a for a, b in regions) / 16000
    assert 20.0 < speech < 24.5  # the reference has 22.6 s of speech
    assert speech_regions(np.zeros(16000 * 3, dtype=np.float32), OPTIONS) == []


@pytest.mark.slow
def test_blocks_of_any_size_give_the_same_windows(call_audio: np.ndarray) -> None:
    """Streaming carries unfinished speech into the next block, so block borders do not matter."""
    encoder = SpeakerEncoder()
    call_audio = call_audio[: 16000 * 16]  # three turns, one change without a pause
    whole = SpeechEmbedder(encoder, OPTIONS)
    whole.feed(0.0, call_audio)
    expected = whole.finish()
    small = WindowOptions(block_seconds=8.0)
    streamed = SpeechEmbedder(encoder, small)
    for start in range(0, len(call_audio), 16000 * 3):
        streamed.feed(start / 16000, call_audio[start : start + 16000 * 3])
    got = streamed.finish()
    assert got.duration == pytest.approx(16.0, abs=0.01) == expected.duration
    assert abs(len(got) - len(expected)) <= 0.1 * len(expected)
    # windows at the same time embed the same voice
    same = [(i, j) for i, j in _matching(expected.owned, got.owned)]
    assert len(same) >= 0.8 * len(expected)
    cos = [float(expected.embeddings[i] @ got.embeddings[j]) for i, j in same]
    assert np.median(cos) > 0.99


def _matching(a: np.ndarray, b: np.ndarray) -> list[tuple[int, int]]:
    index = {(round(s, 2), round(e, 2)): j for j, (s, e) in enumerate(b)}
    return [(i, index[(round(s, 2), round(e, 2))]) for i, (s, e) in enumerate(a) if (round(s, 2), round(e, 2)) in index]
