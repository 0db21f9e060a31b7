"""``qda export --pseudonymised``: a project for co-authors with no identifier in any file of the archive."""

from __future__ import annotations

import zipfile
from pathlib import Path

from desktop_app.cli import run
from desktop_app.core.coding import TextPosition
from desktop_app.formats.refi_qda.project_reader import read_project
from desktop_app.services.coding import coding_service, memo_service
from desktop_app.services.participants import pseudonym_service
from desktop_app.storage.transcripts import transcript_repository
from tests.fixtures.coding_study import make_coding_study


def test_pseudonymised_project_keeps_codings_and_drops_identifiers(tmp_path: Path) -> None:
    study = make_coding_study(tmp_path)
    store, first = study.store, study.documents[0]
    pseudonym_service.add_pseudonym(store, "Café", "[place]")
    pseudonym_service.add_pseudonym(store, "night shift", "[shift]")
    turn = transcript_repository.load_transcript(store, first).segments[3]  # "Peer support made ... Café meetings ..."
    code = coding_service.add_code(store, "Meeting places")
    start = turn.text.index("Café")
    coding_service.apply_code(
        store, first, code, TextPosition(turn.id or 0, start), TextPosition(turn.id or 0, start + len("Café meetings")),
        coder="Ann", memo="Café is where they meet",
    )  # fmt: skip
    after = turn.text.index("with other workers")
    coding_service.apply_code(
        store, first, code, TextPosition(turn.id or 0, after), TextPosition(turn.id or 0, after + 18), coder="Ann"
    )
    memo_service.add_memo(store, "document", first, "Maria mentioned the Café twice")
    store.close()
    out = tmp_path / "co-authors.qdpx"
    assert run(["qda", "export", str(tmp_path / "coding.verbatim"), str(out), "--pseudonymised"]) == 0
    with zipfile.ZipFile(out) as archive:
        everything = b"".join(archive.read(n) for n in archive.namelist()).decode("utf-8")
        assert not [n for n in archive.namelist() if not n.endswith((".qde", ".txt"))]  # no recordings
    for identifier in ("Café", "night shift", "Maria"):
        assert identifier not in everything, identifier
    assert "Peer support worker 5: " in everything  # the linked speaker named by the participant's label
    project = read_project(out).project
    texts = []
    for coding in project.codings:
        document = project.document(coding.document_id)
        assert document is not None
        segments = document.transcript.segments
        texts.append(coding_service.span_text(segments, coding.start, coding.end))
    assert sorted(texts) == ["[place] meetings", "with other workers"]  # the same words, moved with the text
    assert "[place] is where they meet" in {c.memo for c in project.codings}
