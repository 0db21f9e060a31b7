"""Importing what QualCoder exported: every code, coding, memo, case, value and description lands, on
its real target, and the summary accounts for each; a Verbatim study survives its own round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.services.coding import coding_service
from desktop_app.services.interchange import interchange_service
from desktop_app.services.study import project_service
from desktop_app.storage.coding import coding_repository
from desktop_app.storage.interchange import interchange_repository
from desktop_app.storage.transcripts import document_repository, transcript_repository

REFI = Path(__file__).resolve().parents[3].parent / "shared" / "refi-qda"


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "study.verbatim"
    with project_service.create_project(path):
        pass
    return path


def test_qualcoder_export_imports_item_by_item(study: Path) -> None:
    with project_service.open_project(study) as store:
        outcome = interchange_service.import_exchange_file(store, REFI / "qualcoder-export.qdpx")
        assert outcome.summary == (
            "imported 5 codes, 3 documents, 10 codings, 2 memos, 1 participant, 1 attribute value, "
            "1 document variable value, 1 participant description, 1 study description"
        )
        assert outcome.report == [] and outcome.external_files == []  # nothing left out
        codes = {c.id: c.name for c in coding_service.codes(store)}
        documents = {d.title: d for d in document_repository.list_documents(store)}
        assert sorted(documents) == ["notes_unicode.txt", "pyannote_sample", "pyannote_transcript.txt"]
        found = []
        for coding in coding_repository.list_codings(store):
            segments = {s.id: s for s in transcript_repository.load_transcript(store, coding.document_id).segments}
            start, end = segments[coding.start.segment_id], segments[coding.end.segment_id]
            assert start is end
            title = next(t for t, d in documents.items() if d.id == coding.document_id)
            found.append(
                (title, codes[coding.code_id], start.text[coding.start.offset : coding.end.offset], coding.memo)
            )
        expected = json.loads((REFI / "qualcoder-export.expected-codings.json").read_text("utf-8"))
        names = {1: "Origin", 2: "Current location", 3: "Chicago", 4: "Greeting"}
        wanted = [
            (src.replace("pyannote_sample.wav.transcribed", "pyannote_sample"), names[code], text, memo)
            for src, code, text, _, _, memo in expected
        ]
        audio = ("pyannote_sample", "Origin", "originally from Chicago.", "audio clip memo")  # 16.1-17.7 s: turn 3
        assert sorted(found) == sorted([*wanted, audio])
        audio_coding = next(c for c in coding_repository.list_codings(store) if c.memo == "audio clip memo")
        assert (audio_coding.start_time, audio_coding.end_time) == (16.14, 17.7)  # a time-range coding

        memos = {m.text: m for m in interchange_repository.memos(store)}
        journal, annotation = (
            memos["First impressions: both callers relocated."],
            memos["Name mis-heard? (Sheila in Texas)"],
        )
        assert (journal.target_type, journal.author) == ("study", "qc_coder")
        assert annotation.target_type == "segment"
        turns = transcript_repository.load_transcript(store, documents["pyannote_transcript.txt"].id).segments
        assert next(s for s in turns if s.id == annotation.target_id).text.startswith("And I'm Sheila")
        participants, notes = interchange_repository.participants(store)
        assert [(p.label, p.values) for p in participants] == [("P01", {"age": "42"})]
        assert [a.name for a in interchange_repository.attributes(store)] == ["age"]  # interviewer is the document's
        assert list(notes.values()) == ["Diane, New Jersey"]
        info = document_repository.get_document(store, documents["pyannote_transcript.txt"].id)
        assert info is not None and info.interviewer == "AB"
        assert store.study()["description"] == "QualCoder reverse-direction test project"


def test_qualcoder_transcript_gets_times_speakers_and_no_empty_last_turn(study: Path) -> None:
    with project_service.open_project(study) as store:
        interchange_service.import_file(store, REFI / "qualcoder-export.qdpx")
        documents = {d.title: d.id for d in document_repository.list_documents(store)}
        turns = transcript_repository.load_transcript(store, documents["pyannote_sample"]).segments
        speakers = transcript_repository.list_speakers(store, documents["pyannote_sample"])
        # "[00:00:06] S1: Hello." lines: the stamp is the turn's start, S1/S2 its speaker; the file's final
        # newline makes no empty seventh turn
        assert [(t.start, speakers[t.speaker or ""].name) for t in turns] == [
            (6.0, "S1"), (8.0, "S2"), (14.0, "S1"), (18.0, "S2"), (21.0, "S1"), (27.0, "S2"),
        ]  # fmt: skip
        assert turns[0].text == "Hello." and turns[2].end == 18.0
        text = transcript_repository.load_transcript(store, documents["pyannote_transcript.txt"]).segments
        assert [t.text for t in text][:2] == [
            "Hello.",
            "Hello. Oh, hello. I didn't know you were there. I need the design. I thought, you know, I heard a beep. "
            "This is Diane in New Jersey.",
        ]


def test_verbatim_round_trip_keeps_memo_targets(study: Path, tmp_path: Path) -> None:
    with project_service.open_project(study) as store:
        interchange_service.import_file(store, REFI / "qualcoder-export.qdpx")
    for complete in (False, True):
        out = tmp_path / f"again-{complete}.qdpx"
        assert run(["qda", "export", str(study), str(out), *(["--complete"] if complete else [])]) == 0
        copy = tmp_path / f"copy-{complete}.verbatim"
        with project_service.create_project(copy) as store:
            interchange_service.import_file(store, out)
            memos = sorted((m.target_type, m.text) for m in interchange_repository.memos(store))
            codings = sorted((c.coder, c.memo) for c in coding_repository.list_codings(store))
            titles = sorted(d.title for d in document_repository.list_documents(store))
        with project_service.open_project(study) as store:
            # a text document with the same words as a transcript is still its own document
            assert titles == sorted(d.title for d in document_repository.list_documents(store))
            assert memos == sorted((m.target_type, m.text) for m in interchange_repository.memos(store))
            assert codings == sorted((c.coder, c.memo) for c in coding_repository.list_codings(store))
