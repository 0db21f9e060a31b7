"""Turn edits as pure functions: split, merge, change speaker (of a turn or a stretch), adjust times, and a
new turn typed for talk the transcriber missed.

Results are new ``Segment`` objects; the first piece keeps the original id and new pieces have ``id=None``
until stored. Splits drop the whitespace at the cut and never cut a word in half. A split also returns a
:class:`PieceLayout` and a merge its offset ``shift``, which :mod:`span_tracking` uses to move codings.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from desktop_app.core.text.span_tracking import PieceLayout
from desktop_app.core.text.text_anchoring import reanchor_words, word_char_spans
from desktop_app.core.transcript import Segment, Word


@dataclass(frozen=True)
class SplitResult:
    """The pieces a segment was cut into (one piece when there was nothing to cut) and where they came from."""

    pieces: list[Segment]
    layout: PieceLayout


@dataclass(frozen=True)
class MergeResult:
    """The merged segment; offsets of the second segment's text moved by ``shift``."""

    segment: Segment
    shift: int


@dataclass
class _Piece:
    raw: tuple[int, int]  # the cut range in the old text
    kept: tuple[int, int]  # the same without leading/trailing whitespace
    words: list[Word] = field(default_factory=list)


def _unchanged(segment: Segment) -> SplitResult:
    copy = replace(segment, words=[replace(w) for w in segment.words])
    return SplitResult([copy], PieceLayout(((0, len(segment.text)),)))


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _pieces(segment: Segment, cuts: list[int]) -> list[_Piece]:
    """Cut the text at ``cuts`` (ascending, inside the text); whitespace-only pieces are dropped."""
    text = segment.text
    edges = [0, *cuts, len(text)]
    raw = [(a, b) for a, b in zip(edges, edges[1:], strict=False)]
    pieces = [_Piece(r, _trimmed(text, *r)) for r in raw]
    kept = [p for p in pieces if p.kept[0] < p.kept[1]]
    current = kept[0]
    for word, span in zip(segment.words, word_char_spans(text, segment.words), strict=True):
        if span is not None:
            current = next((p for p in reversed(kept) if p.raw[0] <= span[0]), kept[0])
        current.words.append(replace(word))
    return kept


def _time_at_char(segment: Segment, offset: int) -> float:
    fraction = offset / max(1, len(segment.text))
    return segment.start + (segment.end - segment.start) * fraction


def _boundary(segment: Segment, left: _Piece, right: _Piece) -> tuple[float, float]:
    """End time of ``left`` and start time of ``right``, from their words where they have some."""
    left_end = left.words[-1].end if left.words else None
    right_start = right.words[0].start if right.words else None
    if left_end is not None and right_start is not None:
        return left_end, right_start
    known = left_end if left_end is not None else right_start
    if known is None:
        known = _time_at_char(segment, right.kept[0])
    return known, known


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _segments(segment: Segment, pieces: list[_Piece]) -> list[Segment]:
    starts, ends = [segment.start], []
    for left, right in zip(pieces, pieces[1:], strict=False):
        left_end, right_start = _boundary(segment, left, right)
        ends.append(left_end)
        starts.append(right_start)
    ends.append(segment.end)
    result = []
    for index, piece in enumerate(pieces):
        start = _clamp(starts[index], segment.start, segment.end)
        end = _clamp(ends[index], start, max(start, segment.end))
        text = segment.text[piece.kept[0] : piece.kept[1]]
        piece_id = segment.id if index == 0 else None
        result.append(Segment(start, end, text, segment.speaker, piece.words, piece_id))
    return result


def _split_result(segment: Segment, cuts: list[int]) -> tuple[SplitResult, list[_Piece]]:
    pieces = _pieces(segment, cuts)
    layout = PieceLayout(tuple(p.kept for p in pieces))
    return SplitResult(_segments(segment, pieces), layout), pieces


def split_segment(segment: Segment, offset: int) -> SplitResult:
    """Split at code-point ``offset``; inside a word the cut moves to that word's start."""
    offset = min(max(offset, 0), len(segment.text))
    for span in word_char_spans(segment.text, segment.words):
        if span is not None and span[0] < offset < span[1]:
            offset = span[0]
    if not segment.text[:offset].strip() or not segment.text[offset:].strip():
        return _unchanged(segment)
    return _split_result(segment, [offset])[0]


def change_speaker(segment: Segment, speaker: str | None) -> Segment:
    """The whole turn (and each of its words) given to ``speaker``."""
    words = [replace(w, speaker=speaker) for w in segment.words]
    return replace(segment, speaker=speaker, words=words)


def change_speaker_of_stretch(segment: Segment, start: int, end: int, speaker: str | None) -> SplitResult:
    """Give the text ``[start, end)`` (widened to whole words) to ``speaker``: up to three segments."""
    size = len(segment.text)
    start, end = sorted((min(max(start, 0), size), min(max(end, 0), size)))
    if start == end:
        return _unchanged(segment)
    for span in word_char_spans(segment.text, segment.words):
        if span is not None and span[0] < start < span[1]:
            start = span[0]
        if span is not None and span[0] < end < span[1]:
            end = span[1]
    if speaker == segment.speaker or not segment.text[start:end].strip():
        return _unchanged(segment)
    cuts = [c for c in (start, end) if 0 < c < len(segment.text)]
    result, pieces = _split_result(segment, cuts)
    for index, piece in enumerate(pieces):
        if start <= piece.kept[0] and piece.kept[1] <= end:
            result.pieces[index] = change_speaker(result.pieces[index], speaker)
    return result


def merge_segments(first: Segment, second: Segment, speaker: str | None = None, separator: str = " ") -> MergeResult:
    """``second`` appended to ``first``; the turn and its words take ``speaker`` or else ``first``'s speaker."""
    joint = separator if first.text and second.text else ""
    merged_speaker = speaker if speaker is not None else first.speaker
    words = [replace(w, speaker=merged_speaker) for w in (*first.words, *second.words)]
    segment = Segment(
        start=min(first.start, second.start),
        end=max(first.end, second.end),
        text=first.text + joint + second.text,
        speaker=merged_speaker,
        words=words,
        id=first.id,
    )
    return MergeResult(segment, len(first.text) + len(joint))


def adjust_times(
    segment: Segment,
    start: float,
    end: float,
    previous: Segment | None = None,
    following: Segment | None = None,
) -> Segment:
    """New start/end, kept between the neighbouring turns and in order; words moved inside the new range."""
    start = max(start, 0.0, previous.end if previous else 0.0)
    if following is not None:
        end = min(end, following.start)
    end = max(end, start)
    words = []
    for word in segment.words:
        word_start = _clamp(word.start, start, end)
        words.append(replace(word, start=word_start, end=_clamp(word.end, word_start, end)))
    return replace(segment, start=start, end=end, words=words)


def typed_turn(text: str, start: float, end: float, speaker: str | None, others: list[Segment]) -> Segment:
    """A turn the researcher typed for talk the transcriber wrote nothing for (a remark it dropped, a voice
    heard only in overlap): its words spread over ``[start, end]``, each marked typed; a word another
    speaker's turn in ``others`` runs over is marked as overlapping talk. ``ValueError`` when nothing
    was typed or the times are not in order."""
    text = " ".join(text.split())
    if not text:
        raise ValueError("type what was said")
    if not 0.0 <= start < end:
        raise ValueError("the end must come after the start")
    words = reanchor_words(Segment(start, end, "", speaker), text)
    talking = [(s.start, s.end) for s in others if s.speaker != speaker]
    words = [replace(w, overlap=any(a < w.end and w.start < b for a, b in talking)) for w in words]
    return Segment(start, end, text, speaker, words)


def turn_index_at(segments: list[Segment], start: float) -> int:
    """Where a turn starting at ``start`` goes among ``segments`` (in time order): after those starting earlier."""
    return sum(1 for s in segments if s.start <= start)
