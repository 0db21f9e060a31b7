"""GE2E speaker encoder in NumPy: Resemblyzer's weights, no torch at run time.

Features match Resemblyzer's ``wav_to_mel_spectrogram`` (librosa): a 40-band Slaney mel power
spectrogram (not log) of 16 kHz audio, 25 ms periodic Hann window every 10 ms, frames centred with
zero padding at the edges. The network is a 3-layer LSTM (256 units), linear 256 -> 256, ReLU and
L2 normalisation of the last layer's final hidden state. Windows are embedded in bounded batches,
all three layers stepped together in float32, so memory depends on the batch size, never on the
input length.
"""

from __future__ import annotations

import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from desktop_app.core.errors import ModelError
from desktop_app.pipeline.asr_options import available_cores
from desktop_app.pipeline.model_registry import app_models_dir
from desktop_app.pipeline.speakers.voices.blas import single_blas_thread

SAMPLE_RATE = 16000
N_FFT = 400
HOP_SAMPLES = 160
N_MELS = 40
HIDDEN = 256
EMBEDDING_SIZE = 256
N_LAYERS = 3
DEFAULT_BATCH_SIZE = 128  # windows per LSTM pass: measured fastest (64-128; 512 is 10 % slower, 32 is 40 %)
MODEL_FILE = "ge2e_encoder.npz"
_MIN_SHARED_BATCH = 48  # windows below which a batch is not split between cores
_MEL_CHUNK_FRAMES = 4096  # bounds the STFT's scratch memory for long audio


def default_encoder_path() -> Path:
    """``models/ge2e_encoder.npz`` in the app (the PyInstaller bundle or the repository)."""
    return app_models_dir() / MODEL_FILE


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    """Slaney's mel scale (librosa's default): linear below 1 kHz, logarithmic above."""
    mel = hz / (200.0 / 3)
    log_region = hz >= 1000.0
    mel[log_region] = 15.0 + np.log(hz[log_region] / 1000.0) / (np.log(6.4) / 27.0)
    return mel


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    hz = mel * (200.0 / 3)
    log_region = mel >= 15.0
    hz[log_region] = 1000.0 * np.exp((np.log(6.4) / 27.0) * (mel[log_region] - 15.0))
    return hz


def mel_filterbank(sample_rate: int = SAMPLE_RATE, n_fft: int = N_FFT, n_mels: int = N_MELS) -> np.ndarray:
    """Slaney-normalised triangular filters (n_mels, n_fft // 2 + 1), as ``librosa.filters.mel``."""
    fft_freqs = np.fft.rfftfreq(n_fft, 1.0 / sample_rate)
    low, high = _hz_to_mel(np.array([0.0, sample_rate / 2.0]))
    mel_points = np.linspace(float(low), float(high), n_mels + 2)
    band_hz = _mel_to_hz(mel_points)
    widths = np.diff(band_hz)
    ramps = band_hz[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0.0, np.minimum(lower, upper))
    weights *= (2.0 / (band_hz[2:] - band_hz[:-2]))[:, None]
    return np.asarray(weights, dtype=np.float32)


def _load_arrays(path: Path) -> dict[str, np.ndarray]:
    if not path.is_file():
        raise ModelError(path, "the speaker encoder weights are missing (export them with scripts/export_ge2e.py)")
    try:
        with np.load(path, allow_pickle=False) as data:
            return {name: np.asarray(data[name]) for name in data.files}
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise ModelError(path, f"the speaker encoder weights cannot be read ({exc})") from exc


def _weight(arrays: dict[str, np.ndarray], name: str, shape: tuple[int, ...], path: Path) -> np.ndarray:
    array = arrays.get(name)
    if array is None or array.shape != shape:
        found = "missing" if array is None else f"of shape {array.shape}"
        raise ModelError(path, f"the speaker encoder weights are incomplete: {name} is {found}, expected {shape}")
    return np.ascontiguousarray(array, dtype=np.float32)


class _LstmStack:
    """Three LSTM layers stepped together over time; each step is one matrix product per layer.

    Each layer's operand is [layer input | its own hidden state | 1], so the bias rides in the
    product. Gates are reordered to (input, forget, output, cell) and pre-scaled by -1 (the three
    sigmoid gates) and -2 (the cell gate), so one ``exp`` and one reciprocal over all gates give
    sigmoid(x) = 1 / (1 + exp(-x)) and, for the cell gate, tanh(x) = 2 / (1 + exp(-2x)) - 1: two
    cheap vectorised passes instead of NumPy's slower ``tanh``.
    """

    def __init__(self, arrays: dict[str, np.ndarray], path: Path) -> None:
        h = HIDDEN
        order = np.r_[0 : 2 * h, 3 * h : 4 * h, 2 * h : 3 * h]
        scale = np.full(4 * h, -1.0, dtype=np.float32)
        scale[3 * h :] = -2.0
        self.weights: list[np.ndarray] = []
        for layer in range(N_LAYERS):
            width = N_MELS if layer == 0 else h
            w_ih = _weight(arrays, f"lstm{layer}_w_ih", (width, 4 * h), path)
            w_hh = _weight(arrays, f"lstm{layer}_w_hh", (h, 4 * h), path)
            bias = _weight(arrays, f"lstm{layer}_bias", (4 * h,), path)
            stacked = np.vstack([w_ih, w_hh, bias[None]])[:, order] * scale
            self.weights.append(np.ascontiguousarray(stacked, dtype=np.float32))

    def last_hidden(self, mels: np.ndarray) -> np.ndarray:
        """``mels`` (batch, frames, 40) -> the top layer's final hidden state (batch, 256)."""
        batch, steps, _ = mels.shape
        h = HIDDEN
        operands = [np.zeros((batch, w.shape[0]), dtype=np.float32) for w in self.weights]
        for operand in operands:
            operand[:, -1] = 1.0
        cells = [np.zeros((batch, h), dtype=np.float32) for _ in self.weights]
        gates = np.empty((batch, 4 * h), dtype=np.float32)
        squash = np.empty((batch, h), dtype=np.float32)
        with np.errstate(over="ignore"):  # exp overflows to inf for saturated gates: 1 / (1 + inf) is 0
            for t in range(steps):
                operands[0][:, :N_MELS] = mels[:, t]
                for layer, weight in enumerate(self.weights):
                    operand = operands[layer]
                    np.matmul(operand, weight, out=gates)
                    np.exp(gates, out=gates)
                    gates += 1.0
                    np.reciprocal(gates, out=gates)
                    candidate = gates[:, 3 * h :]
                    candidate *= 2.0
                    candidate -= 1.0
                    cell = cells[layer]
                    cell *= gates[:, h : 2 * h]
                    np.multiply(gates[:, :h], candidate, out=squash)
                    cell += squash
                    np.multiply(cell, -2.0, out=squash)  # tanh(cell), as for the cell gate
                    np.exp(squash, out=squash)
                    squash += 1.0
                    np.reciprocal(squash, out=squash)
                    squash *= 2.0
                    squash -= 1.0
                    hidden = operand[:, -h - 1 : -1]
                    np.multiply(gates[:, 2 * h : 3 * h], squash, out=hidden)
                    if layer + 1 < len(self.weights):
                        operands[layer + 1][:, :h] = hidden
        return np.array(operands[-1][:, -h - 1 : -1], dtype=np.float32)


class SpeakerEncoder:
    """Speaker embeddings (256-d, L2-normed, non-negative) of short windows of 16 kHz speech."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else default_encoder_path()
        arrays = _load_arrays(self.path)
        self._lstm = _LstmStack(arrays, self.path)
        self._linear_w = _weight(arrays, "linear_w", (HIDDEN, EMBEDDING_SIZE), self.path)
        self._linear_b = _weight(arrays, "linear_b", (EMBEDDING_SIZE,), self.path)
        self._filters_t = np.ascontiguousarray(mel_filterbank().T)
        n = np.arange(N_FFT, dtype=np.float64)
        self._window = 0.5 - 0.5 * np.cos(2.0 * np.pi * n / N_FFT)  # periodic Hann, as scipy's get_window

    def mel_spectrogram(self, samples: np.ndarray) -> np.ndarray:
        """Mel power spectrogram (frames, 40) of 16 kHz audio; frame ``i`` is centred on sample ``160 * i``."""
        padded = np.pad(np.asarray(samples, dtype=np.float32), N_FFT // 2)
        n_frames = 1 + len(samples) // HOP_SAMPLES
        frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP_SAMPLES][:n_frames]
        out = np.empty((n_frames, N_MELS), dtype=np.float32)
        for first in range(0, n_frames, _MEL_CHUNK_FRAMES):
            chunk = frames[first : first + _MEL_CHUNK_FRAMES]
            spectrum = np.fft.rfft(chunk * self._window, axis=1)
            power = (spectrum.real**2 + spectrum.imag**2).astype(np.float32)
            np.matmul(power, self._filters_t, out=out[first : first + len(chunk)])
        return out

    def embed_mels(self, mels: np.ndarray, batch_size: int = DEFAULT_BATCH_SIZE) -> np.ndarray:
        """Embeddings (n, 256) of equal-length mel windows (n, frames, 40), ``batch_size`` windows at a time."""
        if mels.ndim != 3 or mels.shape[2] != N_MELS or mels.shape[1] == 0:
            raise ValueError(f"expected mel windows of shape (n, frames, {N_MELS}), got {mels.shape}")
        batches = max(-(-len(mels) // max(1, int(batch_size))), min(available_cores(), len(mels) // _MIN_SHARED_BATCH))
        step = max(1, -(-len(mels) // max(1, batches)))  # equal batches: 150 windows as 75 + 75, not 128 + 22
        out = np.empty((len(mels), EMBEDDING_SIZE), dtype=np.float32)

        def embed(first: int) -> None:
            out[first : first + step] = self._embed_batch(np.asarray(mels[first : first + step], dtype=np.float32))

        firsts = range(0, len(mels), step)
        with single_blas_thread():
            if len(firsts) > 1 and available_cores() > 1:  # batches side by side, one core each: NumPy frees the GIL
                with ThreadPoolExecutor(min(len(firsts), available_cores()), thread_name_prefix="speaker-encoder") as pool:
                    list(pool.map(embed, firsts))
            else:
                for first in firsts:
                    embed(first)
        return out

    def embed_samples(self, samples: np.ndarray, batch_size: int = DEFAULT_BATCH_SIZE) -> np.ndarray:
        """The embedding (256,) of one stretch of audio, as Resemblyzer's ``VoiceEncoder`` on its mel frames."""
        embeddings = self.embed_mels(self.mel_spectrogram(samples)[None], batch_size)
        return np.asarray(embeddings[0], dtype=np.float32)

    def _embed_batch(self, mels: np.ndarray) -> np.ndarray:
        hidden = self._lstm.last_hidden(mels)
        raw = np.maximum(hidden @ self._linear_w + self._linear_b, 0.0)
        norms = np.linalg.norm(raw, axis=1, keepdims=True)
        return np.asarray(raw / np.maximum(norms, 1e-12), dtype=np.float32)
