"""Text positions in Unicode code points (ours) and UTF-16 code units (Qt's).

Python strings index code points; ``QTextCursor.position()`` and ``QString`` count UTF-16 units, where a
character outside the Basic Multilingual Plane (most emoji, some CJK) takes two. Positions given here are
clamped to the text, and a UTF-16 position in the middle of a surrogate pair rounds down to its character.
"""

from __future__ import annotations

_BMP_LIMIT = 0xFFFF


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (what Qt calls its length)."""
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


def _is_bmp_only(text: str) -> bool:
    return utf16_length(text) == len(text)


def codepoint_to_utf16(text: str, pos: int) -> int:
    """UTF-16 position of code-point position ``pos`` in ``text``."""
    pos = min(max(pos, 0), len(text))
    return utf16_length(text[:pos])


def utf16_to_codepoint(text: str, pos: int) -> int:
    """Code-point position of UTF-16 position ``pos`` in ``text`` (inside a surrogate pair: rounds down)."""
    if pos <= 0:
        return 0
    if _is_bmp_only(text):
        return min(pos, len(text))
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > _BMP_LIMIT else 1
        if units > pos:
            return index
        if units == pos:
            return index + 1
    return len(text)


def utf16_range_to_codepoints(text: str, start: int, end: int) -> tuple[int, int]:
    """Convert a UTF-16 selection ``[start, end)`` to code points (a pair cut in half stays inside)."""
    cp_start = utf16_to_codepoint(text, start)
    cp_end = utf16_to_codepoint(text, end)
    if codepoint_to_utf16(text, cp_end) < end:
        cp_end += 1
    return cp_start, min(cp_end, len(text))
