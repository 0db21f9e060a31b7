"""The NumPy GE2E encoder against Resemblyzer's torch encoder (reference embeddings kept as a fixture)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from faster_whisper import decode_audio

from desktop_app.core.errors import ModelError
from desktop_app.pipeline.speakers.voices.encoder import SpeakerEncoder, default_encoder_path, mel_filterbank

REFERENCE = Path(__file__).resolve().parents[3] / "fixtures" / "ge2e_reference.npz"


@pytest.fixture(scope="module")
def encoder() -> SpeakerEncoder:
    return SpeakerEncoder()


@pytest.fixture(scope="module")
def reference() -> dict[str, np.ndarray]:
    with np.load(REFERENCE, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


@pytest.fixture(scope="module")
def sample_wav(shared_data: Path) -> np.ndarray:
    return decode_audio(str(shared_data / "pyannote_sample.wav"))


def _windows(sample_wav: np.ndarray, reference: dict[str, np.ndarray]) -> list[np.ndarray]:
    pairs = zip(reference["window_starts"], reference["window_lengths"], strict=True)
    windows = [sample_wav[start : start + length] for start, length in pairs]
    sums = [float(np.sum(np.abs(w), dtype=np.float64)) for w in windows]
    np.testing.assert_allclose(sums, reference["window_abs_sums"], rtol=1e-6)  # the same samples as torch saw
    return windows


def test_mel_matches_librosa(encoder: SpeakerEncoder, sample_wav: np.ndarray, reference: dict[str, np.ndarray]) -> None:
    mel = encoder.mel_spectrogram(_windows(sample_wav, reference)[0])
    expected = reference["first_window_mel"]
    assert mel.shape == expected.shape
    assert np.abs(mel - expected).max() <= 1e-5 * expected.max()


@pytest.mark.slow
def test_embeddings_match_torch(
    encoder: SpeakerEncoder, sample_wav: np.ndarray, reference: dict[str, np.ndarray]
) -> None:
    for window, expected in zip(_windows(sample_wav, reference), reference["embeddings"], strict=True):
        embedding = encoder.embed_samples(window)
        assert embedding.shape == (256,)
        assert abs(float(np.linalg.norm(embedding)) - 1.0) < 1e-5
        assert float(embedding @ expected) >= 0.999


@pytest.mark.slow
def test_batches_give_the_same_embeddings(encoder: SpeakerEncoder, sample_wav: np.ndarray) -> None:
    starts = range(16000 * 7, 16000 * 28, 16000 * 3)  # both speakers
    mels = np.stack([encoder.mel_spectrogram(sample_wav[s : s + 24000]) for s in starts])
    whole = encoder.embed_mels(mels, batch_size=len(mels))
    in_pairs = encoder.embed_mels(mels, batch_size=2)
    np.testing.assert_allclose(in_pairs, whole, atol=1e-5)
    # different speakers' windows really differ (the batches were not trivially equal)
    assert float(np.min(whole @ whole.T)) < 0.9


def test_filterbank_shape_and_area() -> None:
    filters = mel_filterbank()
    assert filters.shape == (40, 201)
    assert np.all(filters >= 0) and np.all(filters.sum(axis=1) > 0)


def test_missing_or_broken_weights_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="missing"):
        SpeakerEncoder(tmp_path / "none.npz")
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="broken.npz"):
        SpeakerEncoder(broken)
    partial = tmp_path / "partial.npz"
    np.savez(partial, linear_b=np.zeros(256, dtype=np.float32))
    with pytest.raises(ModelError, match="incomplete"):
        SpeakerEncoder(partial)
    assert default_encoder_path().is_file()


def test_speaker_step_runs_on_one_blas_thread_and_restores_the_count() -> None:
    import sys

    from threadpoolctl import threadpool_limits

    from desktop_app.pipeline.speakers.voices.blas import blas_threads, single_blas_thread

    if sys.platform == "darwin":
        pytest.skip("NumPy on macOS uses Accelerate, whose threads do not spin")
    assert blas_threads(), "NumPy's BLAS was not found: the speaker step would spin threads on a busy CPU"
    with threadpool_limits(limits=2, user_api="blas"):
        with single_blas_thread():
            assert set(blas_threads()) == {1}
        assert set(blas_threads()) == {2}
