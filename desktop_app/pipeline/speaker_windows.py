"""Speech windows for speaker embeddings: Silero VAD regions, 1.5 s windows every 0.25 s, streamed.

Audio arrives in blocks (``feed``); it is buffered until about a minute is there, the VAD finds
speech regions, and every region that has certainly ended is cut into windows and embedded. The
unfinished tail is carried into the next block, so a region is never split at a block border
(unless one stretch of speech outlasts ``max_carry_seconds``). Only the embeddings are kept: memory
grows by about 1 KB per window (28,000 windows for 2 h), never with the audio.

Each window owns the stretch of its region nearest its centre (hop-wide, the region's edges for the
first and last), which is the time its speaker label will stand for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from desktop_app.pipeline.speaker_encoder import (
    DEFAULT_BATCH_SIZE,
    EMBEDDING_SIZE,
    HOP_SAMPLES,
    SAMPLE_RATE,
    SpeakerEncoder,
)

FRAMES_PER_SECOND = SAMPLE_RATE // HOP_SAMPLES
_TARGET_RMS = 10 ** (-30 / 20)  # Resemblyzer's volume normalisation target, -30 dBFS


@dataclass(frozen=True)
class WindowOptions:
    window_seconds: float = 1.5
    hop_seconds: float = 0.25
    vad_threshold: float = 0.35
    vad_min_silence_ms: int = 500
    vad_speech_pad_ms: int = 100
    normalise_volume: bool = True  # raise quiet windows to -30 dBFS, as Resemblyzer's preprocessing
    batch_size: int = DEFAULT_BATCH_SIZE
    block_seconds: float = 120.0  # audio buffered per VAD pass; its windows form one batch
    max_carry_seconds: float = 30.0

    @property
    def window_frames(self) -> int:
        return max(1, round(self.window_seconds * FRAMES_PER_SECOND))

    @property
    def hop_frames(self) -> int:
        return max(1, round(self.hop_seconds * FRAMES_PER_SECOND))


@dataclass
class SpeechEmbeddings:
    """Speech regions and embedded windows of a whole recording; times in seconds."""

    regions: list[tuple[float, float]] = field(default_factory=list)
    owned: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))  # (n, 2) start, end each window labels
    embeddings: np.ndarray = field(default_factory=lambda: np.empty((0, EMBEDDING_SIZE), dtype=np.float32))
    duration: float = 0.0  # seconds of audio seen

    def __len__(self) -> int:
        return len(self.owned)


def speech_regions(samples: np.ndarray, options: WindowOptions) -> list[tuple[int, int]]:
    """Silero VAD speech (sample ranges) with diarization settings: low threshold, short silences."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    vad = VadOptions(
        threshold=options.vad_threshold,
        min_silence_duration_ms=options.vad_min_silence_ms,
        speech_pad_ms=options.vad_speech_pad_ms,
    )
    found = get_speech_timestamps(samples, vad, sampling_rate=SAMPLE_RATE)
    return [(int(s["start"]), min(int(s["end"]), len(samples))) for s in found if s["end"] > s["start"]]


def window_starts(first: int, last: int, options: WindowOptions, n_frames: int) -> np.ndarray:
    """Start frames of the windows over the region of frames [first, last) in a block of ``n_frames``."""
    width, hop = options.window_frames, options.hop_frames
    if last - first <= width:
        centre = (first + last) // 2
        return np.array([max(0, min(centre - width // 2, n_frames - width))])
    starts = np.arange(first, last - width + 1, hop)
    if starts[-1] < last - width:
        starts = np.append(starts, last - width)
    return starts


def owned_spans(first: int, last: int, starts: np.ndarray, width: int) -> np.ndarray:
    """(n, 2) frame spans each window labels: split at midpoints between centres, clipped to the region."""
    centres = np.clip(starts + width / 2.0, first, last)
    cuts = np.concatenate([[first], (centres[1:] + centres[:-1]) / 2.0, [last]])
    return np.stack([cuts[:-1], cuts[1:]], axis=1)


class SpeechEmbedder:
    """Feed 16 kHz blocks in time order, then ``finish()`` for the regions and window embeddings."""

    def __init__(self, encoder: SpeakerEncoder, options: WindowOptions | None = None) -> None:
        self.encoder = encoder
        self.options = options or WindowOptions()
        self._pending: list[np.ndarray] = []
        self._pending_samples = 0
        self._buffer_start = 0  # absolute sample of the first pending sample
        self._regions: list[tuple[float, float]] = []
        self._owned: list[np.ndarray] = []
        self._embeddings: list[np.ndarray] = []

    def feed(self, start_seconds: float, samples: np.ndarray) -> None:
        start = round(start_seconds * SAMPLE_RATE)
        expected = self._buffer_start + self._pending_samples
        if self._pending_samples and abs(start - expected) > 1:
            self._process(final=True)  # a gap or a jump: what came before is complete
        if not self._pending_samples:
            self._buffer_start = start
        self._pending.append(np.asarray(samples, dtype=np.float32).reshape(-1))
        self._pending_samples += len(self._pending[-1])
        if self._pending_samples >= self.options.block_seconds * SAMPLE_RATE:
            self._process(final=False)

    def finish(self) -> SpeechEmbeddings:
        if self._pending_samples:
            self._process(final=True)
        owned = np.concatenate(self._owned) if self._owned else np.empty((0, 2))
        embeddings = (
            np.concatenate(self._embeddings) if self._embeddings else np.empty((0, EMBEDDING_SIZE), dtype=np.float32)
        )
        duration = (self._buffer_start + self._pending_samples) / SAMPLE_RATE
        return SpeechEmbeddings(list(self._regions), owned, embeddings, duration)

    def _process(self, final: bool) -> None:
        audio = np.concatenate(self._pending) if len(self._pending) > 1 else self._pending[0]
        regions = speech_regions(audio, self.options)
        cut = len(audio) if final else self._cut_point(regions, len(audio))
        done = [(a, min(b, cut)) for a, b in regions if a < cut]
        if done:
            self._embed_regions(audio, done)
        rest = audio[cut:]
        self._buffer_start += cut
        self._pending = [rest] if len(rest) else []
        self._pending_samples = len(rest)

    def _cut_point(self, regions: list[tuple[int, int]], length: int) -> int:
        """Where the finished part of the buffer ends: before a region that may go on in the next block."""
        margin = round((self.options.vad_min_silence_ms + 2 * self.options.vad_speech_pad_ms) / 1000 * SAMPLE_RATE)
        cut = max(0, length - margin)
        for a, b in regions:
            if b >= length - margin:  # may continue: carry it whole
                cut = min(cut, a)
                break
        limit = length - round(self.options.max_carry_seconds * SAMPLE_RATE)
        return max(cut, limit, 0) // HOP_SAMPLES * HOP_SAMPLES

    def _embed_regions(self, audio: np.ndarray, regions: list[tuple[int, int]]) -> None:
        options = self.options
        offset = self._buffer_start / SAMPLE_RATE
        mel = self.encoder.mel_spectrogram(audio)
        gains = self._frame_gains(audio, len(mel)) if options.normalise_volume else None
        width = options.window_frames
        starts_all, owned_all = [], []
        for a, b in regions:
            first, last = a // HOP_SAMPLES, max(a // HOP_SAMPLES + 1, b // HOP_SAMPLES)
            starts = window_starts(first, last, options, len(mel))
            starts_all.append(starts)
            owned_all.append(owned_spans(first, last, starts, width))
            self._regions.append((offset + a / SAMPLE_RATE, offset + b / SAMPLE_RATE))
        starts = np.concatenate(starts_all)
        self._owned.append(np.concatenate(owned_all) / FRAMES_PER_SECOND + offset)
        for first in range(0, len(starts), options.batch_size):
            batch = starts[first : first + options.batch_size]
            mels = _gather_windows(mel, batch, width)
            if gains is not None:
                mels *= _window_gains(gains, batch, width)[:, None, None]
            self._embeddings.append(self.encoder.embed_mels(mels, options.batch_size))

    @staticmethod
    def _frame_gains(audio: np.ndarray, n_frames: int) -> np.ndarray:
        """Cumulative energy per 10 ms frame, to find each window's mean square cheaply."""
        energy = np.zeros(n_frames + 1)
        squares = np.square(audio, dtype=np.float64)
        usable = len(squares) // HOP_SAMPLES * HOP_SAMPLES
        per_frame = squares[:usable].reshape(-1, HOP_SAMPLES).sum(axis=1)
        energy[1 : len(per_frame) + 1] = np.cumsum(per_frame)
        energy[len(per_frame) + 1 :] = energy[len(per_frame)]
        return energy


def _gather_windows(mel: np.ndarray, starts: np.ndarray, width: int) -> np.ndarray:
    """(n, width, 40) windows of ``mel`` starting at ``starts``, zero-padded past the end."""
    if mel.shape[0] < int(starts.max()) + width:
        mel = np.concatenate([mel, np.zeros((int(starts.max()) + width - mel.shape[0], mel.shape[1]), mel.dtype)])
    index = starts[:, None] + np.arange(width)[None, :]
    return np.asarray(mel[index], dtype=np.float32)


def _window_gains(cumulative_energy: np.ndarray, starts: np.ndarray, width: int) -> np.ndarray:
    """Power gain per window lifting its RMS to -30 dBFS (never lowering it), applied to mel power."""
    last = len(cumulative_energy) - 1
    ends = np.minimum(starts + width, last)
    energy = cumulative_energy[ends] - cumulative_energy[np.minimum(starts, last)]
    mean_square = energy / np.maximum(1, (ends - starts) * HOP_SAMPLES)
    gain = _TARGET_RMS**2 / np.maximum(mean_square, 1e-12)
    return np.asarray(np.maximum(gain, 1.0), dtype=np.float32)
