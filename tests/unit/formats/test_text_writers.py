"""Plain TXT, and the MAXQDA / NVivo timestamped TXT layouts (aTrain's conventions)."""

from __future__ import annotations

import re
from pathlib import Path

from desktop_app.core.timecode import format_hms, parse_timecode
from desktop_app.formats.text_writers import (
    WRAP_WIDTH,
    maxqda_text,
    nvivo_text,
    plain_text,
    write_maxqda_text,
    write_nvivo_text,
    write_plain_text,
)
from desktop_app.formats.transcript_bundle import ExportOptions
from tests.unit.formats.test_transcript_bundle import (
    ARABIC,
    DEVANAGARI,
    EDITED,
    EMOJI,
    HEBREW,
    LONG,
    empty_bundle,
    hostile_bundle,
    small_bundle,
)

OPTIONS = ExportOptions()
MAXQDA_STAMP = re.compile(r"\[(\d\d:\d\d:\d\d)\] - ")
NVIVO_LINE = re.compile(r"^\[(\d\d:\d\d:\d\d)\] - (.+)$")


def test_maxqda_layout_is_exactly_atrains() -> None:
    expected = (
        "Pilot\n\nInterviewer\n[00:00:00] - Hello there. [00:00:01] - How are you?\n\nP05\n[00:01:05] - Fine, thanks.\n"
    )
    assert maxqda_text(small_bundle(), OPTIONS) == expected
    no_speakers = "Pilot\n\n[00:00:00] - Hello there. [00:00:01] - How are you? [00:01:05] - Fine, thanks.\n"
    assert maxqda_text(small_bundle(with_speakers=False), OPTIONS) == no_speakers


def test_nvivo_layout_is_exactly_atrains() -> None:
    expected = (
        "Pilot\n\nInterviewer\n[00:00:00] - Hello there.\n[00:00:01] - How are you?\n"
        "\nP05\n[00:01:05] - Fine, thanks.\n"
    )
    assert nvivo_text(small_bundle(), OPTIONS) == expected
    no_speakers = "Pilot\n\n[00:00:00] - Hello there.\n[00:00:01] - How are you?\n[00:01:05] - Fine, thanks.\n"
    assert nvivo_text(small_bundle(with_speakers=False), OPTIONS) == no_speakers


def test_maxqda_timestamps_parse_back_to_every_segment(tmp_path: Path) -> None:
    bundle = hostile_bundle()
    path = tmp_path / "t_maxqda.txt"
    write_maxqda_text(bundle, path, OPTIONS)
    content = path.read_text(encoding="utf-8")
    pieces = MAXQDA_STAMP.split(content)[1:]  # time, text, time, text, ...
    times, texts = pieces[0::2], pieces[1::2]
    segments = bundle.transcript.segments
    assert [parse_timecode(t) for t in times] == [float(int(s.start)) for s in segments]
    names = [bundle.speaker_name(t.speaker) for t in bundle.turns()]
    for text, seg in zip(texts, segments, strict=True):
        cleaned = text.strip()
        for name in names:  # the speaker line after the last segment of a turn
            cleaned = cleaned.removesuffix(name).strip()
        assert cleaned == seg.text


def test_nvivo_lines_each_start_with_their_timestamp(tmp_path: Path) -> None:
    bundle = hostile_bundle()
    path = tmp_path / "t_nvivo.txt"
    write_nvivo_text(bundle, path, OPTIONS)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == bundle.document.title
    rows = [NVIVO_LINE.match(line) for line in lines]
    stamped = [(m.group(1), m.group(2)) for m in rows if m]
    segments = bundle.transcript.segments
    assert stamped == [(format_hms(s.start), s.text) for s in segments]
    others = [line for line, m in zip(lines[1:], rows[1:], strict=True) if not m and line]
    assert others == [bundle.speaker_name(t.speaker) for t in bundle.turns()]


def test_plain_text_title_block_and_turns() -> None:
    text = plain_text(small_bundle(), OPTIONS)
    assert text == (
        "Pilot\n\nDuration: 00:01:05\nSpeakers: S1 = Interviewer; S2 = P05\nLanguage: English\n\n"
        "[00:00:00] Interviewer: Hello there. How are you?\n\n[00:01:05] P05: Fine, thanks.\n"
    )
    bare = plain_text(small_bundle(), ExportOptions(timestamps=False, title_block=False, speaker_names=False))
    assert bare == "S1: Hello there. How are you?\n\nS2: Fine, thanks.\n"


def test_plain_text_keeps_hostile_content_and_metadata(tmp_path: Path) -> None:
    bundle = hostile_bundle()
    path = tmp_path / "t.txt"
    write_plain_text(bundle, path, OPTIONS)
    text = path.read_text(encoding="utf-8")
    for piece in (EMOJI, f"{HEBREW} {ARABIC}", DEVANAGARI, LONG, EDITED, 'Interviewer & <Lead> "Q"', "P05 שלום"):
        assert piece in text
    for fact in (
        "Recorded: 2024-05-02",
        "Duration: 00:02:05",
        "Participants: P05 (nurse)",
        "Interviewer: Dr. Ng",
        "tiny.en (sha256 abababababab…)",
        "S2 = P05 שלום; S3",
    ):
        assert fact in text


def test_line_numbers_count_every_wrapped_line() -> None:
    bundle = hostile_bundle()
    text = plain_text(bundle, ExportOptions(line_numbers=True, title_block=False))
    numbered = [line for line in text.splitlines() if line]
    numbers = [int(line[:5]) for line in numbered]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) > 30  # the 300-word turn wraps over many lines
    assert all(len(line) <= WRAP_WIDTH + 7 for line in numbered)
    rejoined = " ".join(line[7:] for line in numbered)
    assert LONG in rejoined and DEVANAGARI in rejoined


def test_text_transform_reaches_every_text_format() -> None:
    bundle = small_bundle()
    bundle.text_transform = lambda s: s.replace("Interviewer", "INT").replace("there", "[place]")
    for render in (plain_text, maxqda_text, nvivo_text):
        out = render(bundle, OPTIONS)
        assert "Interviewer" not in out and "there" not in out
        assert "INT" in out and "[place]" in out


def test_pause_markers_when_asked() -> None:
    bundle = small_bundle()
    bundle.transcript.segments[0].words[1].start += 1.2  # a 1.25 s pause before "there."
    assert "Hello (..) there." in plain_text(bundle, ExportOptions(include_pauses=True))
    assert "Hello there." in plain_text(bundle, OPTIONS)


def test_empty_transcript_writes_the_heading_and_says_no_speech_was_found() -> None:
    bundle = empty_bundle()
    assert plain_text(bundle, OPTIONS) == "Nothing said\n\nDuration: 00:00:00\n\n[No speech found in this recording.]\n"
    assert maxqda_text(bundle, OPTIONS) == "Nothing said\n"
    assert nvivo_text(bundle, OPTIONS).strip() == "Nothing said"


def test_overlapping_talk_is_marked_in_the_convention_asked_for() -> None:
    from dataclasses import replace

    from desktop_app.formats.docx_writer import build_docx
    from tests.unit.formats.transcript_samples import interview_bundle

    bundle = interview_bundle()
    first = bundle.transcript.segments[1]  # "I started as a volunteer in 2019."
    first.words = [replace(w, overlap=i in (0, 1, 5)) for i, w in enumerate(first.words)]
    plain = plain_text(bundle, OPTIONS)
    assert "I started as a volunteer in 2019." in plain and "//" not in plain  # no marks unless asked
    slashes = plain_text(bundle, replace(OPTIONS, overlap_marks="slashes"))
    assert "//I started// as a volunteer //in// 2019." in slashes
    brackets = plain_text(bundle, replace(OPTIONS, overlap_marks="brackets", include_pauses=True))
    assert "[overlapping] I started as a volunteer [overlapping] in 2019." in brackets
    paragraphs = [p.text for p in build_docx(bundle, replace(OPTIONS, overlap_marks="slashes")).paragraphs]
    assert any("//I started// as a volunteer //in// 2019." in p for p in paragraphs)
