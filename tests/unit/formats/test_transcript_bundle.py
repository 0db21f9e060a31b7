"""TranscriptBundle, options and atomic writes; also the bundles the other export tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.document import DocumentInfo, SpeakerInfo
from desktop_app.core.errors import ExportError
from desktop_app.core.pauses import text_with_pauses
from desktop_app.core.transcript import Segment, Transcript, Word
from desktop_app.formats.transcript_bundle import (
    UNKNOWN_SPEAKER,
    ExportOptions,
    TranscriptBundle,
    atomic_output,
    write_text_atomic,
    xml_safe,
)

EMOJI = "Hello 👋🏽 & welcome <b>not bold</b> \"quoted\" 'single'"
HEBREW = "שלום, אני מדבר עברית"
ARABIC = "مرحبا بكم في المقابلة"
DEVANAGARI = "नमस्ते, आप कैसे हैं?"
EDITED = "Edited text & <no> word timings"
LONG = " ".join(f"word{i}." if i % 37 == 36 else f"word{i}" for i in range(300))


def segment(text: str, start: float, speaker: str | None, step: float = 0.4, words: bool = True) -> Segment:
    """A segment whose words each last ``step - 0.05`` s, back to back."""
    starts = [start + i * step for i in range(len(text.split()))]
    timed = [Word(t, t + step - 0.05, tok, 0.9, speaker) for t, tok in zip(starts, text.split(), strict=True)]
    end = timed[-1].end if timed else start + 2.0
    return Segment(start, end, text, speaker, timed if words else [])


def hostile_bundle() -> TranscriptBundle:
    """Emoji, RTL Hebrew and Arabic, Devanagari, markup characters, a 300-word turn, edited text."""
    segments = [
        segment(EMOJI, 0.5, "S1"),
        segment(HEBREW, 5.2, "S2"),
        segment(ARABIC, 8.0, "S2"),
        segment(DEVANAGARI, 11.0, "S1"),
        segment(LONG, 14.0, "S3", step=0.3),
        segment(EDITED, 110.0, "S1", words=False),
    ]
    speakers = {
        "S1": SpeakerInfo("S1", 'Interviewer & <Lead> "Q"'),
        "S2": SpeakerInfo("S2", "P05 שלום"),
        "S3": SpeakerInfo("S3"),
    }
    document = DocumentInfo(
        7,
        "Interview 7 — Ärzte & <Pflege>",
        media_path="/data/int 7.wav",
        duration=125.0,
        language="en",
        recorded_date="2024-05-02",
        interviewer="Dr. Ng",
    )
    model = {"name": "tiny.en", "sha256": "ab" * 32}
    return TranscriptBundle(document, Transcript(segments, "en"), speakers, model, participants="P05 (nurse)")


def small_bundle(with_speakers: bool = True) -> TranscriptBundle:
    """Three short segments, two speakers: small enough to compare whole files."""
    s1, s2 = ("S1", "S2") if with_speakers else (None, None)
    segments = [segment("Hello there.", 0.0, s1), segment("How are you?", 1.5, s1), segment("Fine, thanks.", 65.2, s2)]
    speakers = {"S1": SpeakerInfo("S1", "Interviewer"), "S2": SpeakerInfo("S2", "P05")} if with_speakers else {}
    return TranscriptBundle(DocumentInfo(1, "Pilot"), Transcript(segments, "en"), speakers)


def empty_bundle() -> TranscriptBundle:
    return TranscriptBundle(DocumentInfo(2, "Nothing said"), Transcript([], None))


def test_turns_group_consecutive_segments_of_one_speaker() -> None:
    turns = hostile_bundle().turns()
    assert [t.speaker for t in turns] == ["S1", "S2", "S1", "S3", "S1"]
    assert [len(t.segments) for t in turns] == [1, 2, 1, 1, 1]
    assert turns[1].start == 5.2 and turns[1].end == pytest.approx(8.0 + 3 * 0.4 + 0.35)


def test_speaker_names_follow_renames_and_options() -> None:
    bundle = hostile_bundle()
    assert bundle.speaker_name("S2") == "P05 שלום"
    assert bundle.speaker_name("S3") == "S3"  # never renamed: the label
    assert bundle.speaker_name("S2", ExportOptions(speaker_names=False)) == "S2"
    assert bundle.speaker_name(None) == UNKNOWN_SPEAKER
    bundle.speakers["S2"].display_name = "Peer support worker 5"
    assert bundle.speaker_name("S2") == "Peer support worker 5"


def test_text_transform_applies_to_text_and_names() -> None:
    bundle = small_bundle()
    bundle.text_transform = lambda text: text.replace("P05", "Participant A").replace("there", "[place]")
    options = ExportOptions()
    assert bundle.speaker_name("S2") == "Participant A"
    assert bundle.segment_text(bundle.transcript.segments[0], options) == "Hello [place]."


def test_pauses_marked_only_when_words_still_match_text() -> None:
    words = [Word(0.0, 0.5, "so"), Word(0.9, 1.2, "well"), Word(2.5, 2.8, "yes"), Word(6.0, 6.3, "right")]
    assert text_with_pauses(words) == "so (.) well (..) yes (3 s) right"
    bundle = small_bundle()
    seg = Segment(0.0, 6.3, "so well yes right", "S1", words)
    assert bundle.segment_text(seg, ExportOptions(include_pauses=True)) == "so (.) well (..) yes (3 s) right"
    assert bundle.segment_text(seg, ExportOptions(include_pauses=False)) == "so well yes right"
    seg.text = "so well, yes, right"  # edited: words no longer spell the text
    assert bundle.segment_text(seg, ExportOptions(include_pauses=True)) == "so well, yes, right"


def test_duration_falls_back_to_the_last_segment_end() -> None:
    bundle = small_bundle()
    assert bundle.duration == pytest.approx(65.2 + 0.4 + 0.35)
    assert empty_bundle().duration == 0.0


def test_xml_safe_drops_only_control_characters() -> None:
    assert xml_safe("a\x00b\x07c\x0bd\te\nf 👋 ש") == "abcd\te\nf 👋 ש"


def test_atomic_write_replaces_in_one_step_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("crash while writing")
    assert target.read_text(encoding="utf-8") == "old"
    write_text_atomic(target, "new ש\n")
    assert target.read_bytes() == "new ש\n".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_write_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist") as missing:
        write_text_atomic(tmp_path / "no-such-folder" / "x.txt", "x")
    assert missing.value.path == str(tmp_path / "no-such-folder" / "x.txt")
    with pytest.raises(ExportError, match="is a folder"):
        write_text_atomic(tmp_path, "x")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc, unwritable even for root")
def test_unwritable_folder_is_an_export_error_naming_the_file() -> None:
    target = Path("/proc/verbatim-export-test.txt")
    with pytest.raises(ExportError, match="cannot write") as error:
        write_text_atomic(target, "x")
    assert error.value.path == str(target)
