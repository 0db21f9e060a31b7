"""Pseudonym table, suggestions, hit preview with per-hit skip, pseudonymised exports and the key."""

from __future__ import annotations

import csv
import json
import stat
from pathlib import Path

import pytest

from desktop_app.core.errors import VerbatimError
from desktop_app.core.transcript import Segment, Word
from desktop_app.services.participants import pseudonym_service
from desktop_app.services.study import document_service, project_service
from desktop_app.services.study.project_service import ProjectStore
from desktop_app.storage.transcripts import transcript_repository

IDENTIFYING = ("Anna", "Svensson", "Malmö", "Malmo", "Lund")


def _turn(text: str, start: float, speaker: str) -> Segment:
    words = [Word(start + i * 0.5, start + i * 0.5 + 0.4, t, 0.9, speaker) for i, t in enumerate(text.split())]
    return Segment.from_words(words, speaker)


@pytest.fixture
def store(tmp_path: Path) -> ProjectStore:
    store = project_service.create_project(tmp_path / "s.verbatim")
    with store.journal.action("Add") as changes:
        doc = changes.insert("documents", {"title": "Anna Svensson interview", "created": "2026-01-01"})
    turns = [
        _turn("Hello, my name is Anna Svensson.", 0, "S1"),
        _turn("I grew up in Malmö but Anna's sister lives in Lund.", 4, "S2"),
        _turn("Annas bror bor i Malmo.", 10, "S2"),
    ]
    transcript_repository.append_segments(store, doc, None, turns)
    store.db.execute("UPDATE speakers SET display_name = 'Anna Svensson' WHERE label = 'S1'")
    store.db.execute("UPDATE documents SET status = 'transcribed'")
    return store


def _fill_table(store: ProjectStore) -> None:
    pseudonym_service.add_pseudonym(store, "Anna Svensson", "[PSW5]")
    pseudonym_service.add_pseudonym(store, "Anna", "[PSW5]")
    pseudonym_service.add_pseudonym(store, "Malmö", "[city]")
    pseudonym_service.add_pseudonym(store, "  Lund ", "[town]")


def test_table_add_change_remove_and_undo(store: ProjectStore) -> None:
    pseudonym_service.add_pseudonym(store, "Anna Svensson", "[P1]")
    pseudonym_service.add_pseudonym(store, "Anna Svensson", "[PSW5]")
    assert [(e.identifier, e.pseudonym) for e in pseudonym_service.list_pseudonyms(store)] == [
        ("Anna Svensson", "[PSW5]")
    ]
    document_service.undo(store)
    assert pseudonym_service.list_pseudonyms(store)[0].pseudonym == "[P1]"
    pseudonym_service.remove_pseudonym(store, "Anna Svensson")
    assert pseudonym_service.list_pseudonyms(store) == []
    with pytest.raises(VerbatimError, match="cannot be empty"):
        pseudonym_service.add_pseudonym(store, " ", "[x]")
    with pytest.raises(VerbatimError, match="no pseudonym for"):
        pseudonym_service.remove_pseudonym(store, "Nobody")


def test_suggestions_come_from_transcripts_and_speaker_names(store: ProjectStore) -> None:
    found = {s.identifier: s.reason for s in pseudonym_service.suggest(store)}
    assert found["Anna Svensson"] == "speaker"
    assert found["Lund"] == "capitalised" and "Malmö" in found
    pseudonym_service.add_pseudonym(store, "Lund", "[town]")
    assert "Lund" not in {s.identifier for s in pseudonym_service.suggest(store)}


def test_preview_lists_every_hit_and_a_skip_keeps_one(store: ProjectStore, tmp_path: Path) -> None:
    _fill_table(store)
    hits = pseudonym_service.preview_hits(store)
    assert [h.hit.text for h in hits] == ["Anna Svensson", "Malmö", "Anna's", "Lund", "Annas", "Malmo"]
    lund = next(h for h in hits if h.hit.text == "Lund")
    pseudonym_service.set_hit_skipped(store, lund)
    assert [h.skipped for h in pseudonym_service.preview_hits(store)] == [False, False, False, True, False, False]
    out = pseudonym_service.export_pseudonymised(store, 1, "txt", tmp_path / "t.txt")
    text = out.read_text(encoding="utf-8")
    assert "lives in Lund" in text and "\ue000" not in text
    pseudonym_service.set_hit_skipped(store, lund, skipped=False)
    assert not any(h.skipped for h in pseudonym_service.preview_hits(store))


def test_a_name_kept_as_spoken_moves_with_text_typed_before_it(store: ProjectStore, tmp_path: Path) -> None:
    """Typing in a turn before a name the researcher kept as spoken moves the decision with the name
    (undoably); changing the name's own words ends it, and the name is pseudonymised again."""
    from desktop_app.services.transcript import edit_service

    _fill_table(store)
    lund = next(h for h in pseudonym_service.preview_hits(store) if h.hit.text == "Lund")
    pseudonym_service.set_hit_skipped(store, lund)
    turn = transcript_repository.load_segment(store, lund.segment_id)[1]
    edit_service.update_segment_text(store, lund.segment_id, "Well, " + turn.text)
    kept = next(h for h in pseudonym_service.preview_hits(store) if h.hit.text == "Lund")
    assert kept.skipped and kept.hit.start == lund.hit.start + len("Well, ")
    text = pseudonym_service.export_pseudonymised(store, 1, "txt", tmp_path / "t.txt").read_text(encoding="utf-8")
    assert "lives in Lund" in text
    document_service.undo(store)
    assert next(h for h in pseudonym_service.preview_hits(store) if h.hit.text == "Lund").hit.start == lund.hit.start
    assert next(h for h in pseudonym_service.preview_hits(store) if h.hit.text == "Lund").skipped
    edit_service.update_segment_text(store, lund.segment_id, turn.text.replace("in Lund", "in Lund, yes, Lund"))
    first, second = [h for h in pseudonym_service.preview_hits(store) if h.hit.text == "Lund"]
    assert first.skipped and not second.skipped  # typing after it leaves it where it is
    edit_service.update_segment_text(store, lund.segment_id, turn.text.replace("in Lund", "in Lind, yes, Lund"))
    assert not any(h.skipped for h in pseudonym_service.preview_hits(store))
    assert store.db.execute("SELECT COUNT(*) FROM pseudonym_skips").fetchone()[0] == 0


@pytest.mark.parametrize("format_name", ["txt", "json", "srt", "vtt", "eaf", "docx", "rttm"])
def test_pseudonymised_exports_hold_no_identifier(store: ProjectStore, tmp_path: Path, format_name: str) -> None:
    _fill_table(store)
    path = pseudonym_service.export_pseudonymised(store, 1, format_name, tmp_path / f"out.{format_name}")
    if format_name == "docx":
        import docx

        content = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    else:
        content = path.read_text(encoding="utf-8")
    for identifier in IDENTIFYING:
        assert identifier not in content, (format_name, identifier)
    assert "\ue000" not in content and "\ue001" not in content
    if format_name in ("txt", "json", "docx"):
        assert "[PSW5]" in content and "[city]" in content
    # the study keeps the original words
    assert "Anna Svensson" in transcript_repository.load_transcript(store, 1).segments[0].text


def test_json_words_of_a_multi_word_name_are_replaced(store: ProjectStore, tmp_path: Path) -> None:
    _fill_table(store)
    path = pseudonym_service.export_pseudonymised(store, 1, "json", tmp_path / "out.json")
    first = json.loads(path.read_text(encoding="utf-8"))["segments"][0]
    words = [w["word"] for w in first["words"]]
    assert "[PSW5]" in words and "Svensson." not in words and "Anna" not in words


def test_export_all_names_files_by_pseudonymised_title(store: ProjectStore, tmp_path: Path) -> None:
    _fill_table(store)
    written = pseudonym_service.export_all_pseudonymised(store, "txt", tmp_path / "out")
    assert [p.name for p in written] == ["[PSW5] interview.txt"]


def test_key_is_written_separately_owner_only(store: ProjectStore, tmp_path: Path) -> None:
    _fill_table(store)
    key = pseudonym_service.export_key(store, tmp_path / "key.csv")
    with key.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["identifier", "pseudonym"] and ["Malmö", "[city]"] in rows and ["Lund", "[town]"] in rows
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    export = pseudonym_service.export_pseudonymised(store, 1, "json", tmp_path / "o.json").read_text(encoding="utf-8")
    assert "identifier" not in export and "pseudonyms" not in export
