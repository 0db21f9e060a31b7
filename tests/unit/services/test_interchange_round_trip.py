"""Verbatim -> .qdpx -> Verbatim through the services: the same codebook, coded characters, memos on the
same targets, participants with their values, and speakers, in both representations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_app.services.coding import coding_service, memo_service
from desktop_app.services.interchange import interchange_service
from desktop_app.services.interchange.interchange_service import Representation
from desktop_app.services.interchange.merge_codes import code_paths
from desktop_app.services.study import project_service
from desktop_app.storage.coding import coding_repository
from desktop_app.storage.interchange import interchange_repository
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository
from tests.fixtures.analysis_study import make_analysis_study


def _view(store: ProjectStore) -> dict[str, object]:
    """Everything the round trip must keep, named by content instead of ids."""
    codes = coding_service.codes(store)
    paths = {i: " / ".join(p) for i, p in code_paths(codes).items()}
    documents = {d.id: d for d in project_service.list_documents(store)}
    turns = {d: transcript_repository.load_transcript(store, d).segments for d in documents}
    turn_text = {s.id: s.text for segments in turns.values() for s in segments}
    codings = {}
    for c in coding_repository.list_codings(store):
        text = coding_service.span_text(turns[c.document_id], c.start, c.end)
        codings[c.id] = (paths[c.code_id], documents[c.document_id].title, text, c.coder, c.memo)
    targets: dict[str, Callable[[int | None], object]] = {
        "document": lambda i: documents[i or 0].title,
        "code": lambda i: paths.get(i or 0),
        "coding": lambda i: codings.get(i or 0),
        "segment": lambda i: turn_text.get(i),
    }
    participants, notes = interchange_repository.participants(store)
    speakers: dict[str, list[tuple[str | None, str | None]]] = {}
    for d in documents:
        names = transcript_repository.list_speakers(store, d)
        speakers[documents[d].title] = [(names[s.speaker].name if s.speaker else None, s.text) for s in turns[d]]
        speakers[documents[d].title + " links"] = sorted((s.name, s.participant) for s in names.values())
    return {
        "codebook": sorted((paths[c.id], c.color, c.description, c.codable) for c in codes),
        "codings": sorted(codings.values()),
        "memos": sorted(
            (
                m.target_type,
                str(targets[m.target_type](m.target_id)) if m.target_type != "study" else "",
                m.text,
                m.author,
            )
            for m in memo_service.memos(store)
        ),
        "participants": sorted((p.label, sorted(p.values.items()), notes.get(p.id, "")) for p in participants),
        "attributes": [(a.name, a.type, a.choices) for a in interchange_repository.attributes(store)],
        "speakers": speakers,
        "document fields": sorted(
            (d.title, d.field_notes, d.interviewer, d.recorded_date, d.language) for d in documents.values()
        ),
    }


@pytest.mark.parametrize("representation", list(Representation))
def test_round_trip_keeps_the_study(tmp_path: Path, representation: Representation) -> None:
    study = make_analysis_study(tmp_path)
    store = study.store
    psw = study.base.documents[0]
    turn = transcript_repository.load_transcript(store, psw).segments[1]
    memo_service.add_memo(store, "study", None, "Saturation after interview 2?", "Ann")
    memo_service.add_memo(store, "document", psw, "Rapport good", "Ann")
    memo_service.add_memo(store, "code", study.codes["Isolation"], "Include loneliness", "Ben")
    memo_service.add_memo(store, "coding", study.codings["psw night"], "Key quote", "Ann")
    memo_service.add_memo(store, "segment", turn.id, "Check the audio", "Ann")
    store.db.execute("UPDATE participants SET notes = 'Joined in 2021' WHERE label = 'M2'")
    store.db.execute(
        "UPDATE documents SET field_notes = 'Quiet room', interviewer = 'AB', recorded_date = '2025-03-04', "
        "language = 'en' WHERE id = ?",
        [psw],
    )
    before = _view(store)
    out = tmp_path / "study.qdpx"
    report = interchange_service.export_project(store, out, representation=representation)
    store.close()
    with project_service.create_project(tmp_path / "copy.verbatim") as copy:
        interchange_service.import_file(copy, out)
        after = _view(copy)
    if representation is Representation.FOR_QDA_TOOL:  # the one difference, and the export says so
        assert "which speaker is which participant is carried only as the case's source references" in report
        speakers = before["speakers"]
        assert isinstance(speakers, dict)
        for key in [k for k in speakers if k.endswith(" links")]:
            speakers[key] = [(name, None) for name, _ in speakers[key]]
    for key in before:
        assert after[key] == before[key], key
