"""Files for a ``.qdpx``'s ``sources/`` folder: recordings, plain texts of transcripts, text sources and notes.

REFI-QDA names each internal file after a GUID (``internal://<guid>.<ext>``); QualCoder reads a
transcript's and a note's text only from such a file (``plainTextPath``), never from inline content,
so every text the export carries goes here as UTF-8 without a BOM.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class InternalFile:
    """A file for the archive's ``sources/`` folder: from disk or from bytes."""

    name: str
    path: Path | None = None
    data: bytes | None = None


def text_file(files: list[InternalFile], guid: str, text: str) -> str:
    """Add ``<guid>.txt`` holding ``text`` to ``files``; returns its ``internal://`` URL."""
    name = f"{guid}.txt"
    files.append(InternalFile(name, data=text.encode("utf-8")))
    return f"internal://{name}"
