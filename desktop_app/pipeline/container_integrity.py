"""What a WAV or Ogg file's own structure says about whether it is complete.

FFmpeg hides truncation in these two containers: for a WAV whose ``data`` chunk claims more bytes
than the file holds it reports the length of what is there, and an Ogg file has no length in any
header at all (FFmpeg reads the last page's position), so a cut-off copy decodes without an error
into a shorter recording. Reading the few header bytes ourselves tells the two apart.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

# A ``data`` size a recorder writes while it is still recording (and never fixes if it crashes).
_UNKNOWN_WAV_SIZES = {0, 0xFFFFFFFF}
_OGG_HEADER = struct.Struct("<4sBBqIIIB")  # capture, version, flags, granule, serial, sequence, crc, segments


def wav_declared_seconds(path: Path) -> float | None:
    """Seconds of audio the RIFF header's ``data`` chunk declares; None when it declares none."""
    with path.open("rb") as file:
        if file.read(12)[:4] != b"RIFF":
            return None  # RF64 and other variants keep their sizes elsewhere
        byte_rate = 0
        while header := file.read(8):
            if len(header) < 8:
                return None
            chunk, size = struct.unpack("<4sI", header)
            if chunk == b"fmt ":
                byte_rate = _wav_byte_rate(file, size)
            elif chunk == b"data":
                return None if size in _UNKNOWN_WAV_SIZES or byte_rate <= 0 else size / byte_rate
            else:
                file.seek(size + size % 2, 1)  # chunks are padded to an even length
    return None


def _wav_byte_rate(file: BinaryIO, size: int) -> int:
    fmt = file.read(size + size % 2)
    return int(struct.unpack_from("<I", fmt, 8)[0]) if len(fmt) >= 12 else 0


def ogg_incomplete_page(path: Path) -> int | None:
    """Byte offset of an Ogg page that the file ends part-way through (a cut-off copy), else None.

    Walks the page headers only, seeking over the payloads, so a long recording costs a few
    milliseconds. Anything that is not a page (a tag appended after the last page, damage in
    the middle) ends the walk without a verdict: only a page cut short proves truncation.
    """
    size = path.stat().st_size
    with path.open("rb") as file:
        offset = 0
        while offset < size:
            file.seek(offset)
            head = file.read(_OGG_HEADER.size)
            if len(head) < _OGG_HEADER.size:
                return offset if b"OggS".startswith(head[:4]) else None
            capture, version, *_, segments = _OGG_HEADER.unpack(head)
            if capture != b"OggS" or version != 0:
                return None
            lacing = file.read(segments)
            end = offset + _OGG_HEADER.size + segments + sum(lacing)
            if len(lacing) < segments or end > size:
                return offset
            offset = end
    return None
