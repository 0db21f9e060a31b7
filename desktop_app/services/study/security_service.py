"""Encrypted studies and embedded recordings: the use cases behind ``verbatim encrypt|decrypt|rekey``.

A passphrase cannot be recovered: Verbatim keeps no copy of it and there is no back door. An
embedded recording is read from the study itself (a seekable stream), so an encrypted study with
embedded media never puts plain audio on disk, temporary files included.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from desktop_app.core.errors import MediaError, ProjectError
from desktop_app.services.study import backup_service, document_service
from desktop_app.services.study.backup_service import BackupsReencrypted
from desktop_app.services.study.project_service import require_writable
from desktop_app.storage import backups, encryption, media_blobs
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import document_repository, media_repository

FORGOTTEN_PASSPHRASE_WARNING = (
    "Keep the passphrase safe: if it is forgotten, the study cannot be opened by anyone, "
    "Verbatim's makers included. There is no way to recover it."
)


@dataclass(frozen=True)
class CopyResult:
    """The file written; ``backups``: what happened to the study's backups (encrypting in place only)."""

    path: Path
    seconds: float
    size: int
    backups: BackupsReencrypted | None = None


def is_encrypted(path: Path) -> bool:
    return encryption.is_encrypted(Path(path))


def encrypt_study(path: Path, passphrase: str, output: Path | None = None) -> CopyResult:
    """Encrypt a plain study: into ``output`` (the original kept) or in place (the plain file replaced).

    In place, the study must be closed everywhere (a window still editing it would go on writing to
    the plain file just replaced, and go on making plain backups), and its backups are re-encrypted
    with the new passphrase. A copy has no backups yet; the original keeps its own.
    """
    started = time.perf_counter()
    if output is not None:
        target = encryption.encrypt_copy(Path(path), Path(output), passphrase)
        return CopyResult(target, time.perf_counter() - started, target.stat().st_size)
    encryption.check_passphrase(Path(path), passphrase)
    if not encryption.is_encrypted(Path(path)):  # an encrypted one is refused below, with its own message
        backups.require_closed(Path(path), None).conn.close()
    target = encryption.encrypt_in_place(Path(path), passphrase)
    rewritten = backup_service.reencrypt_backups(target, None, passphrase)
    return CopyResult(target, time.perf_counter() - started, target.stat().st_size, rewritten)


def decrypt_study(path: Path, passphrase: str, output: Path) -> CopyResult:
    """Write a plain copy of an encrypted study; the encrypted study is left as it is."""
    started = time.perf_counter()
    target = encryption.decrypt_copy(Path(path), Path(output), passphrase)
    return CopyResult(target, time.perf_counter() - started, target.stat().st_size)


def rekey_study(path: Path, old_passphrase: str, new_passphrase: str) -> BackupsReencrypted:
    with ProjectStore.open(Path(path), passphrase=old_passphrase) as store:
        return change_passphrase(store, new_passphrase)


def change_passphrase(store: ProjectStore, new_passphrase: str) -> BackupsReencrypted:
    """Change the passphrase of an open encrypted study, then of its backups (the old one opens none of them).

    The caller stops its own periodic backups first: one written meanwhile would keep the old passphrase.
    """
    require_writable(store)
    if store.passphrase is None:
        raise ProjectError(store.path, "is not encrypted: encrypt it first")
    old_passphrase = store.passphrase
    encryption.rekey(store.db, store.path, new_passphrase)
    store.passphrase = new_passphrase
    return backup_service.reencrypt_backups(store.path, old_passphrase, new_passphrase)


def embed_document_media(store: ProjectStore, document_id: int) -> int:
    """Copy a document's recording into the study; return the bytes stored (0 if already embedded)."""
    require_writable(store)
    media = _media(store, document_id)
    if media.embedded:
        return 0
    return media_blobs.embed_media_file(store, media.id, document_service.media_path(store, document_id))


@dataclass(frozen=True)
class SeparateRecording:
    """A recording kept as a file beside the study, not inside it: encrypting the study leaves it readable."""

    document_id: int
    title: str
    file_name: str
    size: int


def separate_recordings(store: ProjectStore) -> list[SeparateRecording]:
    """The study's recordings that are files of their own (not embedded), in document order."""
    found = []
    for document in document_repository.list_documents(store):
        media_id = document_repository.document_media_id(store, document.id)
        media = media_repository.get_media(store, media_id) if media_id is not None else None
        if media is not None and not media.embedded:
            found.append(SeparateRecording(document.id, document.title, media.file_name, media.size))
    return found


def open_document_media(store: ProjectStore, document_id: int) -> BinaryIO:
    """A seekable binary stream of the recording (from the study when embedded), for playback."""
    media = _media(store, document_id)
    if media.embedded:
        return media_blobs.open_media_blob(store, media.id)  # type: ignore[return-value]
    return document_service.media_path(store, document_id).open("rb")


def engine_audio(store: ProjectStore, document_id: int) -> tuple[Path, Callable[[], BinaryIO] | None]:
    """What the engine child reads: a file path, or (embedded) a name and an opener it calls itself.

    The opener carries the study's path and passphrase to the child through multiprocessing's pipe.
    """
    media = _media(store, document_id)
    if not media.embedded:
        return document_service.media_path(store, document_id), None
    opener = media_blobs.EmbeddedMediaOpener(store.path.resolve(), media.id, store.passphrase)
    return Path(media.file_name), opener  # type: ignore[return-value]


def media_label(store: ProjectStore, document_id: int) -> Path:
    """How to name a document's recording in a message."""
    media = _media(store, document_id)
    if media.embedded:
        return Path(media.file_name)
    return document_service.media_path(store, document_id)


def _media(store: ProjectStore, document_id: int) -> media_repository.MediaRecord:
    media_id = document_repository.document_media_id(store, document_id)
    media = media_repository.get_media(store, media_id) if media_id is not None else None
    if media is None:
        raise MediaError(store.path, f"document {document_id} has no recording")
    return media
