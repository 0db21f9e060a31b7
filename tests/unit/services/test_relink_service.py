from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop_app.core.errors import MediaError, ProjectError
from desktop_app.core.file_hash import file_sha256
from desktop_app.services.study import document_service, import_service, project_service, relink_service
from desktop_app.services.study.relink_service import FolderSearch
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import media_repository


@pytest.fixture
def moved(tmp_path: Path, shared_data: Path) -> tuple[ProjectStore, int, Path]:
    """A study in one folder whose recording (elsewhere) was then moved into an archive folder."""
    recordings = tmp_path / "recordings"
    recordings.mkdir()
    original = recordings / "interview.wav"
    shutil.copy(shared_data / "pyannote_sample.wav", original)
    (tmp_path / "study").mkdir()
    store = project_service.create_project(tmp_path / "study" / "s.verbatim")
    (doc,) = import_service.import_recordings(store, [original]).imported
    archive = tmp_path / "archive" / "2024" / "May"
    archive.mkdir(parents=True)
    moved_to = archive / "renamed.wav"
    original.rename(moved_to)
    return store, doc.id, moved_to


def test_missing_recording_is_reported_with_its_last_place(moved: tuple[ProjectStore, int, Path]) -> None:
    store, doc, _ = moved
    missing = relink_service.missing_recording(store, doc)
    assert missing is not None
    assert missing.file_name == "interview.wav" and missing.last_path.endswith("recordings/interview.wav")
    with pytest.raises(MediaError, match="relink"):
        document_service.media_path(store, doc)


def test_relink_same_recording_plays_again_and_undoes(moved: tuple[ProjectStore, int, Path]) -> None:
    store, doc, moved_to = moved
    assert relink_service.is_same_recording(store, doc, moved_to)
    assert relink_service.relink(store, doc, moved_to) == moved_to.resolve()
    assert document_service.media_path(store, doc) == moved_to.resolve()
    assert relink_service.missing_recording(store, doc) is None
    assert store.journal.undo_entry() is not None and "Relink" in store.journal.undo_entry().label
    document_service.undo(store)
    assert relink_service.missing_recording(store, doc) is not None


def test_a_different_file_is_refused_unless_the_user_insists(
    moved: tuple[ProjectStore, int, Path], shared_data: Path
) -> None:
    store, doc, _ = moved
    other = shared_data / "jfk.flac"
    assert not relink_service.is_same_recording(store, doc, other)
    with pytest.raises(MediaError, match="not the same recording as interview.wav") as error:
        relink_service.relink(store, doc, other)
    assert error.value.path == str(other)
    assert relink_service.missing_recording(store, doc) is not None, "nothing changed"
    relink_service.relink(store, doc, other, accept_different=True)
    media = relink_service.recording(store, doc)
    assert media.sha256 == file_sha256(other) and media.file_name == "jfk.flac" and media.codec == "flac"
    assert 10.0 < media.duration < 12.0
    assert document_service.media_path(store, doc) == other.resolve()
    document_service.undo(store)
    assert relink_service.recording(store, doc).file_name == "interview.wav"


def test_insisting_on_a_file_that_is_not_audio_fails_clearly(moved: tuple[ProjectStore, int, Path]) -> None:
    store, doc, moved_to = moved
    notes = moved_to.parent / "notes.txt"
    notes.write_text("interview notes")
    with pytest.raises(MediaError, match="notes.txt"):
        relink_service.relink(store, doc, notes, accept_different=True)
    with pytest.raises(MediaError, match="does not exist"):
        relink_service.relink(store, doc, moved_to.parent / "gone.wav")
    assert relink_service.recording(store, doc).file_name == "interview.wav"


def test_search_a_folder_by_hash(moved: tuple[ProjectStore, int, Path], shared_data: Path) -> None:
    store, doc, moved_to = moved
    archive = moved_to.parents[1]
    shutil.copy(shared_data / "jfk.flac", archive / "decoy.wav")
    (archive / "same_size.wav").write_bytes(b"\0" * moved_to.stat().st_size)  # same size, other content
    media = relink_service.recording(store, doc)
    assert relink_service.find_in_folder(media, FolderSearch(archive)) == moved_to
    assert relink_service.find_in_folder(media, FolderSearch(archive, limit=1)) is None
    assert relink_service.search_and_relink(store, doc, FolderSearch(archive)) == moved_to.resolve()
    assert media_repository.locate_media(store, relink_service.recording(store, doc)) == moved_to.resolve()


def test_read_only_study_cannot_be_relinked(tmp_path: Path, moved: tuple[ProjectStore, int, Path]) -> None:
    store, doc, moved_to = moved
    path = store.path
    store.close()
    with (
        project_service.open_project(path, readonly=True) as readonly,
        pytest.raises(ProjectError, match="read-only"),
    ):
        relink_service.relink(readonly, doc, moved_to)
