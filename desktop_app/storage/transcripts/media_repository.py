"""Recordings linked (or embedded) in a study, and finding them again when folders move."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.document import MediaInfo
from desktop_app.core.file_hash import file_sha256
from desktop_app.storage.journal import ChangeSet, now_iso
from desktop_app.storage.project_store import ProjectStore

RELINK_SEARCH_LIMIT = 5000  # files looked at when searching a moved study folder for a recording


@dataclass(frozen=True)
class MediaRecord:
    id: int
    file_name: str
    rel_path: str | None
    abs_path: str | None
    sha256: str
    size: int
    duration: float
    codec: str
    embedded: bool


def media_location(store: ProjectStore, path: Path) -> dict[str, str | None]:
    """``abs_path`` and ``rel_path`` (relative to the study's folder; None on another drive) of a recording."""
    absolute = path.resolve()
    try:
        relative: str | None = os.path.relpath(absolute, store.folder)
    except ValueError:  # another drive on Windows
        relative = None
    return {"abs_path": str(absolute), "rel_path": relative}


def media_row(store: ProjectStore, source: Path, info: MediaInfo) -> dict[str, object]:
    """The ``media`` row for a probed recording, linked by absolute and study-relative path."""
    return {
        "file_name": info.file_name,
        **media_location(store, source),
        "sha256": info.sha256,
        "size": info.size,
        "duration": info.duration,
        "codec": info.codec,
        "channels": info.channels,
        "sample_rate": info.sample_rate,
        "container": info.container,
        "added": now_iso(),
    }


def add_media(changes: ChangeSet, store: ProjectStore, source: Path, info: MediaInfo) -> int:
    return changes.insert("media", media_row(store, source, info))


def get_media(store: ProjectStore, media_id: int) -> MediaRecord | None:
    row = store.db.execute(
        "SELECT id, file_name, rel_path, abs_path, sha256, size, duration, codec, embedded FROM media WHERE id = ?",
        [media_id],
    ).fetchone()
    if row is None:
        return None
    return MediaRecord(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], bool(row[8]))


def find_media_by_hash(store: ProjectStore, sha256: str) -> MediaRecord | None:
    row = store.db.execute("SELECT id FROM media WHERE sha256 = ? ORDER BY id LIMIT 1", [sha256]).fetchone()
    return get_media(store, int(row[0])) if row else None


def locate_media(store: ProjectStore, media: MediaRecord) -> Path | None:
    """Find the recording: absolute path, then relative to the study, then by hash nearby.

    A recording found in a new place is relinked in the project (not journaled: it is housekeeping,
    not a user edit).
    """
    candidates = []
    if media.abs_path:
        candidates.append(Path(media.abs_path))
    if media.rel_path:
        candidates.append(store.folder / media.rel_path)
    for candidate in candidates:
        if candidate.is_file() and candidate.stat().st_size == media.size:
            if str(candidate.resolve()) != media.abs_path and not store.readonly:
                _relink(store, media.id, candidate)
            return candidate
    found = _search_by_hash(store.folder, media)
    if found is not None and not store.readonly:
        _relink(store, media.id, found)
    return found


def _search_by_hash(folder: Path, media: MediaRecord) -> Path | None:
    looked = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            looked += 1
            if looked > RELINK_SEARCH_LIMIT:
                return None
            candidate = Path(root) / name
            try:
                if candidate.stat().st_size == media.size and file_sha256(candidate) == media.sha256:
                    return candidate
            except OSError:
                continue
    return None


def _relink(store: ProjectStore, media_id: int, found: Path) -> None:
    location = media_location(store, found)
    with store.db.atomic():
        store.db.execute(
            "UPDATE media SET abs_path = ?, rel_path = ? WHERE id = ?",
            [location["abs_path"], location["rel_path"], media_id],
        )
