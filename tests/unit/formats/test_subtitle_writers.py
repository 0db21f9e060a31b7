"""SRT and WebVTT, checked by parsing them back with ``srt`` and ``webvtt-py``."""

from __future__ import annotations

import html
from pathlib import Path

import srt
import webvtt

from desktop_app.core.timecode import parse_timecode
from desktop_app.formats import formats
from desktop_app.formats.subtitle_writers import subtitle_cues
from desktop_app.formats.transcript_bundle import ExportOptions, SubtitleLimits
from tests.unit.formats.transcript_samples import HOSTILE_TEXTS, empty_bundle, hostile_bundle, interview_bundle


def flat(text: str) -> str:
    return " ".join(text.split())


def test_srt_round_trip_times_text_and_speakers(tmp_path: Path) -> None:
    bundle = interview_bundle()
    path = tmp_path / "t.srt"
    formats.write("srt", bundle, path)
    subs = list(srt.parse(path.read_text(encoding="utf-8")))
    assert [s.index for s in subs] == [1, 2, 3, 4]
    segments = bundle.transcript.segments
    names = ["Interviewer", "Participant 5", "Participant 5", "Interviewer"]
    for sub, seg, name in zip(subs, segments, names, strict=True):
        assert abs(sub.start.total_seconds() - seg.start) < 0.0015
        assert abs(sub.end.total_seconds() - seg.end) < 0.0015
        assert flat(sub.content) == f"{name}: {seg.text}"


def test_vtt_round_trip_with_voice_tags(tmp_path: Path) -> None:
    bundle = interview_bundle()
    path = tmp_path / "t.vtt"
    formats.write("vtt", bundle, path)
    captions = webvtt.read(str(path)).captions
    assert [c.voice for c in captions] == ["Interviewer", "Participant 5", "Participant 5", "Interviewer"]
    for caption, seg in zip(captions, bundle.transcript.segments, strict=True):
        # webvtt-py's *_in_seconds are whole seconds: read the time codes themselves
        assert abs(parse_timecode(caption.start) - seg.start) < 0.0015
        assert abs(parse_timecode(caption.end) - seg.end) < 0.0015
        assert flat(caption.text) == seg.text


def test_long_turn_is_split_into_subtitle_sized_cues_by_word_times() -> None:
    bundle = hostile_bundle()
    limits = SubtitleLimits()
    long_segment = bundle.transcript.segments[5]
    cues = [c for c in subtitle_cues(bundle, ExportOptions()) if c.speaker == "S3"]
    assert len(cues) >= 400 * 7 // (2 * limits.line_length)  # ~7 characters a word, 84 a cue
    assert " ".join(c.text for c in cues).split() == long_segment.text.split()
    word_starts = {w.start for w in long_segment.words}
    word_ends = {w.end for w in long_segment.words}
    for cue in cues:
        assert cue.start in word_starts and cue.end in word_ends
        assert cue.end - cue.start <= limits.max_duration
        assert len(cue.text) <= limits.line_length * limits.max_lines
    assert all(a.end <= b.start for a, b in zip(cues, cues[1:], strict=False))


def test_a_cue_breaks_at_a_long_pause() -> None:
    bundle = interview_bundle()
    words = bundle.transcript.segments[0].words
    for word in words[3:]:
        word.start += 2.0
        word.end += 2.0
    cues = subtitle_cues(bundle, ExportOptions())
    assert cues[0].text == "Thank you for"
    assert cues[1].text == "coming. How did you start?" and cues[1].start == words[3].start


def test_segment_without_words_is_timed_by_characters() -> None:
    bundle = hostile_bundle()
    typed = bundle.transcript.segments[-1]
    cues = subtitle_cues(bundle, ExportOptions(subtitles=SubtitleLimits(line_length=20, max_lines=1)))
    pieces = [c for c in cues if c.start >= typed.start]
    assert len(pieces) > 1
    assert pieces[0].start == typed.start and abs(pieces[-1].end - typed.end) < 1e-9
    assert " ".join(p.text for p in pieces) == typed.text


def test_hostile_content_parses_back_in_both_formats(tmp_path: Path) -> None:
    bundle = hostile_bundle()
    formats.write("srt", bundle, tmp_path / "h.srt")
    formats.write("vtt", bundle, tmp_path / "h.vtt")
    subs = list(srt.parse((tmp_path / "h.srt").read_text(encoding="utf-8")))
    captions = webvtt.read(str(tmp_path / "h.vtt")).captions
    assert len(captions) == len(subtitle_cues(bundle, ExportOptions()))
    assert len(subs) == len(subtitle_cues(bundle, ExportOptions(), names_in_text=True))  # names take room
    srt_texts = [flat(s.content) for s in subs]
    vtt_texts = [flat(html.unescape(c.text)) for c in captions]
    voices = [html.unescape(c.voice or "") for c in captions]
    for index, hostile in enumerate(HOSTILE_TEXTS):
        name = bundle.speaker_name(bundle.transcript.segments[index].speaker)
        assert srt_texts[index] == f"{name}: {hostile}"
        assert vtt_texts[index] == hostile and voices[index] == name
    assert voices[0] == 'Dr <Who> & "Co"' and "דנה 🙂" in voices
    raw_vtt = (tmp_path / "h.vtt").read_text(encoding="utf-8")
    assert "--> arrow" not in raw_vtt and "<b>" not in raw_vtt  # escaped, so no fake cue timing or tags
    assert vtt_texts[-1] == "Typed by hand after the words were lost & <found>"


def test_transform_applies_to_cue_text_and_voices(tmp_path: Path) -> None:
    bundle = interview_bundle()
    bundle.text_transform = lambda text: text.replace("Participant 5", "P-X").replace("2019", "[year]")
    formats.write("vtt", bundle, tmp_path / "t.vtt")
    captions = webvtt.read(str(tmp_path / "t.vtt")).captions
    assert captions[1].voice == "P-X" and "[year]" in captions[1].text and "2019" not in captions[1].text


def test_empty_transcript_gives_valid_empty_files(tmp_path: Path) -> None:
    formats.write("srt", empty_bundle(), tmp_path / "e.srt")
    formats.write("vtt", empty_bundle(), tmp_path / "e.vtt")
    assert list(srt.parse((tmp_path / "e.srt").read_text(encoding="utf-8"))) == []
    assert (tmp_path / "e.vtt").read_text(encoding="utf-8").startswith("WEBVTT")
    assert webvtt.read(str(tmp_path / "e.vtt")).captions == []


def test_srt_cues_with_the_speaker_name_still_fit_two_lines(tmp_path: Path) -> None:
    bundle = hostile_bundle()
    bundle.speakers["S3"].display_name = "Peer support worker 5 (Ward B)"
    path = tmp_path / "h.srt"
    formats.write("srt", bundle, path)
    long_turn = [s for s in srt.parse(path.read_text(encoding="utf-8")) if "word1" in s.content]
    assert len(long_turn) > 10
    for sub in long_turn:
        lines = sub.content.splitlines()
        assert lines[0].startswith("Peer support worker 5 (Ward B): ")
        assert len(lines) <= 2 and all(len(line) <= 42 for line in lines), lines
