"""Transcribe with speakers on generated and real two-party speech, then work with the speakers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.services.study import document_service, project_service
from desktop_app.storage.transcripts import transcript_repository
from tests.fixtures.speech import SpeechFixture

pytestmark = pytest.mark.slow


def test_transcribe_with_speakers_splits_the_interview(
    tmp_path: Path, interview_speech: SpeechFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    study = tmp_path / "s.verbatim"
    run(["new", str(study)])
    run(["import", str(study), str(interview_speech.wav)])
    assert run(["transcribe", str(study), "--all", "--model", "tiny.en", "--speakers", "auto"]) == 0
    assert "Speakers: 2 found" in capsys.readouterr().out
    with project_service.open_project(study) as store:
        segments = transcript_repository.load_transcript(store, 1).segments
    for reference in interview_speech.turns:
        inside = [w for s in segments for w in s.words if reference["start"] <= w.start < reference["end"]]
        labels = [w.speaker for w in inside]
        top = max(set(labels), key=labels.count)
        assert labels.count(top) / len(labels) >= 0.9, reference["text"]
    assert all(len({w.speaker for w in s.words}) == 1 for s in segments), "segments never mix speakers"
    assert run(["export", str(study), "1", "--format", "json", "-o", str(tmp_path / "t.json")]) == 0
    data = json.loads((tmp_path / "t.json").read_text())
    assert {s["speaker"] for s in data["segments"]} == {"S1", "S2"}
    assert run(["diarize", str(study), "1", "--speakers", "3"]) == 0
    assert "Speakers: 3 found" in capsys.readouterr().out


def test_diarize_needs_a_transcript(tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = tmp_path / "s.verbatim"
    run(["new", str(study)])
    run(["import", str(study), str(shared_data / "jfk.flac")])
    capsys.readouterr()
    assert run(["diarize", str(study), "1"]) == 2
    err = capsys.readouterr().err
    assert "transcribe it first" in err and "--meeting" not in err  # auto: no engine is suggested
    assert run(["diarize", str(study), "1", "--speakers", "two"]) == 2
    capsys.readouterr()
    assert run(["diarize", str(study)]) == 2  # which documents?
    assert "name the documents (DOC_ID ...) or give --all" in capsys.readouterr().err
    assert run(["diarize", str(study), "--all"]) == 0
    assert "Nothing to do: no transcribed document is left unchecked." in capsys.readouterr().out
    for many in ("4", "4-8"):  # four people or more are told apart better by the meeting engine: said before the work
        assert run(["diarize", str(study), "1", "--speakers", many]) == 2
        assert f"--speakers {many} is four people or more: --meeting" in capsys.readouterr().err
    for fine in (["--speakers", "2-4"], ["--speakers", "3"], ["--speakers", "5", "--meeting"]):
        assert run(["diarize", str(study), "1", *fine]) == 2
        assert "note:" not in capsys.readouterr().err


def test_words_in_unclear_speech_are_flagged_and_kept(tmp_path: Path, shared_data: Path) -> None:
    from desktop_app.gui.transcript.transcript_table_model import OVERLAP_ROLE, TEXT, TranscriptTableModel

    study = tmp_path / "s.verbatim"
    run(["new", str(study)])
    run(["import", str(study), str(shared_data / "pyannote_sample.wav")])
    assert run(["transcribe", str(study), "--all", "--model", "tiny.en", "--speakers", "2"]) == 0
    with project_service.open_project(study) as store:
        segments = transcript_repository.load_transcript(store, 1).segments
    flagged = [w for s in segments for w in s.words if w.overlap]
    assert 0 < len(flagged) < sum(len(s.words) for s in segments) / 2
    model = TranscriptTableModel()
    model.set_transcript(segments, {})
    row = next(i for i, s in enumerate(segments) if any(w.overlap for w in s.words))
    spans = model.data(model.index(row, TEXT), OVERLAP_ROLE)
    assert spans and all(segments[row].text[a:b] for a, b in spans)
    rttm = tmp_path / "t.rttm"
    assert run(["export", str(study), "1", "--format", "rttm", "-o", str(rttm)]) == 0
    turns = [
        (float(f[3]), float(f[3]) + float(f[4]), f[7]) for f in (line.split() for line in rttm.read_text().splitlines())
    ]
    at_once = [(a, b) for a, b, s in turns for c, d, t in turns if s != t and a < d and c < b]
    assert at_once  # the speaker step's overlapping talk reaches the RTTM export


def test_silent_recordings_never_break_a_batch_with_speakers(tmp_path: Path, shared_data: Path) -> None:
    """A silent and a nearly silent recording (hiss) are valid: transcribed with no words, and exported."""
    import subprocess

    from docx import Document

    from desktop_app.core.document import DocumentStatus
    from desktop_app.formats.formats import FORMATS
    from desktop_app.services.study import document_service

    silent, hiss = tmp_path / "silent.wav", tmp_path / "hiss.wav"
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", str(silent), "trim", "0", "8"], check=True)
    subprocess.run(
        ["sox", "-n", "-r", "16000", "-c", "1", str(hiss), "synth", "8", "whitenoise", "vol", "0.002"], check=True
    )
    study = tmp_path / "s.verbatim"
    run(["new", str(study)])
    for media in (silent, hiss, shared_data / "jfk.flac"):
        assert run(["import", str(study), str(media)]) == 0
    assert run(["transcribe", str(study), "--all", "--model", "tiny.en", "--speakers", "auto"]) == 0
    with project_service.open_project(study) as store:
        statuses = [document_service.get_document(store, i).status for i in (1, 2, 3)]
        assert statuses == [DocumentStatus.TRANSCRIBED] * 3
        assert transcript_repository.load_transcript(store, 1).words == []
        assert transcript_repository.load_transcript(store, 3).words  # the batch went on to the speech
    for name in FORMATS:
        assert run(["export", str(study), "1", "--format", name, "-o", str(tmp_path / f"silent.{name}")]) == 0, name
    assert "No speech found" in (tmp_path / "silent.txt").read_text()
    assert any("No speech found" in p.text for p in Document(str(tmp_path / "silent.docx")).paragraphs)


def test_meeting_engine_tells_more_voices_apart(
    tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """AMI trn06 (three people) in one `transcribe --speakers auto --meeting` run: 2 or 3 found (measured 2,
    DER 13.0 %; the default engine 43.1 %)."""
    from bench.speaker_scoring import der, read_rttm

    study = tmp_path / "s.verbatim"
    run(["new", str(study)])
    run(["import", str(study), str(shared_data / "ami_dev" / "trn06.wav")])
    command = ["transcribe", str(study), "--all", "--model", "tiny.en", "--language", "en", "--speakers", "auto"]
    assert run([*command[:-2], "--meeting"]) == 2  # the engine for speakers, without speakers: refused
    assert "give --speakers too" in capsys.readouterr().err
    assert run([*command, "--meeting"]) == 0
    found = int(capsys.readouterr().out.split("Speakers: ")[1].split()[0])
    assert 2 <= found <= 4
    assert run(["export", str(study), "1", "--format", "rttm", "-o", str(tmp_path / "t.rttm")]) == 0
    reference = read_rttm(shared_data / "ami_dev" / "trn06.rttm")
    assert der(reference, read_rttm(tmp_path / "t.rttm")).rate <= 0.3


def test_a_count_below_the_people_heard_at_once_points_to_the_meetings_engine(
    tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """AMI trn07 (four people): the interview engine finds one voice although the segmentation model heard two
    talk at length in one stretch, and says so; the meetings engine, run on the transcript, finds more."""
    study = tmp_path / "s.verbatim"
    run(["new", str(study)])
    run(["import", str(study), str(shared_data / "ami_dev" / "trn07.wav")])
    capsys.readouterr()
    command = ["transcribe", str(study), "--all", "--model", "tiny.en", "--language", "en", "--speakers", "auto"]
    assert run(command) == 0
    out, err = capsys.readouterr()
    assert "Speakers: 1 found" in out
    assert "note: 2 people were heard talking within one stretch, but only 1 speaker was found" in err
    assert "--meeting" in err
    assert run(["diarize", str(study), "1", "--speakers", "auto", "--meeting"]) == 0
    out, err = capsys.readouterr()
    assert int(out.split("Speakers: ")[1].split()[0]) >= 2 and "note:" not in err
    run(["import", str(study), str(shared_data / "ami_dev" / "trn08.wav")])
    assert run(command) == 0  # --all: trn08, the one not transcribed yet, as an interview
    capsys.readouterr()
    assert run(["diarize", str(study), "--all", "--meeting"]) == 0  # every transcribed one, each named
    out = capsys.readouterr().out
    assert out.startswith("trn07: Speakers: ") and "\ntrn08: Speakers: " in out
    with project_service.open_project(study) as store:  # a checked transcript keeps its turns in a study-wide run
        document_service.mark_checked(store, 1)
    assert run(["diarize", str(study), "--all", "--speakers", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Speakers: 2 found") and "trn07" not in out


def test_wordless_talk_reaches_the_rttm_of_an_empty_transcript(
    tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """AMI trn02: one remark of 0.7 s (20.70-21.39 s) too quiet for the transcriber. The transcript stays
    empty, but the meeting engine hears the remark and the RTTM carries it (it was a file with no lines).
    The voice is a speaker of the document like any other: listed with its time, heard, named, merged."""
    from bench.speaker_scoring import der, read_rttm
    from desktop_app.services.speakers import speaker_service

    study = tmp_path / "s.verbatim"
    run(["new", str(study)])
    run(["import", str(study), str(shared_data / "ami_dev" / "trn02.wav")])
    assert run(["transcribe", str(study), "--all", "--model", "tiny.en", "--language", "en", "--speakers", "auto"]) == 0
    with project_service.open_project(study) as store:
        assert transcript_repository.load_transcript(store, 1).words == []
    assert run(["diarize", str(study), "1", "--meeting"]) == 0
    out = tmp_path / "t.rttm"
    assert run(["export", str(study), "1", "--format", "rttm", "-o", str(out)]) == 0
    turns = read_rttm(out)
    assert len({speaker for _, _, speaker in turns}) == 1
    assert all(start >= 20.0 and end <= 22.0 for start, end, _ in turns), turns
    assert der(read_rttm(shared_data / "ami_dev" / "trn02.rttm"), turns).rate <= 0.4  # measured 26.1 %
    capsys.readouterr()
    assert run(["speakers", str(study), "1", "--json"]) == 0
    (voice,) = json.loads(capsys.readouterr().out)["speakers"]
    assert voice["label"] == turns[0][2] and voice["heard_without_words"] is True
    assert voice["turns"] == 0 and voice["speaking_seconds"] == pytest.approx(sum(b - a for a, b, _ in turns), abs=0.01)
    assert run(["speakers", str(study), "1", "rename", voice["label"], "Chair"]) == 0
    assert "Chair" in (listed := capsys.readouterr().out) and "heard only without words" in listed
    with project_service.open_project(study) as store:
        start, end = speaker_service.voice_sample(store, 1, voice["label"]) or (0.0, 0.0)
        assert 20.0 <= start < end <= 22.0  # Listen plays the remark
        assert transcript_repository.list_speakers(store, 1)[voice["label"]].name == "Chair"
    assert run(["export", str(study), "1", "--format", "txt", "-o", str(tmp_path / "t.txt")]) == 0
