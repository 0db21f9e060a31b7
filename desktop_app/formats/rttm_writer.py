"""RTTM (NIST Rich Transcription Time Marked): who spoke when, for diarization scoring tools.

One line per speaker turn::

    SPEAKER <file-id> 1 <start> <duration> <NA> <NA> <speaker> <NA> <NA>

Contiguous segments of one speaker merge into one turn unless more than ``MERGE_GAP`` seconds of
silence part them: the pipeline starts a new segment at pauses of about a second, and counting
such silences as speech would show up as false alarm when the file is scored for DER.
The speaker field is the stable label (``S1``): RTTM fields may not contain spaces, and labels
match the JSON export's ``speaker``. The file id is the recording's file name without extension.

The segments hold only talk with words. Where the speaker step's timeline (``bundle.timeline``)
has more, it is added: speech nobody's words cover (talk Whisper wrote nothing for) and, during
overlapping talk, the second voice, so the file carries overlapping turns. Only timeline speakers
with no words at all are kept too (a voice heard only in overlap or in talk Whisper wrote nothing
for); merging speakers updates the timeline. Only where the segments do not say otherwise: a turn
the researcher gave to another speaker is not brought back, and a transcript redone without
speakers ignores the old timeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from desktop_app.formats.transcript_bundle import ExportOptions, TranscriptBundle, write_text_atomic

MERGE_GAP = 1.0
_FRAME = 0.01  # seconds: the grid timeline turns are compared with segment turns on
_MIN_EXTRA = 0.1  # shorter stretches from the timeline are left out
NO_SPEAKER = "unknown"


@dataclass
class SpeakerTurn:
    speaker: str
    start: float
    end: float


def rttm_file_id(bundle: TranscriptBundle) -> str:
    doc = bundle.document
    name = bundle.spoken(Path(doc.media_path).stem if doc.media_path else doc.title)
    return re.sub(r"\s+", "_", name.strip()) or f"document_{doc.id}"


def speaker_turns(bundle: TranscriptBundle, merge_gap: float = MERGE_GAP) -> list[SpeakerTurn]:
    """Segments as speaker turns, merged per contiguous speaker."""
    turns: list[SpeakerTurn] = []
    for segment in bundle.transcript.segments:
        speaker = re.sub(r"\s+", "_", (segment.speaker or "").strip()) or NO_SPEAKER
        last = turns[-1] if turns else None
        if last and last.speaker == speaker and segment.start - last.end <= merge_gap:
            last.end = max(last.end, segment.end)
        elif segment.end > segment.start:
            turns.append(SpeakerTurn(speaker, segment.start, segment.end))
    return turns


def _on_grid(spans: list[tuple[float, float]], n: int) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    for start, end in spans:
        mask[max(0, round(start / _FRAME)) : max(0, round(end / _FRAME))] = True
    return mask


def timeline_turns(bundle: TranscriptBundle, turns: list[SpeakerTurn]) -> list[SpeakerTurn]:
    """Turns from the speaker step's timeline that the segments do not hold: talk without words, second voices."""
    timeline = [(a, b, re.sub(r"\s+", "_", label.strip())) for a, b, label in bundle.timeline if b > a]
    if not timeline:
        return []
    if bundle.transcript.segments and not {t.speaker for t in turns} & {label for _, _, label in timeline}:
        return []  # transcribed again since, without speakers: the timeline is not this transcript's
    # no words at all (talk too quiet or brief to transcribe): the speaker step's timeline is all there is
    labels = {t.speaker for t in turns} | {label for _, _, label in timeline}
    n = round(max(b for _, b, _ in timeline) / _FRAME) + 1
    said = {label: _on_grid([(t.start, t.end) for t in turns if t.speaker == label], n) for label in labels}
    covered = np.any(np.stack(list(said.values())), axis=0)
    heard = {label: _on_grid([(a, b) for a, b, k in timeline if k == label], n) for label in labels}
    at_once = np.sum(np.stack(list(heard.values())), axis=0) >= 2
    extra = []
    for label in sorted(labels):
        keep = heard[label] & ~said[label] & (~covered | at_once)
        padded = np.concatenate([[False], keep, [False]]).astype(np.int8)
        edges = np.flatnonzero(np.diff(padded))
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            if (b - a) * _FRAME >= _MIN_EXTRA:
                extra.append(SpeakerTurn(label, round(a * _FRAME, 3), round(b * _FRAME, 3)))
    return extra


def rttm_text(bundle: TranscriptBundle, options: ExportOptions) -> str:
    file_id = rttm_file_id(bundle)
    turns = speaker_turns(bundle)
    turns = sorted(turns + timeline_turns(bundle, turns), key=lambda t: (t.start, t.end, t.speaker))
    lines = [
        f"SPEAKER {file_id} 1 {turn.start:.3f} {turn.end - turn.start:.3f} <NA> <NA> {turn.speaker} <NA> <NA>"
        for turn in turns
    ]
    return "".join(line + "\n" for line in lines)


def write_rttm(bundle: TranscriptBundle, path: Path, options: ExportOptions) -> None:
    """Who spoke when, one RTTM line per merged speaker turn."""
    write_text_atomic(path, rttm_text(bundle, options))
