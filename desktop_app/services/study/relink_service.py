"""Point a document at its recording again when the file was moved, renamed or copied elsewhere.

The file the user picks is checked by content (sha256): the same recording is relinked at once; a
different one only when the user insists, after probing it, and then its hash, size and format are
recorded. Relinking is journaled, so it can be undone.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.errors import CancelledError, MediaError, VerbatimError
from desktop_app.core.file_hash import file_sha256
from desktop_app.pipeline.media_probe import probe_media
from desktop_app.services.study.project_service import require_writable
from desktop_app.storage.connection import guarded
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import document_repository, media_repository
from desktop_app.storage.transcripts.media_repository import MediaRecord

FOLDER_SEARCH_LIMIT = 200_000  # files looked at before a folder search gives up


@dataclass(frozen=True)
class MissingRecording:
    """A document whose linked recording is not where the study last saw it."""

    document_id: int
    media_id: int
    file_name: str
    last_path: str
    size: int


def recording(store: ProjectStore, document_id: int) -> MediaRecord:
    media_id = document_repository.document_media_id(store, document_id)
    media = media_repository.get_media(store, media_id) if media_id is not None else None
    if media is None:
        raise MediaError(store.path, f"document {document_id} has no recording")
    return media


def missing_recording(store: ProjectStore, document_id: int) -> MissingRecording | None:
    """What is missing, or None when the recording is found (or the document has none, or it is embedded)."""
    media_id = document_repository.document_media_id(store, document_id)
    media = media_repository.get_media(store, media_id) if media_id is not None else None
    if media is None or media.embedded or media_repository.locate_media(store, media) is not None:
        return None
    last = media.abs_path or (str(store.folder / media.rel_path) if media.rel_path else media.file_name)
    return MissingRecording(document_id, media.id, media.file_name, last, media.size)


def is_same_recording(store: ProjectStore, document_id: int, candidate: Path) -> bool:
    """Whether ``candidate`` has the content of the document's recording (size first, then sha256)."""
    media = recording(store, document_id)
    _check_readable(candidate)
    return candidate.stat().st_size == media.size and file_sha256(candidate) == media.sha256


def _check_readable(candidate: Path) -> None:
    if not candidate.is_file():
        raise MediaError(candidate, "does not exist or is not a file")


def relink(store: ProjectStore, document_id: int, candidate: Path, *, accept_different: bool = False) -> Path:
    """Link the document's recording to ``candidate``; a different recording needs ``accept_different``."""
    require_writable(store)
    candidate = Path(candidate)
    media = recording(store, document_id)
    if is_same_recording(store, document_id, candidate):
        values: dict[str, object] = {}
        label = f"Relink {media.file_name}"
    elif not accept_different:
        raise MediaError(
            candidate,
            f"is not the same recording as {media.file_name} (its content differs); pick the original file, "
            "or choose to use this one instead",
        )
    else:
        info = probe_media(candidate)  # raises MediaError when it is not playable audio
        values = media_repository.media_row(store, candidate, info)
        del values["added"]  # the recording was added when the document was; only what it is changes
        label = f"Replace recording {media.file_name} with {candidate.name}"
    values.update(media_repository.media_location(store, candidate))
    with guarded(store.path), store.journal.action(label) as changes:
        changes.update("media", media.id, values)
    return candidate.resolve()


@dataclass(frozen=True)
class FolderSearch:
    """Search ``folder`` (and below) for the recording; ``on_progress(files_looked_at)`` may raise CancelledError."""

    folder: Path
    limit: int = FOLDER_SEARCH_LIMIT
    on_progress: Callable[[int], None] | None = None


def find_in_folder(media: MediaRecord, search: FolderSearch) -> Path | None:
    """The first file under the folder with the recording's size and sha256, or None (no study access: any thread)."""
    if not search.folder.is_dir():
        raise VerbatimError(search.folder, "is not a folder")
    looked = 0
    for root, dirs, files in os.walk(search.folder):
        dirs.sort()
        for name in sorted(files):
            looked += 1
            if looked > search.limit:
                return None
            if search.on_progress is not None and looked % 500 == 0:
                search.on_progress(looked)
            if (found := _matches(Path(root) / name, media)) is not None:
                return found
    return None


def _matches(candidate: Path, media: MediaRecord) -> Path | None:
    try:
        same = candidate.stat().st_size == media.size and file_sha256(candidate) == media.sha256
    except OSError:
        return None
    return candidate if same else None


def search_and_relink(store: ProjectStore, document_id: int, search: FolderSearch) -> Path | None:
    """Search the folder and relink to what is found; None when nothing matched."""
    try:
        found = find_in_folder(recording(store, document_id), search)
    except CancelledError:
        return None
    return relink(store, document_id, found) if found is not None else None
