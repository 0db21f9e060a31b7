"""Merging two coders' copies: codes by path, codings under each coder, conflicts listed, transcripts
kept as chosen, one undo step, a backup first, and the same agreement as on the two copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.core.coding import TextPosition
from desktop_app.services.analysis import intercoder_service
from desktop_app.services.coding import coding_service, memo_service
from desktop_app.services.interchange import merge_service
from desktop_app.services.interchange.merge_codes import code_paths
from desktop_app.services.interchange.merge_service import MergeOptions, TranscriptChoice
from desktop_app.services.participants import pseudonym_service
from desktop_app.services.study import project_service
from desktop_app.storage.coding import coding_repository
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository
from tests.fixtures.merge_study import code_at_random, copy_for, direct_kappa, make_base_study


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path]:
    base = make_base_study(tmp_path / "study.verbatim")
    ours, theirs = copy_for(base, "Ann"), copy_for(base, "Ben")
    with project_service.open_project(ours) as store:
        code_at_random(store, "Ann", 40, seed=1)
    with project_service.open_project(theirs) as store:
        code_at_random(store, "Ben", 40, seed=2)
    return ours, theirs


def _codes(store: ProjectStore) -> dict[str, int]:
    return {c.name: c.id for c in coding_service.codes(store)}


def _coded_text(store: ProjectStore, coder: str) -> list[tuple[str, str, str]]:
    names = {v: k for k, v in _codes(store).items()}
    rows = []
    for coding in coding_repository.list_codings(store):
        if coding.coder == coder:
            segments = transcript_repository.load_transcript(store, coding.document_id).segments
            rows.append(
                (
                    names[coding.code_id],
                    str(coding.document_id),
                    coding_service.span_text(segments, coding.start, coding.end),
                )
            )
    return sorted(rows)


def test_merge_adds_their_codings_and_keeps_agreement(copies: tuple[Path, Path]) -> None:
    ours, theirs = copies
    expected = direct_kappa(ours, theirs)
    with project_service.open_project(theirs) as store:
        bens = _coded_text(store, "Ben")
    with project_service.open_project(ours) as store:
        before = len(coding_repository.list_codings(store))
        result = merge_service.merge_study(store, theirs)
        assert result.codings_added == 40 and result.codings_already_here == 0
        assert result.backup is not None and result.backup.exists()
        assert _coded_text(store, "Ben") == bens  # the same characters, same codes
        report = intercoder_service.compare_coders(store, "Ann", "Ben")
        paths = {i: " / ".join(p) for i, p in code_paths(coding_service.codes(store)).items()}
        assert {paths[r.code.id]: round(r.stats.kappa, 9) for r in report.by_code} == expected
        again = merge_service.merge_study(store, theirs, MergeOptions(backup=False))
        assert (again.codings_added, again.codings_already_here) == (0, 40)  # nothing twice
        store.journal.undo()  # the second merge (an empty one adds no entry)
        assert len(coding_repository.list_codings(store)) == before
    assert len(expected) >= 2 and set(expected) <= {"Support", "Support / Peer help", "Isolation"}


def test_codebooks_merge_by_path_with_conflicts_listed(copies: tuple[Path, Path]) -> None:
    ours, theirs = copies
    with project_service.open_project(theirs) as store:
        codes = _codes(store)
        coding_service.update_code(store, codes["Peer help"], color="#123456")
        coding_service.add_code(store, "Night work", parent_id=codes["Support"])
        coding_service.add_code(store, "Isolation", parent_id=codes["Support"])  # same name, another place
        night = _codes(store)["Night work"]
        segment = transcript_repository.load_transcript(store, 1).segments[0]
        coding_service.apply_code(
            store, 1, night, TextPosition(segment.id or 0, 0), TextPosition(segment.id or 0, 5), coder="Ben"
        )
        memo_service.add_memo(store, "segment", segment.id, "listen again here", "Ben")
        memo_service.add_memo(store, "code", night, "nights and weekends", "Ben")
    with project_service.open_project(ours) as store:
        preview = merge_service.preview_merge(store, theirs)
        assert preview.codebook.added == ["Support / Night work", "Support / Isolation"]
        result = merge_service.merge_study(store, theirs, MergeOptions(backup=False))
        assert result.codes_added == preview.codebook.added
        assert any("'Support / Peer help': colour #aa0000 here, #123456 in theirs" in c for c in result.conflicts)
        assert any(
            "'Isolation' is at 'Support / Isolation' in theirs and 'Isolation' here" in c for c in result.conflicts
        )
        merged = {c.name: c for c in coding_service.codes(store)}
        assert merged["Night work"].parent_id == merged["Support"].id and merged["Peer help"].color == "#aa0000"
        memos = {m.text: m for m in memo_service.memos(store)}
        first = transcript_repository.load_transcript(store, 1).segments[0]
        assert (memos["listen again here"].target_type, memos["listen again here"].target_id) == ("segment", first.id)
        assert memos["nights and weekends"].target_id == merged["Night work"].id
        store.journal.undo()
        assert "Night work" not in _codes(store) and "listen again here" not in {
            m.text for m in memo_service.memos(store)
        }


def _edit_first_turn(path: Path, text: str) -> None:
    with project_service.open_project(path) as store:
        segment = transcript_repository.load_transcript(store, 1).segments[0]
        store.db.execute("UPDATE segments SET text = ? WHERE id = ?", [text, segment.id])


@pytest.mark.parametrize("choice", list(TranscriptChoice))
def test_differing_transcripts_are_kept_as_chosen(copies: tuple[Path, Path], choice: TranscriptChoice) -> None:
    ours, theirs = copies
    with project_service.open_project(ours) as store:
        original = transcript_repository.load_transcript(store, 1).segments[0].text
    _edit_first_turn(theirs, "Corrected: " + original)
    with project_service.open_project(theirs) as store:
        bens = _coded_text(store, "Ben")
    with project_service.open_project(ours) as store:
        anns = _coded_text(store, "Ann")
        assert [m.theirs.title for m in merge_service.preview_merge(store, theirs).differing] == ["Interview 1"]
        result = merge_service.merge_study(store, theirs, MergeOptions(choice, backup=False))
        documents = [d.title for d in project_service.list_documents(store)]
        first = transcript_repository.load_transcript(store, 1).segments[0].text
        if choice is TranscriptChoice.BOTH:
            assert documents == ["Interview 1", "Interview 2", "Interview 1 (Ben)"] and result.versions_added
            assert first == original
        else:
            assert documents == ["Interview 1", "Interview 2"]
            assert first == (original if choice is TranscriptChoice.OURS else "Corrected: " + original)
        titles = {d.id: d.title for d in project_service.list_documents(store)}
        moved_ben = sorted((c, titles[int(d)].replace(" (Ben)", ""), t) for c, d, t in _coded_text(store, "Ben"))
        assert moved_ben == sorted((c, titles[int(d)], t) for c, d, t in bens)  # every coding on the same words
        assert _coded_text(store, "Ann") == anns
        store.journal.undo()  # one step takes the whole merge back
        assert transcript_repository.load_transcript(store, 1).segments[0].text == original
        assert _coded_text(store, "Ann") == anns and _coded_text(store, "Ben") == []
        assert [d.title for d in project_service.list_documents(store)] == ["Interview 1", "Interview 2"]


def test_cli_merge_preview_and_merge(copies: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    ours, theirs = copies
    assert run(["merge", str(ours), str(theirs), "--preview"]) == 0
    assert "2 document(s) with the same recording, 0 new" in capsys.readouterr().out
    assert run(["merge", str(ours), str(theirs)]) == 0
    out = capsys.readouterr().out
    assert "added 40 coding(s) (0 already here)" in out and "backup taken first" in out
    assert run(["merge", str(ours), str(ours)]) == 2
    assert "is this study itself" in capsys.readouterr().err


def _person(path: Path, label: str, age: str) -> None:
    with project_service.open_project(path) as store, store.journal.action("person") as changes:
        found = store.db.execute("SELECT id FROM attributes WHERE name = 'Age'").fetchone()
        attribute = found[0] if found else changes.insert("attributes", {"name": "Age", "type": "integer"})
        person = changes.insert("participants", {"label": label})
        changes.insert("attribute_values", {"participant_id": person, "attribute_id": attribute, "value": age})


def test_participants_merge_by_label_and_differing_values_are_listed(copies: tuple[Path, Path]) -> None:
    ours, theirs = copies
    _person(ours, "P1", "41")
    _person(theirs, "P1", "40")
    _person(theirs, "P2", "29")
    with project_service.open_project(ours) as store:
        result = merge_service.merge_study(store, theirs, MergeOptions(backup=False))
        assert result.participants_added == 1
        assert result.conflicts == ["P1: Age is '41' here, '40' in theirs; ours kept"]
        values = store.db.execute(
            "SELECT p.label, v.value FROM participants p JOIN attribute_values v ON v.participant_id = p.id ORDER BY 1"
        ).fetchall()
        assert [tuple(v) for v in values] == [("P1", "41"), ("P2", "29")]


def test_documents_without_a_recording_match_by_title(tmp_path: Path) -> None:
    from tests.fixtures.coding_study import INTERVIEW_2, add_document

    base = make_base_study(tmp_path / "study.verbatim")
    with project_service.open_project(base) as store:
        add_document(store, "Field diary", INTERVIEW_2)
    ours, theirs = copy_for(base, "Ann"), copy_for(base, "Ben")
    with project_service.open_project(theirs) as store:
        code_at_random(store, "Ben", 10, seed=4)
    with project_service.open_project(ours) as store:
        first = merge_service.merge_study(store, theirs, MergeOptions(backup=False))
        again = merge_service.merge_study(store, theirs, MergeOptions(backup=False))
        assert first.documents_added == [] and first.codings_added == 10
        assert (again.documents_added, again.codings_added) == ([], 0)
        assert [d.title for d in project_service.list_documents(store)].count("Field diary") == 1


def test_taking_their_transcript_and_undoing_keeps_our_kept_as_spoken_names(copies: tuple[Path, Path]) -> None:
    """A 'keep as spoken' decision on one of our turns is a row SQLite would cascade away with the turn,
    out of the journal's sight: taking their transcript must delete it through the journal, so undo restores it."""
    ours, theirs = copies
    with project_service.open_project(ours) as store:
        first = transcript_repository.load_transcript(store, 1).segments[0]
        word = first.text.split()[0].strip(".,?!")
        pseudonym_service.add_pseudonym(store, word, "[name]")
        hit = next(h for h in pseudonym_service.preview_hits(store, 1) if h.hit.text == word)
        pseudonym_service.set_hit_skipped(store, hit)
        original = first.text
    _edit_first_turn(theirs, "Corrected: " + original)
    with project_service.open_project(ours) as store:
        merge_service.merge_study(store, theirs, MergeOptions(TranscriptChoice.THEIRS, backup=False))
        assert transcript_repository.load_transcript(store, 1).segments[0].text == "Corrected: " + original
        store.journal.undo()
        assert transcript_repository.load_transcript(store, 1).segments[0].text == original
        kept = [h.hit.text for h in pseudonym_service.preview_hits(store, 1) if h.skipped]
        assert kept == [word]
