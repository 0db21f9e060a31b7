"""Keep word timings through text edits: re-anchor a segment's words to its new text by a token diff.

Unchanged tokens keep their word (times, probability, speaker). Tokens that match only when case and
punctuation are ignored, or that replace the same number of words one for one, keep the old word's time
and become ``edited``. Other new tokens get times spread over the words they replace, or over the gap
between their heard neighbours. Deleted tokens disappear. Scripts written without spaces (Chinese,
Japanese, Thai...) are cut into the old words where they still occur, else one character at a time.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import replace
from difflib import SequenceMatcher
from enum import Enum
from typing import NamedTuple

from desktop_app.core.transcript import Segment, Word

_CHUNK = re.compile(r"\S+")
# Scripts written without spaces between words, plus CJK punctuation and full-width forms.
_NO_SPACE_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3000, 0x30FF),  # CJK punctuation, Hiragana, Katakana
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
    (0x20000, 0x3FFFF),
)


_NO_SPACE_CHAR = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _NO_SPACE_RANGES) + "]")


class Token(NamedTuple):
    """A word of the text with its code-point span ``[start, end)``."""

    text: str
    start: int
    end: int


class MatchKind(Enum):
    EXACT = "exact"  # same text: the old word is kept as it is
    LOOSE = "loose"  # same apart from case and punctuation: old time, new text
    POSITIONAL = "positional"  # one-for-one replacement: old time, new text


class TokenMatch(NamedTuple):
    old_index: int
    new_index: int
    kind: MatchKind


def is_no_space_char(char: str) -> bool:
    """True for characters of scripts that do not separate words by spaces."""
    return _NO_SPACE_CHAR.match(char) is not None


def has_no_space_chars(text: str) -> bool:
    """True if ``text`` holds any character of a script written without spaces."""
    return _NO_SPACE_CHAR.search(text) is not None


def _unit_end(text: str, index: int) -> int:
    """End of the character at ``index`` together with the combining marks that follow it."""
    index += 1
    while index < len(text) and unicodedata.category(text[index]).startswith("M"):
        index += 1
    return index


def _split_no_space_chunk(chunk: str, offset: int, vocabulary: Collection[str]) -> list[Token]:
    lengths = sorted({len(v) for v in vocabulary if v}, reverse=True)
    tokens: list[Token] = []
    i = 0
    while i < len(chunk):
        known = next((n for n in lengths if chunk[i : i + n] in vocabulary), 0)
        if known:
            end = i + known
        elif is_no_space_char(chunk[i]):
            end = _unit_end(chunk, i)
        else:
            end = _unit_end(chunk, i)
            while end < len(chunk) and not is_no_space_char(chunk[end]):
                end = _unit_end(chunk, end)
        tokens.append(Token(chunk[i:end], offset + i, offset + end))
        i = end
    return tokens


def tokenize(text: str, vocabulary: Collection[str] = frozenset()) -> list[Token]:
    """Split ``text`` at whitespace; runs of space-less scripts are cut into ``vocabulary`` words or characters."""
    if not has_no_space_chars(text):
        return [Token(found.group(), found.start(), found.end()) for found in _CHUNK.finditer(text)]
    tokens: list[Token] = []
    for found in _CHUNK.finditer(text):
        chunk = found.group()
        if has_no_space_chars(chunk):
            tokens.extend(_split_no_space_chunk(chunk, found.start(), vocabulary))
        else:
            tokens.append(Token(chunk, found.start(), found.end()))
    return tokens


def loose_key(text: str) -> str:
    """A token's text with case, compatibility forms and punctuation/symbols ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in folded if not unicodedata.category(c).startswith(("P", "S")))


def align_tokens(old: Sequence[str], new: Sequence[str]) -> list[TokenMatch]:
    """Pair old and new tokens in order: exact matches first, then loose, then one-for-one replacements."""
    matches: list[TokenMatch] = []
    exact = SequenceMatcher(None, list(old), list(new), autojunk=False)
    for tag, i1, i2, j1, j2 in exact.get_opcodes():
        if tag == "equal":
            matches += [TokenMatch(i1 + k, j1 + k, MatchKind.EXACT) for k in range(i2 - i1)]
        elif tag == "replace":
            matches += _align_loose(old[i1:i2], new[j1:j2], i1, j1)
    return matches


def _align_loose(old: Sequence[str], new: Sequence[str], i0: int, j0: int) -> list[TokenMatch]:
    matches: list[TokenMatch] = []
    loose = SequenceMatcher(None, [loose_key(t) for t in old], [loose_key(t) for t in new], autojunk=False)
    for tag, i1, i2, j1, j2 in loose.get_opcodes():
        if tag == "equal":
            kind = MatchKind.LOOSE
        elif tag == "replace" and i2 - i1 == j2 - j1:
            kind = MatchKind.POSITIONAL
        else:
            continue
        matches += [TokenMatch(i0 + i1 + k, j0 + j1 + k, kind) for k in range(i2 - i1)]
    return matches


def word_char_spans(text: str, words: Sequence[Word]) -> list[tuple[int, int] | None]:
    """Each word's ``(start, end)`` code-point span in ``text``, or None where the text no longer has it."""
    word_texts = [w.text for w in words]
    tokens = tokenize(text, set(word_texts))
    if [t.text for t in tokens] == word_texts:
        return [(t.start, t.end) for t in tokens]
    spans: list[tuple[int, int] | None] = [None] * len(words)
    for match in align_tokens(word_texts, [t.text for t in tokens]):
        token = tokens[match.new_index]
        spans[match.old_index] = (token.start, token.end)
    return spans


def word_index_at_offset(spans: Sequence[tuple[int, int] | None], offset: int) -> int | None:
    """Index of the word whose span holds ``offset`` (or ends right at it), for clicks in the editor."""
    for index, span in enumerate(spans):
        if span is not None and span[0] <= offset <= span[1]:
            return index
    return None


def word_index_at_time(words: Sequence[Word], seconds: float) -> int | None:
    """Index of the word being spoken at ``seconds`` (the last one started), for playback highlighting."""
    index = bisect.bisect_right([w.start for w in words], seconds) - 1
    return index if index >= 0 else None


def reanchor_segment(segment: Segment, new_text: str) -> Segment:
    """A copy of ``segment`` with ``new_text`` and its words re-anchored (start, end, speaker and id kept)."""
    return replace(segment, text=new_text, words=reanchor_words(segment, new_text))


def reanchor_words(segment: Segment, new_text: str) -> list[Word]:
    """New words for ``new_text``: heard words keep their times; typed ones are placed between them."""
    old = segment.words
    tokens = tokenize(new_text, {w.text for w in old})
    placed: list[Word | None] = [None] * len(tokens)
    matches = align_tokens([w.text for w in old], [t.text for t in tokens])
    for match in matches:
        word = old[match.old_index]
        if match.kind is MatchKind.EXACT:
            placed[match.new_index] = replace(word)
        else:
            text = tokens[match.new_index].text
            placed[match.new_index] = replace(word, text=text, probability=1.0, edited=True)
    _fill_gaps(segment, tokens, placed, matches)
    return [w for w in placed if w is not None]


def _fill_gaps(segment: Segment, tokens: list[Token], placed: list[Word | None], matches: list[TokenMatch]) -> None:
    first = TokenMatch(-1, -1, MatchKind.EXACT)
    last = TokenMatch(len(segment.words), len(tokens), MatchKind.EXACT)
    bounds = [first, *matches, last]
    for before, after in zip(bounds, bounds[1:], strict=False):
        if after.new_index - before.new_index > 1:
            gap = range(before.new_index + 1, after.new_index)
            neighbours = (
                placed[before.new_index] if before.new_index >= 0 else None,
                placed[after.new_index] if after.new_index < len(tokens) else None,
            )
            replaced = segment.words[before.old_index + 1 : after.old_index]
            typed = _typed_words(segment, [tokens[j] for j in gap], replaced, neighbours)
            placed[gap.start : gap.stop] = typed


def _typed_words(
    segment: Segment,
    gap_tokens: list[Token],
    replaced: Sequence[Word],
    neighbours: tuple[Word | None, Word | None],
) -> list[Word]:
    """Words for typed tokens: spread over the words they replace, else over the gap between neighbours."""
    prev_word, next_word = neighbours
    low = prev_word.end if prev_word else segment.start
    high = max(low, next_word.start if next_word else segment.end)
    if replaced:
        low = min(max(min(w.start for w in replaced), low), high)
        high = min(max(max(w.end for w in replaced), low), high)
    candidates = (*replaced[:1], prev_word, next_word)
    speaker = next((w.speaker for w in candidates if w is not None and w.speaker is not None), segment.speaker)
    times = spread_times(low, high, [len(t.text) for t in gap_tokens])
    pairs = zip(gap_tokens, times, strict=True)
    return [Word(start, end, t.text, 1.0, speaker, edited=True) for t, (start, end) in pairs]


def spread_times(low: float, high: float, weights: Sequence[int]) -> list[tuple[float, float]]:
    """Cut ``[low, high]`` into consecutive pieces proportional to ``weights`` (each at least 1)."""
    total = sum(max(1, w) for w in weights)
    edges = [low]
    running = 0
    for weight in weights:
        running += max(1, weight)
        edges.append(min(high, low + (high - low) * running / total))
    edges[-1] = high
    return [(edges[k], max(edges[k], edges[k + 1])) for k in range(len(weights))]
