"""Which text of a turn an export shows: the original words, their English translation, or both.

A study's quotes may come from interviews in several languages; "english" shows a turn's stored
translation and falls back to the original where a turn has none (an interview held in English is
its own English). "both" writes "original (translation)", the form multi-country papers quote in.
"""

from __future__ import annotations

from enum import StrEnum


class TextLayer(StrEnum):
    ORIGINAL = "original"
    ENGLISH = "english"
    BOTH = "both"


TEXT_LAYERS = tuple(layer.value for layer in TextLayer)


def layered_text(original: str, translation: str | None, layer: TextLayer) -> str:
    """The text to write for ``layer``; ``translation`` is None (or empty) where the turn has none."""
    if layer is TextLayer.ORIGINAL or not translation:
        return original
    if layer is TextLayer.ENGLISH:
        return translation
    return f"{original} ({translation})" if original else translation
