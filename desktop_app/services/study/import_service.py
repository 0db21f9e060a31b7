"""Bring recordings into a study: probe each file first, then add it in one undoable step.

Probing happens before anything is written, so a bad file never changes the study; each good
file is committed on its own, so one bad file in a batch does not cost the others.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.document import DocumentInfo
from desktop_app.core.errors import MediaError, VerbatimError
from desktop_app.pipeline.media_probe import probe_media
from desktop_app.services.study.project_service import require_writable
from desktop_app.storage.connection import guarded
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import document_repository, media_repository

AUDIO_SUFFIXES = {".wav", ".mp3", ".m4a", ".aac", ".flac", ".ogg", ".opus", ".oga", ".wma", ".aif", ".aiff"}
VIDEO_SUFFIXES = {".mp4", ".mov", ".webm", ".mkv", ".avi", ".m4v"}
MEDIA_SUFFIXES = AUDIO_SUFFIXES | VIDEO_SUFFIXES


@dataclass
class ImportResult:
    imported: list[DocumentInfo] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already in the study
    failed: list[VerbatimError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def import_recordings(
    store: ProjectStore,
    files: Iterable[Path],
    on_file: Callable[[Path, int, int], None] | None = None,
) -> ImportResult:
    """Add each recording as a new document titled after its file name."""
    require_writable(store)
    paths = [Path(f) for f in files]
    result = ImportResult()
    for index, path in enumerate(paths):
        if on_file is not None:
            on_file(path, index, len(paths))
        try:
            _import_one(store, path, result)
        except VerbatimError as exc:
            result.failed.append(exc)
    return result


def _import_one(store: ProjectStore, path: Path, result: ImportResult) -> None:
    _check_name(path)
    info = probe_media(path)
    existing = media_repository.find_media_by_hash(store, info.sha256)
    if existing is not None:
        result.skipped.append(f"{path}: already in the study as {existing.file_name}")
        return
    with guarded(store.path), store.journal.action(f"Import {path.name}") as changes:
        media_id = media_repository.add_media(changes, store, path, info)
        document_id = document_repository.add_document(changes, store, path.stem, media_id)
    document = document_repository.get_document(store, document_id)
    if document is None:  # pragma: no cover - just committed
        raise MediaError(path, "was imported but cannot be read back")
    result.imported.append(document)


def _check_name(path: Path) -> None:
    """The study keeps a recording's name and path as text: bytes that are not UTF-8 cannot be kept."""
    try:
        str(path.resolve()).encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(path).decode("utf-8", "backslashreplace")  # readable on any terminal
        problem = "has a name that is not valid UTF-8 text; rename the file (or its folder) and import it again"
        raise MediaError(shown, problem) from None


def expand_media_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders are searched (not recursively) for files with a media suffix."""
    expanded: list[Path] = []
    for path in paths:
        if path.is_dir():
            expanded.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in MEDIA_SUFFIXES))
        else:
            expanded.append(path)
    return expanded
