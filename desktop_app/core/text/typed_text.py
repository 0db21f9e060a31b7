"""Text as typed versus text as stored: positions between the two.

The store keeps a turn's text with its whitespace collapsed (``" ".join(text.split())``). While a
researcher types, the editor keeps exactly what was typed (a trailing space before the next word,
two spaces by accident) so nothing jumps under the cursor; word timings, codings and search hits are
positions in the stored text. These functions translate positions between the two forms (code points).
"""

from __future__ import annotations


def normalize(text: str) -> str:
    """The stored form of typed text: runs of whitespace become one space, none at either end."""
    return " ".join(text.split())


def _stored_positions(typed: str) -> list[int]:
    """For each character of ``normalize(typed)``, its position in ``typed``."""
    positions: list[int] = []
    in_space = True  # leading whitespace is dropped
    for index, char in enumerate(typed):
        if char.isspace():
            if not in_space:
                positions.append(index)
            in_space = True
        else:
            positions.append(index)
            in_space = False
    if positions and typed[positions[-1]].isspace():
        positions.pop()  # trailing whitespace is dropped
    return positions


def to_typed(typed: str, offset: int) -> int:
    """Position in ``typed`` of stored position ``offset`` (the end maps to just after the last word)."""
    if typed == normalize(typed):
        return max(0, min(offset, len(typed)))
    positions = _stored_positions(typed)
    if offset <= 0:
        return positions[0] if positions else 0
    if offset >= len(positions):
        return positions[-1] + 1 if positions else 0
    return positions[offset]


def to_stored(typed: str, position: int) -> int:
    """Stored position of ``position`` in ``typed`` (inside extra whitespace: the next word's start)."""
    if typed == normalize(typed):
        return max(0, min(position, len(typed)))
    positions = _stored_positions(typed)
    for stored, at in enumerate(positions):
        if at >= position:
            return stored
    return len(positions)
