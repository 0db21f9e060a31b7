"""Reading a ``.qdpx`` safely: no member outside the archive's own folders, bounded sizes, no zip bombs.

Members are never extracted by their own names: the reader asks for ``project.qde`` and for
``sources/<name>`` (folder and name in any case) and copies what it needs to places it chooses.
An archive with absolute or ``..`` member paths, too many members, members over the limits, or a
compression ratio no real file has is refused as a whole with an ``ExportError`` naming it.
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from desktop_app.core.errors import ExportError


@dataclass(frozen=True)
class ImportLimits:
    """Bounds on what an import reads (bytes are uncompressed sizes)."""

    max_xml_bytes: int = 256 * 2**20
    max_text_bytes: int = 64 * 2**20
    max_media_bytes: int = 2**31 - 1
    max_total_bytes: int = 32 * 2**30
    max_members: int = 100_000
    max_ratio: int = 200  # uncompressed / compressed, checked for members over 1 MiB


def is_unsafe_member(name: str) -> bool:
    """True for a member path that could land outside a folder it is extracted to."""
    normalised = name.replace("\\", "/")
    path = PurePosixPath(normalised)
    return normalised.startswith("/") or ".." in path.parts or (len(normalised) > 1 and normalised[1] == ":")


class QdpxArchive:
    """An opened, checked ``.qdpx``."""

    def __init__(self, path: Path, limits: ImportLimits) -> None:
        self.path, self.limits = path, limits
        try:
            self._zip = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as exc:
            raise ExportError(path, f"not a readable .qdpx (zip) file: {exc}") from exc
        try:
            self._check()
        except ExportError:
            self._zip.close()
            raise
        self._sources = {
            PurePosixPath(i.filename).name.lower(): i
            for i in self._zip.infolist()
            if len(PurePosixPath(i.filename).parts) == 2 and PurePosixPath(i.filename).parts[0].lower() == "sources"
        }

    def _check(self) -> None:
        members = self._zip.infolist()
        if len(members) > self.limits.max_members:
            raise ExportError(self.path, f"refused: {len(members)} files in the archive")
        total = 0
        for info in members:
            if is_unsafe_member(info.filename):
                raise ExportError(self.path, f"refused: the archive holds an unsafe path {info.filename!r}")
            if info.file_size > 2**20 and info.file_size > self.limits.max_ratio * max(info.compress_size, 1):
                raise ExportError(self.path, f"refused: {info.filename!r} expands too much (a zip bomb?)")
            total += info.file_size
        if total > self.limits.max_total_bytes:
            raise ExportError(self.path, f"refused: the archive expands to {total // 2**20} MiB")

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> QdpxArchive:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _read(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        if info.file_size > limit:
            raise ExportError(self.path, f"refused: {info.filename!r} is over {limit // 2**20} MiB")
        try:
            return self._zip.read(info)
        except (OSError, zipfile.BadZipFile, RuntimeError) as exc:
            raise ExportError(self.path, f"cannot read {info.filename!r}: {exc}") from exc

    def project_xml(self) -> bytes:
        """The bytes of ``project.qde`` (any case; else the only ``.qde`` at the top)."""
        top = [
            i for i in self._zip.infolist() if "/" not in i.filename.strip("/") and i.filename.lower().endswith(".qde")
        ]
        named = [i for i in top if i.filename.lower() == "project.qde"]
        chosen = named or top
        if not chosen:
            raise ExportError(self.path, "no project.qde in the archive")
        return self._read(chosen[0], self.limits.max_xml_bytes)

    def source(self, name: str) -> zipfile.ZipInfo | None:
        """The member ``sources/<name>`` (case-insensitive), or None."""
        return self._sources.get(name.lower())

    def read_source_text(self, name: str) -> str | None:
        info = self.source(name)
        if info is None:
            return None
        return self._read(info, self.limits.max_text_bytes).decode("utf-8-sig", errors="replace")

    def extract_source(self, name: str, target: Path) -> Path | None:
        """Copy ``sources/<name>`` to ``target`` (a path the caller chose), streamed."""
        info = self.source(name)
        if info is None:
            return None
        if info.file_size > self.limits.max_media_bytes:
            raise ExportError(self.path, f"refused: {info.filename!r} is over the format's 2 GB limit")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with self._zip.open(info) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out, 2**20)
        except (OSError, zipfile.BadZipFile) as exc:
            target.unlink(missing_ok=True)
            raise ExportError(target, f"cannot extract {info.filename!r} from {self.path.name}: {exc}") from exc
        return target
