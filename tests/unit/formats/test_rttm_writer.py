"""RTTM: who spoke when, one line per merged speaker turn."""

from __future__ import annotations

from pathlib import Path

from desktop_app.formats import formats
from desktop_app.formats.rttm_writer import MERGE_GAP
from tests.unit.formats.transcript_samples import empty_bundle, hostile_bundle, interview_bundle


def parse(path: Path) -> list[tuple[str, float, float, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        assert len(fields) == 10 and fields[0] == "SPEAKER" and fields[2] == "1"
        assert fields[5:7] == ["<NA>", "<NA>"] and fields[8:] == ["<NA>", "<NA>"]
        rows.append((fields[1], float(fields[3]), float(fields[4]), fields[7]))
    return rows


def test_contiguous_turns_of_one_speaker_merge(tmp_path: Path) -> None:
    path = tmp_path / "t.rttm"
    formats.write("rttm", interview_bundle(), path)
    assert parse(path) == [
        ("interview_7", 0.0, 3.15, "S1"),
        ("interview_7", 3.5, 6.45, "S2"),  # 3.5 - 6.25 and 6.8 - 9.95 are one turn
        ("interview_7", 65.2, 1.55, "S1"),
    ]


def test_a_long_silence_splits_a_speakers_turn(tmp_path: Path) -> None:
    bundle = interview_bundle()
    second = bundle.transcript.segments[2]
    shift = MERGE_GAP + 1.0
    second.start += shift
    second.end += shift
    formats.write("rttm", bundle, tmp_path / "t.rttm")
    speakers = [row[3] for row in parse(tmp_path / "t.rttm")]
    assert speakers == ["S1", "S2", "S2", "S1"]


def test_labels_not_names_and_no_spaces(tmp_path: Path) -> None:
    bundle = hostile_bundle()
    bundle.document.media_path = None
    formats.write("rttm", bundle, tmp_path / "h.rttm")
    rows = parse(tmp_path / "h.rttm")
    assert {r[3] for r in rows} == {"S1", "S2", "S3"}
    assert all(" " not in r[0] for r in rows)
    assert rows[0][0] == 'Ünïcode_&_<"quotes">_📼'
    starts = [r[1] for r in rows]
    assert starts == sorted(starts)


def test_empty_transcript_gives_empty_file(tmp_path: Path) -> None:
    formats.write("rttm", empty_bundle(), tmp_path / "e.rttm")
    assert (tmp_path / "e.rttm").read_text(encoding="utf-8") == ""


def test_timeline_adds_talk_without_words_and_second_voices(tmp_path: Path) -> None:
    bundle = interview_bundle()  # segments: S1 0.0-3.15, S2 3.5-9.95, S1 65.2-66.75
    bundle.timeline = [
        (0.0, 3.3, "S1"),
        (2.9, 3.6, "S2"),  # S2 talks over the end of S1's turn: a second voice
        (12.0, 14.0, "S2"),  # speech Whisper wrote nothing for
        (5.0, 6.0, "S1"),  # the researcher gave this stretch to S2 alone (no overlap there): not brought back
        (20.0, 21.0, "S9"),  # a voice with no words at all: kept
        (30.0, 30.05, "S1"),  # too short to keep
    ]
    formats.write("rttm", bundle, tmp_path / "t.rttm")
    rows = [
        (round(start, 2), round(start + length, 2), speaker) for _, start, length, speaker in parse(tmp_path / "t.rttm")
    ]
    assert rows == [
        (0.0, 3.15, "S1"),
        (2.9, 3.5, "S2"),  # overlaps S1's turn in the file
        (3.15, 3.3, "S1"),  # S1's talk past its words
        (3.5, 9.95, "S2"),
        (12.0, 14.0, "S2"),
        (20.0, 21.0, "S9"),
        (65.2, 66.75, "S1"),
    ]
    for segment in bundle.transcript.segments:
        segment.speaker = None  # transcribed again without speakers: the old timeline is not used
    formats.write("rttm", bundle, tmp_path / "t.rttm")
    assert {speaker for _, _, _, speaker in parse(tmp_path / "t.rttm")} == {"unknown"}
