"""Where a document's recording plays from: its file, or (embedded) its bytes read from the study.

An embedded recording, encrypted or not, is read from the study into memory and played from a ``QBuffer``:
no plain audio is written anywhere, temporary files included. The device is deliberately one implemented in
C++. Qt's media backend reads its source on threads of its own, so a ``QIODevice`` written in Python would need
the GIL there, while ``QMediaPlayer.stop()`` and ``setSource()`` keep the GIL on the GUI thread and wait for
those very threads: the two deadlock (it hung a CI run, and a stress loop reproduced it about once in forty).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from desktop_app.services.study import security_service
from desktop_app.services.study.project_service import ProjectStore
from desktop_app.services.transcript import waveform_service


@dataclass(frozen=True)
class DocumentMedia:
    """How to play a document's recording: a file ``path``, or (embedded) an ``opener`` of a stream."""

    path: Path
    opener: Callable[[], BinaryIO] | None = None

    @property
    def embedded(self) -> bool:
        return self.opener is not None

    def read_embedded(self) -> bytes:
        """The embedded recording's bytes, read on a connection of its own (call it off the GUI thread)."""
        if self.opener is None:
            raise ValueError(f"{self.path} is a file: play it by path")
        with self.opener() as stream:
            return stream.read()

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
