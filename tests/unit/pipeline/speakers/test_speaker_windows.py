"""Speech windows: where they go, what each one labels, streaming in blocks, refining at changes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from faster_whisper import decode_audio

from desktop_app.pipeline.speakers.heard_speech import HeardSpeech, heard_in
from desktop_app.pipeline.speakers.voices.encoder import SpeakerEncoder
from desktop_app.pipeline.speakers.window_options import WindowOptions
from desktop_app.pipeline.speakers.windows import (
    SpeechEmbedder,
    SpeechEmbeddings,
    owned_spans,
    refine_changes,
    widen,
    window_starts,
)

OPTIONS = WindowOptions()  # 1.5 s windows (150 frames) every 0.75 s (75 frames), refined halfway


def test_windows_cover_a_long_region_to_its_end() -> None:
    starts = window_starts(100, 400, OPTIONS, n_frames=1000)
    assert starts[0] == 100 and starts[-1] == 400 - 150
    assert np.all(np.diff(starts) <= OPTIONS.hop_frames) and OPTIONS.hop_frames == 75


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


def speech_regions(samples: np.ndarray) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """One VAD pass: (heard, regions), as the speech embedder makes them."""
    heard = heard_in(samples, OPTIONS)
    return heard, widen(heard, OPTIONS, len(samples))


def test_vad_finds_the_call_speech(call_audio: np.ndarray) -> None:
    heard, regions = speech_regions(call_audio)
    assert regions, "no speech found"
    assert abs(regions[0][0] / 16000 - 6.69) < 0.3  # the reference's first word
    speech = sum(b - a for a, b in regions) / 16000
    assert 20.0 < speech < 24.5  # the reference has 22.6 s of speech
    tight = sum(b - a for a, b in heard) / 16000
    assert 17.0 < tight < speech  # pauses inside turns and between them are not speech
    assert all(any(a <= h0 and h1 <= b for a, b in regions) for h0, h1 in heard)  # heard speech lies in regions
    assert speech_regions(np.zeros(16000 * 3, dtype=np.float32)) == ([], [])


def test_regions_from_one_vad_pass_match_a_second_pass_with_the_region_settings(call_audio: np.ndarray) -> None:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    _, regions = speech_regions(call_audio)
    vad = VadOptions(
        threshold=OPTIONS.vad_threshold,
        min_silence_duration_ms=OPTIONS.vad_min_silence_ms,
        speech_pad_ms=OPTIONS.vad_speech_pad_ms,
    )
    direct = [(s["start"], s["end"]) for s in get_speech_timestamps(call_audio, vad)]
    assert len(regions) == len(direct)
    np.testing.assert_allclose(np.array(regions), np.array(direct), atol=0.04 * 16000)  # within 40 ms


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


FINE = WindowOptions(fine_hop_seconds=0.25, refine_below=2.0)  # two windows per zone; a zone between all


@pytest.fixture(scope="module")
def call_windows(call_audio: np.ndarray) -> SpeechEmbeddings:
    embedder = SpeechEmbedder(SpeakerEncoder(), FINE)
    embedder.feed(0.0, call_audio[: 16000 * 16])
    return embedder.finish()


def test_zones_are_kept_only_between_windows_that_sound_unlike(call_audio: np.ndarray) -> None:
    audio = call_audio[: 16000 * 16]
    embedded = []
    for refine_below in (2.0, 0.85, -1.0):
        embedder = SpeechEmbedder(SpeakerEncoder(), WindowOptions(refine_below=refine_below))
        embedder.feed(0.0, audio)
        embedded.append(embedder.finish())
    every, some, none = embedded
    room = np.diff(every.starts) * 100 > OPTIONS.fine_hop_frames  # a region's last window may start closer
    pairs = int(np.sum((every.region_of[:-1] == every.region_of[1:]) & room))
    assert len(every.zones) == pairs and none.zones == []
    assert 0 < len(some.zones) < pairs
    for zone in some.zones:
        i = zone.window
        assert every.region_of[i] == every.region_of[i + 1]
        assert float(every.embeddings[i] @ every.embeddings[i + 1]) < 0.85


def test_refined_windows_are_the_windows_a_finer_grid_embeds(
    call_windows: SpeechEmbeddings, call_audio: np.ndarray
) -> None:
    labels = np.arange(len(call_windows)) % 2  # every neighbour pair "changes speaker"
    refined, new = refine_changes(call_windows, labels, SpeakerEncoder(), FINE)
    assert refined.zones == [] and int(new.sum()) == sum(len(z.starts) for z in call_windows.zones)
    np.testing.assert_array_equal(refined.embeddings[~new], call_windows.embeddings)
    for region in np.unique(refined.region_of):
        rows = refined.region_of == region
        starts, spans = refined.starts[rows], refined.owned[rows]
        assert np.all(np.diff(starts) > 0)
        np.testing.assert_allclose(spans[1:, 0], spans[:-1, 1])  # owned spans still tile the region
        original = call_windows.owned[call_windows.region_of == region]
        assert spans[0, 0] == pytest.approx(original[0, 0]) and spans[-1, 1] == pytest.approx(original[-1, 1])
    # a window added halfway embeds as the same window cut straight from the audio would
    finer = SpeechEmbedder(SpeakerEncoder(), WindowOptions(hop_seconds=0.25, refine_below=-1.0))
    finer.feed(0.0, call_audio[: 16000 * 16])
    direct = finer.finish()
    index = {round(float(s), 2): i for i, s in enumerate(direct.starts)}
    matched = [
        (i, index[round(float(s), 2)])
        for i, s in zip(np.flatnonzero(new), refined.starts[new], strict=True)
        if round(float(s), 2) in index
    ]
    assert len(matched) >= 0.9 * int(new.sum())
    assert min(float(refined.embeddings[i] @ direct.embeddings[j]) for i, j in matched) > 0.999


def test_no_change_no_refinement(call_windows: SpeechEmbeddings) -> None:
    same, new = refine_changes(call_windows, np.zeros(len(call_windows), dtype=np.int64), SpeakerEncoder(), FINE)
    assert not new.any() and same.zones == [] and len(same) == len(call_windows)


def test_heard_speech_found_while_transcribing_is_cut_to_a_block_and_joined() -> None:
    settings = HeardSpeech.settings(OPTIONS)
    first = HeardSpeech(((1.0, 2.0), (4.5, 5.0)), 0.0, 5.0, settings)
    second = HeardSpeech(((6.0, 9.0),), 5.0, 10.0, settings)
    whole = HeardSpeech.joined([first, second])
    assert whole == HeardSpeech(((1.0, 2.0), (4.5, 5.0), (6.0, 9.0)), 0.0, 10.0, settings)
    assert whole.within(16000 * 4, 16000 * 4) == [(8000, 16000), (32000, 64000)]  # 4 s .. 8 s, relative, clipped
    assert whole.within(16000 * 8, 16000 * 4) is None  # reaches past what was heard
    assert HeardSpeech.joined([first]) == first and HeardSpeech.joined([]) is None
    assert HeardSpeech.joined([second, first]) is None  # not consecutive
    assert HeardSpeech.joined([first, HeardSpeech((), 5.0, 6.0, (0.5, 100, 15))]) is None  # other settings


@pytest.mark.slow
def test_speech_heard_while_transcribing_spares_the_speaker_step_its_vad_pass(call_audio: np.ndarray) -> None:
    """Windows from the engine's heard speech match those from the speaker step's own VAD, with no Silero pass."""
    from desktop_app.pipeline.vad_once import install

    silero = install()
    encoder = SpeakerEncoder()
    cut = 16000 * 14  # the engine's blocks are cut elsewhere than the speaker step's
    heard = HeardSpeech.joined([HeardSpeech.of(0.0, call_audio[:cut]), HeardSpeech.of(cut / 16000, call_audio[cut:])])
    assert heard is not None and heard.end == pytest.approx(len(call_audio) / 16000)

    def embedded(known: HeardSpeech | None) -> SpeechEmbeddings:
        embedder = SpeechEmbedder(encoder, OPTIONS, known)
        embedder.feed(0.0, call_audio)
        return embedder.finish()

    own = embedded(None)
    passes = silero.passes
    reused = embedded(heard)
    assert silero.passes == passes, "Silero ran again"
    assert len(reused.regions) == len(own.regions)
    np.testing.assert_allclose(np.array(reused.regions), np.array(own.regions), atol=0.1)
    assert len(reused) == pytest.approx(len(own), abs=2)
    other = SpeechEmbedder(encoder, WindowOptions(vad_threshold=0.5), heard)
    assert other.known is None  # heard at another threshold: the speaker step runs its own VAD
