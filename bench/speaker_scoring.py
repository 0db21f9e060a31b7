"""Scoring speaker turns against a reference: RTTM reading, diarization error rate, words on the right speaker.

DER is frame based (10 ms) with overlapping speech scored, as NIST's md-eval: per frame, missed =
max(0, ref - hyp speakers), false alarm = max(0, hyp - ref), confusion = min(ref, hyp) - correctly
mapped; reference speakers are mapped one-to-one to hypothesis speakers so that the mapped overlap
is largest (Hungarian assignment); a collar removes ``collar`` seconds either side of every
reference turn boundary from scoring. Recordings (RTTM file ids) are scored separately and summed.
The benches and the tests share this one scorer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from desktop_app.core.errors import VerbatimError

FRAME = 0.01  # seconds
Segment = tuple[float, float, str]  # start, end, speaker


@dataclass(frozen=True)
class Der:
    missed: float  # seconds of reference speech with too few hypothesis speakers
    false_alarm: float  # seconds of hypothesis speech beyond the reference speakers
    confusion: float  # seconds given to the wrong (unmapped) speaker
    total: float  # seconds of reference speech scored (overlap counted per speaker)

    @property
    def rate(self) -> float:
        return self.errors / self.total if self.total else 0.0

    @property
    def errors(self) -> float:
        return self.missed + self.false_alarm + self.confusion

    def __add__(self, other: Der) -> Der:
        return Der(
            self.missed + other.missed,
            self.false_alarm + other.false_alarm,
            self.confusion + other.confusion,
            self.total + other.total,
        )

    def __str__(self) -> str:
        total = self.total or 1.0
        parts = (self.rate, self.missed / total, self.false_alarm / total, self.confusion / total)
        return "DER {:5.1%} (missed {:4.1%}, false alarm {:4.1%}, confusion {:4.1%})".format(*parts)


def read_rttm_files(path: Path) -> dict[str, list[Segment]]:
    """Turns per recording (file id) of an RTTM file; lines other than SPEAKER are skipped."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise VerbatimError(path, f"cannot be read as an RTTM text file ({exc})") from exc
    files: dict[str, list[Segment]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if not fields or fields[0] != "SPEAKER":
            continue
        try:
            if len(fields) < 8:
                raise ValueError("fewer than 8 fields")
            start, duration = float(fields[3]), float(fields[4])
            if not (np.isfinite(start) and np.isfinite(duration)) or start < 0 or duration < 0:
                raise ValueError("negative or non-finite time")
        except ValueError as exc:
            raise VerbatimError(path, f"line {number} is not an RTTM SPEAKER line ({exc}): {line.strip()!r}") from None
        files.setdefault(fields[1], []).append((start, start + duration, fields[7]))
    return files


def read_rttm(path: Path) -> list[Segment]:
    """All turns of an RTTM file (for files holding one recording)."""
    return [segment for segments in read_rttm_files(path).values() for segment in segments]


def best_mapping(overlap: np.ndarray) -> list[tuple[int, int]]:
    """(row, column) pairs, one-to-one, with the largest total ``overlap`` (Hungarian algorithm)."""
    rows, cols = overlap.shape
    if rows == 0 or cols == 0:
        return []
    if rows > cols:
        return [(r, c) for c, r in best_mapping(overlap.T)]
    cost = overlap.max() - np.asarray(overlap, dtype=np.float64)  # minimise cost = maximise overlap
    u, v = np.zeros(rows + 1), np.zeros(cols + 1)
    match = np.zeros(cols + 1, dtype=np.int64)  # match[column] = row (1-based), 0 when free
    for row in range(1, rows + 1):
        match[0] = row
        column = 0
        least = np.full(cols + 1, np.inf)
        previous = np.zeros(cols + 1, dtype=np.int64)
        used = np.zeros(cols + 1, dtype=bool)
        while match[column]:
            used[column] = True
            current = match[column]
            reduced = cost[current - 1] - u[current] - v[1:]
            free = ~used[1:]
            better = free & (reduced < least[1:])
            least[1:][better] = reduced[better]
            previous[1:][better] = column
            candidates = np.where(free, least[1:], np.inf)
            step = int(np.argmin(candidates)) + 1
            delta = candidates[step - 1]
            u[match[used]] += delta
            v[used] -= delta
            least[1:][free] -= delta
            column = step
        while column:
            match[column] = match[previous[column]]
            column = previous[column]
    return [(int(match[c]) - 1, c - 1) for c in range(1, cols + 1) if match[c]]


def activity(segments: list[Segment], names: list[str], n_frames: int) -> np.ndarray:
    """(speakers, frames) bool: who talks in each 10 ms frame, speakers in the order of ``names``."""
    active = np.zeros((len(names), n_frames), dtype=bool)
    index = {name: i for i, name in enumerate(names)}
    for start, end, speaker in segments:  # a start before 0 (a bench's shifted turns) is cut at 0, not wrapped
        active[index[speaker], max(0, round(start / FRAME)) : max(0, round(end / FRAME))] = True
    return active


def _scored_frames(reference: list[Segment], n_frames: int, collar: float) -> np.ndarray:
    scored = np.ones(n_frames, dtype=bool)
    width = round(collar / FRAME)
    if width:
        for start, end, _ in reference:
            for edge in (round(start / FRAME), round(end / FRAME)):
                scored[max(0, edge - width) : edge + width] = False
    return scored


def _mapped_frames(
    reference: list[Segment], hypothesis: list[Segment], collar: float
) -> tuple[list[str], list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Speaker names of both sides, their scored frames (speakers, frames) and the frames they share."""
    end = max([e for _, e, _ in reference + hypothesis], default=0.0)
    n_frames = round(end / FRAME) + 1
    ref_names = sorted({s for _, _, s in reference})
    hyp_names = sorted({s for _, _, s in hypothesis})
    scored = _scored_frames(reference, n_frames, collar)
    ref = activity(reference, ref_names, n_frames)[:, scored]
    hyp = activity(hypothesis, hyp_names, n_frames)[:, scored]
    return ref_names, hyp_names, ref, hyp, ref.astype(np.int64) @ hyp.T.astype(np.int64)


def der(reference: list[Segment], hypothesis: list[Segment], collar: float = 0.0) -> Der:
    """Diarization error of ``hypothesis`` against ``reference`` turns of one recording."""
    _, _, ref, hyp, overlap = _mapped_frames(reference, hypothesis, collar)
    n_ref, n_hyp = ref.sum(axis=0), hyp.sum(axis=0)
    correct = sum(int(overlap[r, c]) for r, c in best_mapping(overlap))
    return Der(
        missed=float(np.maximum(0, n_ref - n_hyp).sum()) * FRAME,
        false_alarm=float(np.maximum(0, n_hyp - n_ref).sum()) * FRAME,
        confusion=(float(np.minimum(n_ref, n_hyp).sum()) - correct) * FRAME,
        total=float(n_ref.sum()) * FRAME,
    )


def speaker_map(reference: list[Segment], hypothesis: list[Segment]) -> dict[str, str]:
    """Each hypothesis speaker's reference speaker, as ``der`` maps them (one-to-one, most shared time)."""
    ref_names, hyp_names, _, _, overlap = _mapped_frames(reference, hypothesis, 0.0)
    return {hyp_names[c]: ref_names[r] for r, c in best_mapping(overlap) if overlap[r, c] > 0}


def der_files(reference: dict[str, list[Segment]], hypothesis: dict[str, list[Segment]], collar: float = 0.0) -> Der:
    """DER summed over recordings (a recording missing on one side is all missed or all false alarm)."""
    total = Der(0.0, 0.0, 0.0, 0.0)
    for file_id in sorted(set(reference) | set(hypothesis)):
        total += der(reference.get(file_id, []), hypothesis.get(file_id, []), collar)
    return total


def word_accuracy(words: list[Segment], reference: list[Segment]) -> float:
    """Share of words whose speaker maps (best one-to-one map) to the reference speaker talking most under them.

    ``words`` are (start, end, speaker) per word; words under no reference speech are not counted.
    """
    pairs = []
    for start, end, speaker in words:
        talk: dict[str, float] = {}
        for a, b, s in reference:
            if min(end, b) > max(start, a):
                talk[s] = talk.get(s, 0.0) + min(end, b) - max(start, a)
        if talk:
            pairs.append((max(talk, key=lambda s: talk[s]), speaker))
    if not pairs:
        return 0.0
    refs, hyps = sorted({r for r, _ in pairs}), sorted({h for _, h in pairs})
    counts = np.zeros((len(refs), len(hyps)))
    for r, h in pairs:
        counts[refs.index(r), hyps.index(h)] += 1
    return sum(float(counts[r, c]) for r, c in best_mapping(counts)) / len(pairs)
