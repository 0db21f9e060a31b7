"""Counts in messages: "1 turn", "3 turns"."""

from __future__ import annotations


def plural(count: int, word: str) -> str:
    """``count`` and ``word``, with an s unless the count is one (regular English plurals only)."""
    return f"{count} {word}{'' if count == 1 else 's'}"
