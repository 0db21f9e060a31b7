"""Excerpts by time: the same samples as a decode from the start, in the formats researchers bring; the bleep."""

from __future__ import annotations

import wave
from pathlib import Path

import av
import numpy as np
import pytest

from desktop_app.pipeline.audio_excerpt import BLEEP_HZ, Excerpt, ExcerptReader, bleep
from tests.fixtures.media_formats import transcode

# Lossless decoders give the very same samples after a seek; lossy ones may differ by a few least
# significant bits (AAC in its first frame after a seek to 0: up to about -64 dBFS, inaudible).
FORMATS = {".wav": 0, ".flac": 0, ".mp3": 2, ".m4a": 32, ".ogg": 2}


@pytest.fixture(scope="module")
def recordings(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("excerpt")
    return {suffix: transcode(shared_data / "pyannote_sample.wav", folder / f"s{suffix}") for suffix in FORMATS}


def decode_from_start(path: Path) -> tuple[np.ndarray, int]:
    """The whole recording through FFmpeg's own converter, placed on the stream's clock (an MP3's first
    frame starts after the encoder delay, as in the transcription pipeline): the reference an excerpt must match."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate = stream.codec_context.sample_rate
        resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
        frames = list(container.decode(stream))
        blocks = [out.to_ndarray().reshape(-1, 1) for frame in frames for out in resampler.resample(frame)]
        lead = np.zeros((round((frames[0].time or 0.0) * rate), 1), dtype=np.int16)
        return np.concatenate([lead, *blocks]), rate


@pytest.mark.parametrize("suffix", FORMATS)
def test_an_excerpt_is_the_stretch_of_a_decode_from_the_start(recordings: dict[str, Path], suffix: str) -> None:
    whole, rate = decode_from_start(recordings[suffix])
    with ExcerptReader(recordings[suffix]) as reader:
        assert reader.sample_rate == rate
        for start in (0.0, 0.21, 9.5, 21.37, 28.0):
            excerpt = reader.read(start, start + 3.0)
            first = round(start * rate)
            assert excerpt.start == pytest.approx(start, abs=1 / rate)
            assert excerpt.samples.shape == (min(round(3.0 * rate), len(whole) - first), 1), (suffix, start)
            difference = np.abs(excerpt.samples.astype(int) - whole[first : first + len(excerpt.samples)])
            assert difference.max() <= FORMATS[suffix], (suffix, start, difference.max())


def test_stereo_stays_stereo_and_a_range_past_the_end_is_cut(tmp_path: Path) -> None:
    rate = 22050
    left = (np.sin(np.arange(rate * 2) / 10) * 8000).astype(np.int16)
    stereo = np.stack([left, -left], axis=1)
    path = tmp_path / "stereo.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(stereo.tobytes())
    with ExcerptReader(path) as reader:
        excerpt = reader.read(1.5, 9.0)
    assert excerpt.channels == 2 and excerpt.duration == pytest.approx(0.5)
    assert np.array_equal(excerpt.samples, stereo[round(1.5 * rate) :])


def test_bleep_is_a_clean_tone_over_the_span_and_changes_nothing_else() -> None:
    rate = 16000
    rng = np.random.default_rng(1)
    speech = rng.integers(-6000, 6000, size=(rate * 2, 1)).astype(np.int16)
    excerpt = Excerpt(speech, rate, start=10.0)
    bleeped = bleep(excerpt, [(10.8, 11.1), (30.0, 31.0)], margin=0.02)  # the second is outside the excerpt
    low, high = round(0.78 * rate), round(1.12 * rate)
    assert np.array_equal(bleeped.samples[:low], speech[:low]) and np.array_equal(bleeped.samples[high:], speech[high:])
    word = bleeped.samples[round(0.8 * rate) : round(1.1 * rate), 0].astype(float)
    spectrum = np.abs(np.fft.rfft(word * np.hanning(len(word))))
    assert np.fft.rfftfreq(len(word), 1 / rate)[np.argmax(spectrum)] == pytest.approx(BLEEP_HZ, abs=5)
    edge = bleeped.samples[low : low + 80, 0].astype(float)  # the 5 ms fade-in: no jump at the first sample
    assert abs(edge[0] - speech[low, 0]) < 0.05 * 32767
    assert excerpt.samples is speech  # the original is left alone


def test_streamed_blocks_join_into_the_excerpt_and_bleep_without_seams(recordings: dict[str, Path]) -> None:
    with ExcerptReader(
        recordings[".m4a"]
    ) as reader:  # a fresh reader each: AAC after a second seek may differ by 1 LSB
        whole = reader.read(2.0, 14.0)
    with ExcerptReader(recordings[".m4a"]) as reader:
        blocks = list(reader.stream(2.0, 14.0, block_seconds=0.7))
    assert len(blocks) == 18 and all(b.duration == pytest.approx(0.7, abs=1e-4) for b in blocks[:-1])
    assert np.array_equal(np.concatenate([b.samples for b in blocks]), whole.samples)
    assert [b.start for b in blocks] == pytest.approx([2.0 + 0.7 * i for i in range(18)], abs=1 / reader.sample_rate)
    spans = [(2.65, 2.9), (6.1, 7.5), (13.9, 14.5)]  # across block edges, and past the end
    bleeped_blocks = np.concatenate([bleep(b, spans).samples for b in blocks])
    assert np.array_equal(bleeped_blocks, bleep(whole, spans).samples)
