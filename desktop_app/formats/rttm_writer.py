"""RTTM (NIST Rich Transcription Time Marked): who spoke when, for diarization scoring tools.

One line per speaker turn::

    SPEAKER <file-id> 1 <start> <duration> <NA> <NA> <speaker> <NA> <NA>

Contiguous segments of one speaker merge into one turn unless more than ``MERGE_GAP`` seconds of
silence part them: the pipeline starts a new segment at pauses of about a second, and counting
such silences as speech would show up as false alarm when the file is scored for DER.
The speaker field is the stable label (``S1``): RTTM fields may not contain spaces, and labels
match the JSON export's ``speaker``. The file id is the recording's file name without extension.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from desktop_app.formats.transcript_bundle import ExportOptions, TranscriptBundle, write_text_atomic

MERGE_GAP = 1.0
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


def rttm_text(bundle: TranscriptBundle, options: ExportOptions) -> str:
    file_id = rttm_file_id(bundle)
    lines = [
        f"SPEAKER {file_id} 1 {turn.start:.3f} {turn.end - turn.start:.3f} <NA> <NA> {turn.speaker} <NA> <NA>"
        for turn in speaker_turns(bundle)
    ]
    return "".join(line + "\n" for line in lines)


def write_rttm(bundle: TranscriptBundle, path: Path, options: ExportOptions) -> None:
    """Who spoke when, one RTTM line per merged speaker turn."""
    write_text_atomic(path, rttm_text(bundle, options))
