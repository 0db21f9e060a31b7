"""A full disk while importing and editing: a clear message naming the study, and nothing saved before is lost.

Two ways to fill the disk: SQLite's ``max_page_count`` on the study's connection (runs anywhere), and a real
1 MB tmpfs mounted in a private user and mount namespace (where the system allows one), so the study's
log file itself hits ENOSPC.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.errors import ProjectError
from desktop_app.core.transcript import Segment, Word
from desktop_app.services.study import import_service, project_service, security_service
from desktop_app.services.transcript import edit_service
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository

FULL = "cannot be written: the disk is full. Free some space; everything saved before is kept"
SPOKEN = "we went to malmo"


def _study_with_transcript(path: Path, recording: Path) -> tuple[ProjectStore, int, int]:
    store = project_service.create_project(path)
    result = import_service.import_recordings(store, [recording])
    assert result.ok, result.failed
    document_id = result.imported[0].id
    words = [Word(0.5 * i, 0.5 * i + 0.4, w) for i, w in enumerate(SPOKEN.split())]
    transcript_repository.append_segments(store, document_id, None, [Segment.from_words(words, "S1")])
    segment_id = transcript_repository.load_transcript(store, document_id).segments[0].id
    assert segment_id is not None
    return store, document_id, segment_id


def _state(path: Path) -> dict[str, Any]:
    with project_service.open_project(path, readonly=True) as store:
        db = store.db
        return {
            "integrity": db.execute("PRAGMA integrity_check").fetchone()[0],
            "documents": [d.title for d in project_service.list_documents(store)],
            "segments": [r[0] for r in db.execute("SELECT text FROM segments ORDER BY id")],
            "journal": db.execute("SELECT count(*) FROM journal").fetchone()[0],
            "chunks": db.execute("SELECT count(*) FROM media_chunks").fetchone()[0],
        }


def test_full_study_refuses_the_change_with_a_clear_message_and_keeps_what_was_saved(
    tmp_path: Path, shared_data: Path
) -> None:
    path = tmp_path / "Nurses.verbatim"
    store, document_id, segment_id = _study_with_transcript(path, shared_data / "jfk.flac")
    journal_before = store.db.execute("SELECT count(*) FROM journal").fetchone()[0]
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")  # the study may not grow by one page more

    with pytest.raises(ProjectError) as embedding:  # an import that stores the recording in the study
        security_service.embed_document_media(store, document_id)
    with pytest.raises(ProjectError) as editing:  # a long passage pasted into a turn
        edit_service.update_segment_text(store, segment_id, "we went to Malmö " * 20_000)
    for caught in (embedding, editing):
        assert caught.value.message == f"{path}: {FULL}"
    assert transcript_repository.load_segment(store, segment_id)[1].text == SPOKEN  # the session goes on
    store.close()

    after = _state(path)
    assert after == {
        "integrity": "ok",
        "documents": ["jfk"],
        "segments": [SPOKEN],
        "journal": journal_before,
        "chunks": 0,
    }


_ON_A_FULL_DISK = """
import json, sys
from pathlib import Path
from desktop_app.core.errors import VerbatimError
from desktop_app.services.transcript import edit_service
from desktop_app.services.study import import_service
from tests.unit.storage.test_disk_full import _state, _study_with_transcript

disk, data = Path(sys.argv[1]), Path(sys.argv[2])
study = disk / "Nurses.verbatim"
store, _document, segment = _study_with_transcript(study, data / "cv_de.wav")
with open(disk / "filler", "wb", buffering=0) as filler:
    try:
        while True:
            filler.write(bytes(4096))
    except OSError:
        pass
report = {"import": [e.message for e in import_service.import_recordings(store, [data / "cv_fr.wav"]).failed]}
try:
    edit_service.update_segment_text(store, segment, "we went back to Malmö")
except VerbatimError as exc:
    report["edit"] = exc.message
store.close()
report["after"] = _state(study)
print(json.dumps(report))
"""


def _mount_tmpfs_and_run(script: Path, disk: Path, data: Path) -> subprocess.CompletedProcess[str]:
    inner = f'mount -t tmpfs -o size=1m tmpfs "{disk}" && exec "{sys.executable}" "{script}" "{disk}" "{data}"'
    command = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", inner]
    root = Path(__file__).resolve().parents[3]
    environment = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=root, env=environment)


def test_a_really_full_disk_during_import_and_edit(tmp_path: Path, shared_data: Path) -> None:
    if shutil.which("unshare") is None:
        pytest.skip("no unshare(1) to mount a small tmpfs")
    probe = subprocess.run(
        [
            "unshare",
            "--user",
            "--map-root-user",
            "--mount",
            "sh",
            "-c",
            f'mount -t tmpfs -o size=1m tmpfs "{tmp_path}"',
        ],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        pytest.skip(f"this system does not let a test mount a tmpfs: {probe.stderr.strip()}")
    script = tmp_path / "on_a_full_disk.py"
    script.write_text(_ON_A_FULL_DISK)
    disk = tmp_path / "disk"
    disk.mkdir()
    done = _mount_tmpfs_and_run(script, disk, shared_data)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    study = disk / "Nurses.verbatim"
    assert report["import"] == [f"{study}: {FULL}"]
    assert report["edit"] == f"{study}: {FULL}"
    assert report["after"] == {
        "integrity": "ok",
        "documents": ["cv_de"],
        "segments": [SPOKEN],
        "journal": 1,
        "chunks": 0,
    }
