"""Recordings embedded in the study as chunked blobs, read back as a seekable file: no temp files.

An embedded recording lives in ``media_chunks`` (``seq`` 0, 1, ...; 1 MiB each but the last), so
an encrypted study is one file that holds recordings, transcripts and codes. :class:`MediaBlobReader`
is an :class:`io.RawIOBase` over those chunks that PyAV (decoding) and Qt (playback) can read and
seek in; at most one chunk is held in memory.
"""

from __future__ import annotations

import bisect
import hashlib
import io
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.core.errors import MediaError
from desktop_app.storage.connection import OpenOptions, guarded, open_project_db
from desktop_app.storage.project_store import ProjectStore

CHUNK_SIZE = 1 << 20
INSERT_CHUNK = "INSERT INTO media_chunks (media_id, seq, data) VALUES (?, ?, ?)"


def embed_media_file(store: ProjectStore, media_id: int, source: Path, chunk_size: int = CHUNK_SIZE) -> int:
    """Copy the recording ``source`` into the study as media ``media_id``; return the bytes stored.

    The file must be the one imported (same size and sha256). All chunks and the ``embedded`` flag
    commit together, so a crash leaves the media either fully embedded or linked as before.
    """
    row = store.db.execute("SELECT sha256, size FROM media WHERE id = ?", [media_id]).fetchone()
    if row is None:
        raise MediaError(store.path, f"has no recording with id {media_id}")
    expected_sha, expected_size = row
    digest = hashlib.sha256()
    stored = 0
    try:
        with guarded(store.path), store.db.atomic(), Path(source).open("rb") as handle:
            store.db.execute("DELETE FROM media_chunks WHERE media_id = ?", [media_id])
            for seq, data in enumerate(iter(lambda: handle.read(chunk_size), b"")):
                digest.update(data)
                stored += len(data)
                store.db.execute(INSERT_CHUNK, [media_id, seq, data])
            if stored != expected_size or digest.hexdigest() != expected_sha:
                raise MediaError(source, "has changed since it was imported; it was not embedded")
            store.db.execute("UPDATE media SET embedded = 1 WHERE id = ?", [media_id])
    except OSError as exc:
        raise MediaError(source, f"cannot be read: {exc.strerror or exc}") from exc
    return stored


def is_embedded(store: ProjectStore, media_id: int) -> bool:
    row = store.db.execute("SELECT embedded FROM media WHERE id = ?", [media_id]).fetchone()
    return bool(row and row[0])


def embedded_bytes(store: ProjectStore) -> int:
    """Bytes of recordings held in the study."""
    return int(store.db.execute("SELECT coalesce(sum(length(data)), 0) FROM media_chunks").fetchone()[0])


def open_media_blob(store: ProjectStore, media_id: int) -> MediaBlobReader:
    """A seekable reader over an embedded recording, on the store's connection."""
    if not is_embedded(store, media_id):
        raise MediaError(store.path, f"recording {media_id} is not embedded in the study")
    return MediaBlobReader(store.db.conn, media_id, name=_file_name(store.db.conn, media_id))


class MediaBlobReader(io.RawIOBase):
    """A read-only, seekable file over one recording's chunks."""

    def __init__(
        self, conn: sqlite3.Connection, media_id: int, *, name: str = "", on_close: Callable[[], None] | None = None
    ) -> None:
        super().__init__()
        self._conn = conn
        self._media_id = media_id
        self.name = name
        self._on_close = on_close
        rows = conn.execute(
            "SELECT seq, length(data) FROM media_chunks WHERE media_id = ? ORDER BY seq", [media_id]
        ).fetchall()
        self._seqs = [int(seq) for seq, _ in rows]
        self._starts: list[int] = []
        total = 0
        for _, length in rows:
            self._starts.append(total)
            total += int(length)
        self.size = total
        self._position = 0
        self._cached: tuple[int, bytes] | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._require_open()
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._position = base + offset
        return self._position

    def readinto(self, buffer: Any) -> int:
        """Fill ``buffer`` across chunk boundaries; fewer bytes only at the end of the recording."""
        self._require_open()
        view = memoryview(buffer).cast("B")
        filled = 0
        while filled < len(view) and self._position < self.size:
            index = bisect.bisect_right(self._starts, self._position) - 1
            chunk = self._chunk(index)
            offset = self._position - self._starts[index]
            count = min(len(view) - filled, len(chunk) - offset)
            view[filled : filled + count] = chunk[offset : offset + count]
            filled += count
            self._position += count
        return filled

    def _require_open(self) -> None:
        if self.closed:
            raise ValueError(f"{self.name or 'recording'}: I/O operation on a closed file")

    def _chunk(self, index: int) -> bytes:
        if self._cached is None or self._cached[0] != index:
            row = self._conn.execute(
                "SELECT data FROM media_chunks WHERE media_id = ? AND seq = ?", [self._media_id, self._seqs[index]]
            ).fetchone()
            self._cached = (index, bytes(row[0]))
        return self._cached[1]

    def close(self) -> None:
        if not self.closed:
            self._cached = None
            if self._on_close is not None:
                self._on_close()
        super().close()


@dataclass(frozen=True)
class EmbeddedMediaOpener:
    """Opens an embedded recording from its own connection: picklable, for the engine's child process.

    The passphrase travels with the object (through multiprocessing's pipe, never argv or the
    environment) and is left out of its ``repr``.
    """

    project_path: Path
    media_id: int
    passphrase: str | None = field(default=None, repr=False)

    def __call__(self) -> MediaBlobReader:
        db = open_project_db(self.project_path, OpenOptions(readonly=True, passphrase=self.passphrase))
        conn = db.conn
        try:
            name = _file_name(conn, self.media_id)
            return MediaBlobReader(conn, self.media_id, name=name, on_close=conn.close)
        except BaseException:
            conn.close()
            raise


def _file_name(conn: sqlite3.Connection, media_id: int) -> str:
    row = conn.execute("SELECT file_name FROM media WHERE id = ?", [media_id]).fetchone()
    return str(row[0]) if row else f"recording {media_id}"
