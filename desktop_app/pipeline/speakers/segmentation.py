"""Who speaks in each 10 s window: pyannote segmentation-3.0 (ONNX), up to 3 local speakers, overlap included.

The model reads a 10 s chunk of 16 kHz audio and gives, for each of its 589 frames (16.875 ms
apart), one of 7 powerset classes: nobody, speaker 1, 2 or 3 alone, or one of the three pairs.
Powerset decoding (the most likely class per frame, as pyannote.audio's ``Powerset.to_multilabel``)
turns this into three binary tracks that may be on together, which is how overlapping talk is
seen. "Speaker 1" in one chunk and in the next need not be the same person: the local speakers of
all chunks are matched later by their voices (``clustering``).

Chunks start every ``step`` seconds (pyannote uses 1 s; measured here: the model costs about 64 ms
per chunk on 2 cores, so a 5 s step costs 0.8 s per minute of audio, a 1 s step 3.8 s); the last
chunk of a recording is zero-padded to 10 s, as in pyannote.audio's inference.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np

from desktop_app.pipeline.speakers.onnx_models import SEGMENTATION_FILE, session

SAMPLE_RATE = 16_000
CHUNK_SECONDS = 10.0
CHUNK_SAMPLES = int(CHUNK_SECONDS * SAMPLE_RATE)
FRAMES_PER_CHUNK = 589
FRAME_STEP = 0.016875  # seconds between output frames (SincNet stride 10, three max-pools of 3)
FRAME_DURATION = 0.0619375  # receptive field of one frame
LOCAL_SPEAKERS = 3
MAX_AT_ONCE = 2
BATCH = 8  # chunks per model call


def powerset_mapping(speakers: int = LOCAL_SPEAKERS, at_once: int = MAX_AT_ONCE) -> np.ndarray:
    """(classes, speakers) 0/1: which local speakers each powerset class holds, in the model's order."""
    rows = [
        np.isin(np.arange(speakers), subset)
        for size in range(at_once + 1)
        for subset in combinations(range(speakers), size)
    ]
    return np.array(rows, dtype=bool)


_MAPPING = powerset_mapping()


class SpeakerSegmenter:
    """The segmentation model; ``activity(chunks)`` for (n, 160 000) float32 chunks of 16 kHz audio."""

    def __init__(self, models: Path | None = None, onset: float | None = None) -> None:
        self._session = session(SEGMENTATION_FILE, models)
        self.onset = onset

    def activity(self, chunks: np.ndarray) -> np.ndarray:
        """(n, 589, 3) bool: each local speaker's frames.

        Powerset decoded (the most likely class, its speakers), and with ``onset`` also every
        speaker whose probability (the classes holding it, summed) reaches it: far or quiet voices
        the model is unsure of.
        """
        out = []
        for i in range(0, len(chunks), BATCH):
            batch = np.ascontiguousarray(chunks[i : i + BATCH, None, :], dtype=np.float32)
            log_probs = self._session.run(None, {"input": batch})[0]
            active = _MAPPING[log_probs.argmax(axis=-1)]
            if self.onset is not None:
                marginal = np.exp(log_probs) @ _MAPPING.astype(np.float32)
                active |= marginal >= self.onset
            out.append(active)
        return np.concatenate(out) if out else np.zeros((0, FRAMES_PER_CHUNK, LOCAL_SPEAKERS), dtype=bool)


def cut_chunks(audio: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """(n, 160 000) chunks of ``audio`` at ``starts`` (samples), zero-padded past the end."""
    chunks = np.zeros((len(starts), CHUNK_SAMPLES), dtype=np.float32)
    for row, start in zip(chunks, starts, strict=True):
        piece = audio[int(start) : int(start) + CHUNK_SAMPLES]
        row[: len(piece)] = piece
    return chunks
