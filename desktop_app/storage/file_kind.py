"""What a file that is not a study is, so opening it can say so.

An encrypted study is 16 random bytes and then ciphertext: nothing recognisable. Asking for a
passphrase is right for such a file, but wrong for a Word document or a recording picked by
mistake, which would otherwise get "wrong passphrase, check Caps Lock". This names the common
kinds by their first bytes (and a zip's contents), so the user hears what they opened.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

# (magic at offset 0, what it is); longer, more specific magics first.
_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"{\\rtf", "a rich-text (RTF) document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Office document (.doc/.xls)"),
    (b"fLaC", "a recording (FLAC audio)"),
    (b"OggS", "a recording (Ogg audio)"),
    (b"ID3", "a recording (MP3 audio)"),
    (b"\xff\xfb", "a recording (MP3 audio)"),
    (b"\xff\xf3", "a recording (MP3 audio)"),
    (b"\xff\xf1", "a recording (AAC audio)"),
    (b"\x1a\x45\xdf\xa3", "a recording (WebM/Matroska)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)
_ZIP_MEMBERS = (
    ("word/document.xml", "a Word document (.docx)"),
    ("xl/workbook.xml", "an Excel workbook (.xlsx)"),
    ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)"),
    ("project.qde", "a REFI-QDA project (.qdpx): create a study and import it"),
    ("content.xml", "an OpenDocument file"),
)
TEXT_SAMPLE = 4096


def describe(path: Path) -> str | None:
    """What ``path`` is when it is recognisably not a study (``"a Word document (.docx)"``); else None.

    None for SQLite files and for anything that could be an encrypted study.
    """
    with Path(path).open("rb") as handle:
        head = handle.read(TEXT_SAMPLE)
    if not head or head.startswith(b"SQLite format 3\x00"):
        return None
    for magic, kind in _MAGICS:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] in (b"WAVE", b"AVI "):
        return "a recording (WAV audio)" if head[8:12] == b"WAVE" else "a recording (AVI video)"
    if head[4:8] == b"ftyp":
        return "a recording (MP4/M4A)"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(Path(path))
    if _is_text(head):
        return "a text file"
    return None


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return "a zip archive"
    return next((kind for member, kind in _ZIP_MEMBERS if member in names), "a zip archive")


def _is_text(head: bytes) -> bool:
    """UTF-8 (or UTF-16 with a byte-order mark) text; random bytes almost never decode as either.

    A byte-order mark alone is not enough: an encrypted study is random bytes, and one in 32,768 begins
    with FF FE or FE FF; called text, it could never be opened. So the rest must decode as UTF-16 too.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        body = head[2 : len(head) - len(head) % 2]
        try:
            body.decode("utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be")
        except UnicodeDecodeError as exc:  # a surrogate pair cut in two at the sample's end is still text
            return exc.start >= len(body) - 2 and len(head) == TEXT_SAMPLE
        return True
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # the sample may cut a character in two at its end
        return exc.start >= len(head) - 3 and len(head) == TEXT_SAMPLE
    return b"\x00" not in head
