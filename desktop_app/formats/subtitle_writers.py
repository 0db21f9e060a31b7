"""Subtitles: SRT and WebVTT, with long turns split into readable cues by word timings.

A cue holds at most ``SubtitleLimits.max_lines`` lines of ``line_length`` characters and lasts at
most ``max_duration`` seconds; it ends early at a sentence end once it fills a line, or at a pause.
Segments whose text was edited away from their words are split by characters, and their time is
shared out in proportion. SRT carries the speaker as a ``Name: `` prefix, WebVTT as a ``<v Name>``
voice span (names and text escaped as WebVTT requires).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.timecode import format_hms_ms
from desktop_app.core.transcript import Segment, Word
from desktop_app.formats.transcript_bundle import (
    ExportOptions,
    SubtitleLimits,
    TranscriptBundle,
    write_text_atomic,
)

SENTENCE_ENDS = (".", "?", "!", "…", "。", "？", "！", "।")  # includes full-width and Devanagari marks
CUE_PAUSE = 1.0  # seconds of silence that always end a cue
MIN_CUE = 0.04  # a cue must last a little: WebVTT needs end > start


@dataclass
class Cue:
    start: float
    end: float
    text: str
    speaker: str | None  # speaker label


def subtitle_cues(bundle: TranscriptBundle, options: ExportOptions, names_in_text: bool = False) -> list[Cue]:
    """Every segment cut into cues that fit the subtitle limits, in time order.

    ``names_in_text``: the cue text will start with ``Name: `` (SRT), so that prefix counts
    against the line limits too.
    """
    cues: list[Cue] = []
    for segment in bundle.transcript.segments:
        if not segment.text.strip():
            continue
        prefix = ""
        if names_in_text and bundle.has_speakers:
            prefix = f"{bundle.speaker_name(segment.speaker, options)}: "
        if segment.words and _same_words(segment):
            pieces = _split_words(segment.words, options.subtitles, prefix)
        else:
            pieces = _split_text(segment, options.subtitles, prefix)
        for start, end, text in pieces:
            cues.append(Cue(start, max(end, start + MIN_CUE), bundle.spoken(text), segment.speaker))
    return cues


def _same_words(segment: Segment) -> bool:
    return " ".join(w.text for w in segment.words).split() == segment.text.split()


def _fits(text: str, limits: SubtitleLimits) -> bool:
    return len(textwrap.wrap(text, limits.line_length)) <= limits.max_lines


def _split_words(words: list[Word], limits: SubtitleLimits, prefix: str) -> list[tuple[float, float, str]]:
    pieces: list[tuple[float, float, str]] = []
    current: list[Word] = []
    for word in words:
        if current and _must_break(current, word, limits, prefix):
            pieces.append(_piece(current))
            current = []
        current.append(word)
    if current:
        pieces.append(_piece(current))
    return pieces


def _must_break(current: list[Word], word: Word, limits: SubtitleLimits, prefix: str) -> bool:
    text = " ".join(w.text for w in current)
    if not _fits(f"{prefix}{text} {word.text}", limits) or word.end - current[0].start > limits.max_duration:
        return True
    if word.start - current[-1].end >= CUE_PAUSE:
        return True
    return current[-1].text.endswith(SENTENCE_ENDS) and len(text) >= limits.line_length


def _piece(words: list[Word]) -> tuple[float, float, str]:
    return words[0].start, words[-1].end, " ".join(w.text for w in words)


def _split_text(segment: Segment, limits: SubtitleLimits, prefix: str) -> list[tuple[float, float, str]]:
    """Text without usable word times: greedy chunks, time shared out by character count."""
    chunks: list[str] = []
    for token in segment.text.split():
        if chunks and _fits(f"{prefix}{chunks[-1]} {token}", limits):
            chunks[-1] = f"{chunks[-1]} {token}"
        else:
            chunks.append(token)
    total = sum(len(c) for c in chunks)
    span = max(segment.end - segment.start, 0.0)
    pieces = []
    start = segment.start
    for chunk in chunks:
        end = start + span * len(chunk) / total
        pieces.append((start, end, chunk))
        start = end
    return pieces


def _lines(text: str, limits: SubtitleLimits) -> str:
    return "\n".join(textwrap.wrap(text, limits.line_length)) or text


def srt_text(bundle: TranscriptBundle, options: ExportOptions) -> str:
    blocks = []
    for index, cue in enumerate(subtitle_cues(bundle, options, names_in_text=True), 1):
        text = cue.text
        if bundle.has_speakers:
            text = f"{bundle.speaker_name(cue.speaker, options)}: {text}"
        times = f"{format_hms_ms(cue.start, ',')} --> {format_hms_ms(cue.end, ',')}"
        blocks.append(f"{index}\n{times}\n{_lines(text, options.subtitles)}\n")
    return "\n".join(blocks)


def vtt_escape(text: str) -> str:
    """Escape the characters WebVTT cue text and voice names may not contain raw."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def vtt_text(bundle: TranscriptBundle, options: ExportOptions) -> str:
    blocks = ["WEBVTT\n"]
    for cue in subtitle_cues(bundle, options):
        text = vtt_escape(_lines(cue.text, options.subtitles))
        if bundle.has_speakers:
            name = " ".join(bundle.speaker_name(cue.speaker, options).split())
            text = f"<v {vtt_escape(name)}>{text}"
        times = f"{format_hms_ms(cue.start)} --> {format_hms_ms(cue.end)}"
        blocks.append(f"{times}\n{text}\n")
    return "\n".join(blocks)


def write_srt(bundle: TranscriptBundle, path: Path, options: ExportOptions) -> None:
    """SubRip subtitles, the speaker's name before each cue's text."""
    write_text_atomic(path, srt_text(bundle, options))


def write_vtt(bundle: TranscriptBundle, path: Path, options: ExportOptions) -> None:
    """WebVTT subtitles with ``<v Speaker>`` voice spans."""
    write_text_atomic(path, vtt_text(bundle, options))
