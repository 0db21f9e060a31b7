"""Voice embeddings of stretches of one local speaker's talk in a chunk (CAM++, ONNX).

CAM++ (3D-Speaker) reads 80-dim Kaldi log-mel fbank frames (25 ms every 10 ms, povey window, no
dither; computed with kaldi-native-fbank) with their mean subtracted, and gives a 192-dim voice
embedding. A local speaker's talk in a chunk is cut at the borders of the recording's grid of
``step``-second cells (``local_speakers.cell_borders``) and into pieces of at most ``max_seconds``,
so a change of speaker the segmentation model missed inside one local speaker falls between
pieces rather than blending two voices in one embedding. Each chunk embeds only the pieces of its
middle cell (the neighbouring chunks embed the rest, and their pieces line up with this chunk's),
so every second of talk is embedded once: about 0.14 ms of CPU per 10 ms of talk, one model
thread per chunk, two chunks at once on 2 cores (``embed_chunks``). A piece shorter than
``read_seconds`` (a remark cut in two by a cell border) reads its voice from its run of talk
widened to ``read_seconds`` around it; it reads only the frames where its speaker is active and,
where enough of them are, only those where nobody else talks (pyannote.audio's
``exclude_overlap``). A piece whose widened stretch holds less than ``min_seconds`` of talk gets
no embedding.

Measured on clean speech (shared recordings, halves of one file against another): the same voice
0.63-0.92 cosine similarity, different voices 0.15-0.51.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from desktop_app.pipeline.speakers.onnx_models import EMBEDDING_FILE, session, threads_for_side_by_side
from desktop_app.pipeline.speakers.segmentation import FRAME_DURATION, FRAME_STEP, SAMPLE_RATE

EMBEDDING_SIZE = 192
FBANK_SHIFT = 0.01
FBANK_LENGTH = 0.025


@dataclass(frozen=True)
class EmbeddingOptions:
    max_seconds: float = 3.0  # longest piece of one local speaker's talk embedded at once
    min_seconds: float = 0.5  # a piece with less talk than this gets no embedding (too little voice to tell)
    bridge_seconds: float = 0.5  # pauses this short inside a local speaker's talk do not cut a piece
    read_seconds: float = 1.0  # a shorter piece reads its voice from this much of its run around it


def fbank(audio: np.ndarray) -> np.ndarray:
    """(frames, 80) Kaldi log-mel fbank of 16 kHz float audio, as CAM++ was trained on (snip edges)."""
    import kaldi_native_fbank as knf

    options = knf.FbankOptions()
    options.frame_opts.samp_freq = SAMPLE_RATE
    options.frame_opts.dither = 0.0
    options.mel_opts.num_bins = 80
    computer = knf.OnlineFbank(options)
    computer.accept_waveform(SAMPLE_RATE, np.asarray(audio, dtype=np.float32))
    computer.input_finished()
    n = computer.num_frames_ready
    if n == 0:
        return np.zeros((0, 80), dtype=np.float32)
    return np.asarray([computer.get_frame(i) for i in range(n)], dtype=np.float32)


def fbank_to_segmentation_frames(n_fbank: int, n_segmentation: int) -> np.ndarray:
    """For each fbank frame, the segmentation frame whose centre is nearest to its centre."""
    centres = np.arange(n_fbank) * FBANK_SHIFT + FBANK_LENGTH / 2
    index = np.rint((centres - FRAME_DURATION / 2) / FRAME_STEP).astype(np.int64)
    return np.asarray(np.clip(index, 0, n_segmentation - 1))


class VoiceEmbedder:
    """CAM++ on the frames of each local speaker of a chunk."""

    def __init__(self, options: EmbeddingOptions | None = None, models: Path | None = None) -> None:
        self.options = options or EmbeddingOptions()
        self._session = session(EMBEDDING_FILE, models, one_thread=True)

    def embed_features(self, features: np.ndarray) -> np.ndarray:
        """(192,) embedding of (frames, 80) fbank frames (mean subtracted here)."""
        centred = features - features.mean(axis=0, keepdims=True)
        out = self._session.run(None, {"input": np.ascontiguousarray(centred[None], dtype=np.float32)})[0]
        return np.asarray(out[0], dtype=np.float32)

    def embed_audio(self, audio: np.ndarray) -> np.ndarray:
        """(192,) embedding of a stretch of one voice (16 kHz float), e.g. a named speaker's talk."""
        return self.embed_features(fbank(audio))

    def prepare_chunk(
        self, audio: np.ndarray, active: np.ndarray, owned: tuple[int, int], cells: np.ndarray
    ) -> tuple[list[Piece], list[tuple[Piece, np.ndarray]]]:
        """The pieces of a chunk's local speakers, and the fbank frames each one to embed is read from.

        ``audio``: the chunk's samples; ``active``: (segmentation frames, speakers) bool; ``cells``:
        the frames where the grid of cells falls (pieces never cross one). Each local speaker's
        talk is cut into pieces of at most ``max_seconds`` (so a change of speaker the model missed
        inside one local speaker lands between pieces, not inside one embedding). Pieces outside
        ``owned`` (another chunk embeds that time) or with too little talk get no embedding.
        Features are computed only over the stretch the pieces to embed read.
        """
        pieces = [p for speaker in range(active.shape[1]) for p in _pieces(active, speaker, self.options, cells)]
        wanted = [p for p in pieces if owned[0] <= (p.start + p.end) // 2 < owned[1]]
        if not wanted:
            return pieces, []
        hop = round(FBANK_SHIFT * SAMPLE_RATE)
        first = max(0, int(min(p.reads[0] for p in wanted) * FRAME_STEP * SAMPLE_RATE) // hop - 3)
        last = int((max(p.reads[1] for p in wanted) * FRAME_STEP + FRAME_DURATION) * SAMPLE_RATE) + 2 * hop
        features = fbank(audio[first * hop : last])
        seg_of = fbank_to_segmentation_frames(first + len(features), len(active))[first:]
        on = active[seg_of]  # (fbank frames, speakers)
        alone = on & (on.sum(axis=1, keepdims=True) == 1)
        work = []
        for piece in wanted:
            inside = (seg_of >= piece.reads[0]) & (seg_of < piece.reads[1])
            frames = np.flatnonzero(inside & alone[:, piece.local])
            if len(frames) < self.options.min_seconds / FBANK_SHIFT:
                frames = np.flatnonzero(inside & on[:, piece.local])
            if len(frames) >= self.options.min_seconds / FBANK_SHIFT:
                work.append((piece, features[frames]))
        return pieces, work

    def embed_chunks(
        self, chunks: list[tuple[np.ndarray, np.ndarray, tuple[int, int]]], cells: np.ndarray
    ) -> list[list[Piece]]:
        """The pieces of each (audio, active, owned) chunk, the ones it owns embedded (``prepare_chunk``).

        Chunks run side by side, one model thread each: a chunk's fbank (which lets go of the GIL)
        overlaps another's CAM++, and a model run on a few seconds of talk gains nothing from a
        second thread.
        """

        def one(chunk: tuple[np.ndarray, np.ndarray, tuple[int, int]]) -> list[Piece]:
            pieces, work = self.prepare_chunk(*chunk, cells)
            for piece, features in work:
                piece.embedding = self.embed_features(features)
            return pieces

        workers = min(len(chunks), threads_for_side_by_side())
        if workers <= 1:
            return [one(chunk) for chunk in chunks]
        with ThreadPoolExecutor(workers, thread_name_prefix="voice-embedding") as pool:
            return list(pool.map(one, chunks))


@dataclass
class Piece:
    """A stretch of one local speaker's talk in a chunk: segmentation frames [start, end)."""

    local: int
    start: int
    end: int
    seconds: float  # of talk inside
    embedding: np.ndarray | None = None
    reads: tuple[int, int] = (0, 0)  # the frames its voice is read from: the piece widened within its run


def _pieces(active: np.ndarray, speaker: int, options: EmbeddingOptions, cuts: np.ndarray) -> list[Piece]:
    """Runs of the speaker's frames (pauses under ``bridge_seconds`` bridged), split at ``cuts`` and into
    equal pieces of at most ``max_seconds``; each reads its voice from itself widened within its run
    to ``read_seconds`` where it is shorter (a piece cut short by a cell border still gets a voice
    print from a full stretch of the same talk)."""
    track = active[:, speaker]
    padded = np.concatenate([[False], track, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    runs: list[list[int]] = []
    bridge = round(options.bridge_seconds / FRAME_STEP)
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        if runs and a - runs[-1][1] <= bridge:
            runs[-1][1] = int(b)
        else:
            runs.append([int(a), int(b)])
    longest = max(1, round(options.max_seconds / FRAME_STEP))
    reach = max(1, round(options.read_seconds / FRAME_STEP))
    pieces = []
    for run_start, run_end in runs:
        inner = cuts[(cuts > run_start) & (cuts < run_end)]
        bounds = np.concatenate([[run_start], inner, [run_end]]).astype(int)
        for a, b in zip(bounds[:-1], bounds[1:], strict=True):
            parts = -(-(b - a) // longest)
            splits = np.linspace(a, b, parts + 1).round().astype(int)
            for start, end in zip(splits[:-1], splits[1:], strict=True):
                widen = max(0, reach - (end - start))
                low = max(run_start, start - widen // 2)
                high = min(run_end, low + max(reach, end - start))
                low = max(run_start, min(low, high - reach))
                seconds = float(track[start:end].sum() * FRAME_STEP)
                pieces.append(Piece(speaker, int(start), int(end), seconds, reads=(int(low), int(high))))
    return pieces
