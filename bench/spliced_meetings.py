"""Meetings of 2-8 real voices spliced from the shared recordings, to measure speaker counting.

The AMI excerpts hold at most four speakers, and the generated focus groups are espeak-ng voices,
which CAM++ hears as near one another. These recordings take real people instead: every stretch
of at least 0.8 s in which one reference speaker of ../shared/data/ami_dev or pyannote_sample
talks with nobody else within 0.2 s, cut into pieces of at most 6 s, set to one loudness, and
played in turn (one piece per voice per round, 0.4 s of silence between pieces) until every
voice's pieces are used. Eight voices have at least 4 s of such talk.

What it does not measure: the voices come from different rooms and microphones, which makes them
easier to tell apart than one room's voices, and nobody talks over anybody. A count that is wrong
here is wrong; a right one says less.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
SOURCES = [f"ami_dev/{c}" for c in ("dev00", "trn03", "trn04", "trn06", "trn07", "trn08", "trn09")] + ["pyannote_sample"]
# the voices with at least 4 s alone, most talk first within each source; a meeting of n takes the first n
VOICES = ["MEE009", "FEE083", "MÉO069", "speaker90", "MEE075", "speaker91", "MEE012", "FEE087"]
SAMPLE_RATE = 16_000
ALONE_SECONDS = 0.8  # shortest stretch taken
CLEAR_SECONDS = 0.2  # nobody else within this
PIECE_SECONDS = 6.0
GAP_SECONDS = 0.4
LEVEL = 0.05  # RMS of every piece (-26 dBFS)

Segment = tuple[float, float, str]


def _alone(audio: np.ndarray, reference: list[Segment]) -> dict[str, list[np.ndarray]]:
    """Each speaker's stretches of talk with nobody else near, in time order."""
    frames = len(audio) // 160 + 1  # 10 ms
    out: dict[str, list[np.ndarray]] = {}
    clear = round(CLEAR_SECONDS * 100)
    for start, end, speaker in sorted(reference):
        mine = np.zeros(frames, dtype=bool)
        mine[round(start * 100) : round(end * 100)] = True
        for other_start, other_end, other in reference:
            if other != speaker:
                mine[max(0, round(other_start * 100) - clear) : round(other_end * 100) + clear] = False
        edges = np.flatnonzero(np.diff(np.concatenate([[0], mine.astype(np.int8), [0]])))
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            if (b - a) / 100 >= ALONE_SECONDS:
                out.setdefault(speaker, []).append(audio[a * 160 : b * 160])
    return out


def _pieces(stretches: list[np.ndarray]) -> list[np.ndarray]:
    size, shortest = round(PIECE_SECONDS * SAMPLE_RATE), round(0.5 * SAMPLE_RATE)
    cut = [s[i : i + size] for s in stretches for i in range(0, len(s), size)]
    return [p * (LEVEL / max(float(np.sqrt(np.mean(p**2))), 1e-9)) for p in cut if len(p) >= shortest]


def spliced_meeting(voices: int) -> tuple[np.ndarray, list[Segment]]:
    """(16 kHz float32 audio, reference turns) of a meeting of the first ``voices`` of ``VOICES``."""
    from faster_whisper import decode_audio

    from bench.speaker_scoring import read_rttm

    stretches: dict[str, list[np.ndarray]] = {}
    for source in SOURCES:
        audio = decode_audio(str(SHARED / f"{source}.wav"))
        for speaker, found in _alone(audio, read_rttm(SHARED / f"{source}.rttm")).items():
            stretches.setdefault(speaker, []).extend(found)
    queues = {v: _pieces(stretches[v]) for v in VOICES[:voices]}
    gap = np.zeros(round(GAP_SECONDS * SAMPLE_RATE), dtype=np.float32)
    parts: list[np.ndarray] = []
    reference: list[Segment] = []
    at = 0.0
    while any(queues.values()):
        for voice, queue in queues.items():
            if queue:
                piece = queue.pop(0).astype(np.float32)
                reference.append((round(at, 3), round(at + len(piece) / SAMPLE_RATE, 3), voice))
                parts += [piece, gap]
                at += (len(piece) + len(gap)) / SAMPLE_RATE
    return np.concatenate(parts), reference

