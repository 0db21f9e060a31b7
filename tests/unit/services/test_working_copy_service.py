"""Working copies for a second coder: chosen documents, no audio, blind; and they merge back."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.services.analysis import intercoder_service
from desktop_app.services.interchange import merge_service, working_copy_service
from desktop_app.services.interchange.working_copy_service import CopyOptions
from desktop_app.services.study import project_service
from desktop_app.storage.coding import coding_repository
from tests.fixtures.merge_study import code_at_random, make_base_study


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = make_base_study(tmp_path / "study.verbatim", documents=3)
    with project_service.open_project(path) as store:
        code_at_random(store, "Ann", 30, seed=5)
    return path


def test_blind_copy_of_two_documents_without_audio(study: Path) -> None:
    with project_service.open_project(study, readonly=True) as store:
        kept_codings = sum(c.document_id in (1, 3) for c in coding_repository.list_codings(store))
        copy = working_copy_service.make_working_copy(
            store, CopyOptions("Ben", frozenset({1, 3}), audio=False, blind=True)
        )
    assert copy.path.name == "study (Ben).verbatim" and 0 < kept_codings < 30
    assert (copy.documents, copy.documents_left_out, copy.codings_left_out, copy.recordings_left_out) == (
        2, 1, kept_codings, 2
    )  # fmt: skip
    with project_service.open_project(copy.path) as store:
        assert [d.id for d in project_service.list_documents(store)] == [1, 3]
        assert coding_repository.list_codings(store) == []
        media = store.db.execute("SELECT abs_path, rel_path, sha256 FROM media ORDER BY id").fetchall()
        assert [tuple(m) for m in media] == [(None, None, f"{1:064x}"), (None, None, f"{3:064x}")]
        assert store.db.execute("SELECT COUNT(*) FROM journal").fetchone()[0] == 0  # no undo into the original's past
        assert store.db.execute("SELECT value FROM settings WHERE key = 'working_copy.coder'").fetchone()[0] == "Ben"
    with project_service.open_project(study, readonly=True) as store:
        assert len(coding_repository.list_codings(store)) == 30 and len(project_service.list_documents(store)) == 3


def test_blind_copy_codes_and_merges_back(study: Path) -> None:
    with project_service.open_project(study, readonly=True) as store:
        copy = working_copy_service.make_working_copy(store, CopyOptions("Ben", blind=True))
    with project_service.open_project(copy.path) as store:
        code_at_random(store, "Ben", 25, seed=6)
    with project_service.open_project(study) as store:
        result = merge_service.merge_study(store, copy.path)
        assert (result.codings_added, result.conflicts, result.documents_added) == (25, [], [])
        report = intercoder_service.compare_coders(store, "Ann", "Ben")
        assert report.by_code and len(report.documents) == 3


def test_cli_copy(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["copy", str(study), "--for-coder", "Ben", "--documents", "2-3", "--no-audio"]) == 0
    out = capsys.readouterr().out
    assert "2 document(s)" in out and "left out 1 document(s)" in out and "fingerprints stay" in out
    assert run(["copy", str(study), "--for-coder", "Ben"]) == 2  # the copy exists: never overwritten
    assert "already exists" in capsys.readouterr().err
    assert run(["copy", str(study), "--for-coder", "Cy", "--documents", "4"]) == 2
    assert "has no document 4" in capsys.readouterr().err
    assert run(["copy", str(study), "--for-coder", "Cy", "--documents", "5-2"]) == 2
