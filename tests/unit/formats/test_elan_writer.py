"""ELAN ``.eaf``: loaded back with pympi-ling, one tier per speaker, times in milliseconds."""

from __future__ import annotations

from pathlib import Path

import pympi

from desktop_app.formats import formats
from desktop_app.formats.transcript_bundle import ExportOptions
from tests.unit.formats.transcript_samples import HOSTILE_TEXTS, empty_bundle, hostile_bundle, interview_bundle


def load(path: Path) -> pympi.Elan.Eaf:
    return pympi.Elan.Eaf(str(path))


def test_one_tier_per_speaker_with_segment_times_in_ms(tmp_path: Path) -> None:
    bundle = interview_bundle()
    path = tmp_path / "t.eaf"
    formats.write("eaf", bundle, path)
    eaf = load(path)
    assert set(eaf.get_tier_names()) == {"Interviewer", "Participant 5"}
    expected: dict[str, list[tuple[int, int, str]]] = {"Interviewer": [], "Participant 5": []}
    for seg in bundle.transcript.segments:
        name = bundle.speaker_name(seg.speaker)
        expected[name].append((round(seg.start * 1000), round(seg.end * 1000), seg.text))
    for tier, tier_annotations in expected.items():
        assert sorted(eaf.get_annotation_data_for_tier(tier)) == tier_annotations
        assert eaf.tiers[tier][2]["PARTICIPANT"] == tier
    assert eaf.media_descriptors[0]["RELATIVE_MEDIA_URL"] == "./interview 7.wav"
    assert eaf.media_descriptors[0]["MIME_TYPE"] == "audio/x-wav"


def test_hostile_names_and_text_load_back(tmp_path: Path) -> None:
    bundle = hostile_bundle()
    path = tmp_path / "h.eaf"
    formats.write("eaf", bundle, path, ExportOptions())
    eaf = load(path)
    assert set(eaf.get_tier_names()) == {'Dr <Who> & "Co"', "דנה 🙂", "राम"}
    values = [a[2] for tier in eaf.get_tier_names() for a in eaf.get_annotation_data_for_tier(tier)]
    for hostile in HOSTILE_TEXTS:
        assert hostile in values
    assert "Typed by hand after the words were lost & <found>" in values
    long_turn = eaf.get_annotation_data_for_tier("राम")
    assert len(long_turn) == 1 and long_turn[0][2].split()[-1] == "word399"


def test_same_display_name_for_two_labels_keeps_two_tiers(tmp_path: Path) -> None:
    bundle = interview_bundle()
    bundle.speakers["S2"].display_name = "Interviewer"
    path = tmp_path / "t.eaf"
    formats.write("eaf", bundle, path)
    assert set(load(path).get_tier_names()) == {"Interviewer", "Interviewer (S2)"}


def test_no_speakers_gives_one_transcript_tier(tmp_path: Path) -> None:
    bundle = interview_bundle()
    for seg in bundle.transcript.segments:
        seg.speaker = None
    path = tmp_path / "t.eaf"
    formats.write("eaf", bundle, path)
    eaf = load(path)
    assert list(eaf.get_tier_names()) == ["Transcript"]
    assert len(eaf.get_annotation_data_for_tier("Transcript")) == 4


def test_transform_and_empty(tmp_path: Path) -> None:
    bundle = interview_bundle()
    bundle.text_transform = lambda text: text.replace("Participant 5", "P-X").replace("volunteer", "[role]")
    formats.write("eaf", bundle, tmp_path / "t.eaf")
    eaf = load(tmp_path / "t.eaf")
    assert "P-X" in eaf.get_tier_names()
    assert "[role]" in eaf.get_annotation_data_for_tier("P-X")[0][2]
    formats.write("eaf", empty_bundle(), tmp_path / "e.eaf")
    assert load(tmp_path / "e.eaf").get_tier_names() is not None


def test_overlapping_segments_of_one_speaker_do_not_overlap_on_the_tier(tmp_path: Path) -> None:
    bundle = interview_bundle()
    second = bundle.transcript.segments[2]  # S2 again, moved to start inside the previous S2 segment
    second.start = bundle.transcript.segments[1].end - 1.0
    zero = bundle.transcript.segments[3]
    zero.end = zero.start  # a zero-length segment still gets a positive length
    formats.write("eaf", bundle, tmp_path / "t.eaf")
    eaf = load(tmp_path / "t.eaf")
    participant = sorted(eaf.get_annotation_data_for_tier("Participant 5"))
    assert participant[0][1] <= participant[1][0]
    (only,) = sorted(eaf.get_annotation_data_for_tier("Interviewer"))[1:]
    assert only[1] > only[0]
