"""Plain-text transcripts: readable TXT, and timestamped TXT that MAXQDA and NVivo import with
clickable timestamps.

The two timestamped layouts follow aTrain (University of Graz), whose outputs are made for exactly
these imports. Sources (checked 2026-11):
- ``create_txt_file`` in ``aTrain_core/outputs.py``, https://github.com/aTrainTranscription/aTrain
  (earlier ``aTrain/output_files.py`` in JuergenFleiss/aTrain): every timestamp is the segment
  start rounded down to whole seconds, written ``[hh:mm:ss] - text`` (``time.strftime("[%H:%M:%S]")``).
- MAXQDA (``transcription_maxqda.txt``): the headline; at each speaker change a blank line, the
  speaker's name on a line of its own, then that speaker's segments on ONE line, each
  ``[hh:mm:ss] - text``, separated by spaces. Without speakers all segments follow the headline
  and a blank line on one line. The aTrain wiki (Tutorials page): MAXQDA > Import > Transcripts >
  "Transcript with Timestamps", then pick the media file; the clock icons then play the audio.
- NVivo (``transcription_nvivo.txt``): the headline; at each speaker change a blank line and the
  speaker's name on its own line; then ONE line per segment, ``[hh:mm:ss] - text``, so every
  paragraph starts with its timestamp (NVivo: Edit > Transcript > Import Rows, "Create one
  transcript row for each: Timestamp"). aTrain's code comment calls this file "timestamps
  without brackets", but its writer puts the brackets in; NVivo's help accepts ``[ ]`` (or ``#``)
  around a timestamp, so we write what aTrain actually writes.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from desktop_app.core.languages import language_name
from desktop_app.core.timecode import format_hms
from desktop_app.formats.transcript_bundle import ExportOptions, TranscriptBundle, Turn, write_text_atomic

WRAP_WIDTH = 76  # characters per numbered line in plain text with line numbers


NO_SPEECH_NOTE = "[No speech found in this recording.]"  # a transcribed recording with no words (silence)


def title_block(bundle: TranscriptBundle, options: ExportOptions) -> list[tuple[str, str]]:
    """The labelled facts shown above a transcript: recorded date, duration, interview details, people,
    language, model."""
    doc = bundle.document
    rows: list[tuple[str, str]] = []
    if doc.recorded_date:
        rows.append(("Recorded", doc.recorded_date))
    rows.append(("Duration", format_hms(bundle.duration)))
    if doc.interviewer:
        rows.append(("Interviewer", bundle.spoken(doc.interviewer)))
    if doc.setting:  # may name a place: pseudonymised like the turns
        rows.append(("Setting", bundle.spoken(doc.setting)))
    if doc.interview_format:
        rows.append(("Format", doc.interview_format))
    participants = bundle.participants_text(options)
    if participants:
        rows.append(("Participants", participants))
    speakers = speaker_list(bundle, options)
    if speakers:
        rows.append(("Speakers", speakers))
    if bundle.language:
        rows.append(("Language", language_name(bundle.language)))
    if bundle.model.get("name"):
        rows.append(("Transcribed with", model_text(bundle.model)))
    return rows


def speaker_list(bundle: TranscriptBundle, options: ExportOptions) -> str:
    """``S1 = Interviewer; S2 = Participant 5`` (labels alone where no name was given)."""
    parts = []
    for label in bundle.transcript.speakers:
        name = bundle.speaker_name(label, options)
        parts.append(label if name == label else f"{label} = {name}")
    return "; ".join(parts)


def model_text(model: dict[str, str]) -> str:
    sha = model.get("sha256", "")
    return f"{model['name']} (sha256 {sha[:12]}…)" if sha else model["name"]


def document_title(bundle: TranscriptBundle) -> str:
    return bundle.spoken(bundle.document.title) or "Transcript"


def turn_paragraph(bundle: TranscriptBundle, turn: Turn, options: ExportOptions) -> str:
    """``[00:01:02] Interviewer: text`` with the parts the options ask for."""
    prefix = f"[{format_hms(turn.start)}] " if options.timestamps else ""
    if bundle.has_speakers:
        prefix += f"{bundle.speaker_name(turn.speaker, options)}: "
    return prefix + bundle.turn_text(turn, options)


def plain_text(bundle: TranscriptBundle, options: ExportOptions) -> str:
    head: list[str] = []
    if options.title_block:
        head = [document_title(bundle), ""]
        head += [f"{label}: {value}" for label, value in title_block(bundle, options)]
        head.append("")
    paragraphs = [turn_paragraph(bundle, turn, options) for turn in bundle.turns()] or [NO_SPEECH_NOTE]
    body = numbered_lines(paragraphs) if options.line_numbers else [x for p in paragraphs for x in (p, "")]
    return "\n".join(head + body).rstrip("\n") + "\n"


def numbered_lines(paragraphs: list[str]) -> list[str]:
    """Paragraphs wrapped to fixed-width lines numbered from 1, a blank line between paragraphs."""
    lines: list[str] = []
    number = 0
    for paragraph in paragraphs:
        for line in textwrap.wrap(paragraph, WRAP_WIDTH, break_long_words=True) or [""]:
            number += 1
            lines.append(f"{number:>5}  {line}")
        lines.append("")
    return lines


def maxqda_text(bundle: TranscriptBundle, options: ExportOptions) -> str:
    """MAXQDA "Transcript with Timestamps" layout (aTrain's ``transcription_maxqda.txt``)."""
    out = [document_title(bundle)]
    for turn in bundle.turns():
        stamped = _stamped_segments(bundle, turn, options)
        if not stamped:
            continue
        if bundle.has_speakers:
            out.append(f"\n\n{bundle.speaker_name(turn.speaker, options)}\n")
        else:
            out.append("\n\n" if len(out) == 1 else " ")
        out.append(" ".join(stamped))
    return "".join(out) + "\n"


def nvivo_text(bundle: TranscriptBundle, options: ExportOptions) -> str:
    """NVivo "Import Rows" by timestamp layout (aTrain's ``transcription_nvivo.txt``)."""
    out = [document_title(bundle)] if bundle.has_speakers else [document_title(bundle), ""]
    for turn in bundle.turns():
        stamped = _stamped_segments(bundle, turn, options)
        if not stamped:
            continue
        if bundle.has_speakers:
            out += ["", bundle.speaker_name(turn.speaker, options)]
        out += stamped
    return "\n".join(out) + "\n"


def _stamped_segments(bundle: TranscriptBundle, turn: Turn, options: ExportOptions) -> list[str]:
    stamped = []
    for segment in turn.segments:
        text = bundle.segment_text(segment, options)
        if text:
            time = format_hms(segment.start)
            stamped.append(f"[{time}] - {text}")
    return stamped


def write_plain_text(bundle: TranscriptBundle, path: Path, options: ExportOptions) -> None:
    """Readable TXT: title block, then one paragraph per speaker turn."""
    write_text_atomic(path, plain_text(bundle, options))


def write_maxqda_text(bundle: TranscriptBundle, path: Path, options: ExportOptions) -> None:
    """TXT for MAXQDA's transcript import with timestamps."""
    write_text_atomic(path, maxqda_text(bundle, options))


def write_nvivo_text(bundle: TranscriptBundle, path: Path, options: ExportOptions) -> None:
    """TXT for NVivo's transcript row import by timestamp."""
    write_text_atomic(path, nvivo_text(bundle, options))
