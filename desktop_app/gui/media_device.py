"""A read-only ``QIODevice`` over a seekable binary stream, for ``QMediaPlayer.setSourceDevice``.

An embedded recording is read straight from the study (``security_service.open_document_media``)
through this device, so an encrypted study plays with no plain audio written anywhere, temporary
files included. Qt's media backend may read from its own thread: every access to the stream goes
through one lock.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PySide6.QtCore import QIODevice, QObject

from desktop_app.services import security_service, waveform_service
from desktop_app.services.project_service import ProjectStore


class StreamDevice(QIODevice):
    """Random-access, read-only device; closing it closes the stream."""

    def __init__(self, stream: BinaryIO, name: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stream = stream
        self._lock = threading.Lock()
        self.name = name or str(getattr(stream, "name", "") or "recording")
        with self._lock:
            self._size = stream.seek(0, io.SEEK_END)
            stream.seek(0)
        self._position = 0
        self.open(QIODevice.OpenModeFlag.ReadOnly | QIODevice.OpenModeFlag.Unbuffered)

    # ----- QIODevice ---------------------------------------------------------------------
    def isSequential(self) -> bool:  # noqa: N802 - Qt API
        return False

    def size(self) -> int:
        return self._size

    def bytesAvailable(self) -> int:  # noqa: N802 - Qt API
        return max(0, self._size - self._position)

    def pos(self) -> int:
        return self._position

    def atEnd(self) -> bool:  # noqa: N802 - Qt API
        return self._position >= self._size

    def seek(self, pos: int) -> bool:
        if pos < 0 or pos > self._size:
            return False
        self._position = pos
        return super().seek(pos)

    def readData(self, maxlen: int) -> bytes:  # noqa: N802 - Qt API
        """Read up to ``maxlen`` bytes at the device's position."""
        with self._lock:
            if self._stream.closed:
                return b""
            self._stream.seek(self._position)
            data = self._stream.read(max(0, min(maxlen, self._size - self._position))) or b""
            self._position += len(data)
            return data

    def writeData(self, _data: bytes, _len: int = 0) -> int:  # noqa: N802 - Qt API
        return -1

    def close(self) -> None:
        super().close()
        with self._lock:
            if not self._stream.closed:
                self._stream.close()


@dataclass(frozen=True)
class DocumentMedia:
    """How to play a document's recording: a file ``path``, or (embedded) an ``opener`` of a stream."""

    path: Path
    opener: Callable[[], BinaryIO] | None = None

    @property
    def embedded(self) -> bool:
        return self.opener is not None

    def device(self) -> StreamDevice:
        """A fresh device on its own connection to the study (embedded recordings only)."""
        if self.opener is None:
            raise ValueError(f"{self.path} is a file: play it by path")
        return StreamDevice(self.opener(), self.path.name)

    def peaks(self) -> np.ndarray:
        """The waveform overview, read the same way as playback (no plain audio on disk)."""
        if self.opener is None:
            return waveform_service.compute_peaks(self.path)
        with self.opener() as stream:
            return waveform_service.compute_peaks(stream)  # type: ignore[arg-type]


def document_media(store: ProjectStore, document_id: int) -> DocumentMedia:
    """Where a document's recording plays from; raises MediaError when it has none or it is missing."""
    path, opener = security_service.engine_audio(store, document_id)
    return DocumentMedia(Path(path), opener)
