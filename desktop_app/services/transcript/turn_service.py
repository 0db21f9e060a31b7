"""Turn edits in the study: split at the cursor, merge with the next, change speaker, adjust times, and
insert a turn the researcher types for talk the transcriber missed.

Each is one undoable journal entry; codings on the affected turns move with the text (never lost).
"""

from __future__ import annotations

from desktop_app.core.coding import Coding
from desktop_app.core.errors import VerbatimError
from desktop_app.core.text.span_tracking import Side, track_merge, track_split
from desktop_app.core.text.turn_editing import (
    SplitResult,
    adjust_times,
    change_speaker,
    change_speaker_of_stretch,
    merge_segments,
    split_segment,
    turn_index_at,
    typed_turn,
)
from desktop_app.core.timecode import format_hms
from desktop_app.core.transcript import Segment
from desktop_app.services.study import document_service
from desktop_app.services.study.project_service import require_writable
from desktop_app.services.transcript.edit_service import replace_words
from desktop_app.services.transcription import translation_layer
from desktop_app.services.transcription.retranscription import delete_turns
from desktop_app.storage.coding import coding_repository
from desktop_app.storage.connection import guarded
from desktop_app.storage.journal import ChangeSet
from desktop_app.storage.participants import pseudonym_repository
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository, turn_repository


def _load(store: ProjectStore, segment_id: int) -> tuple[int, Segment, list[Segment]]:
    try:
        document_id, segment = transcript_repository.load_segment(store, segment_id)
    except KeyError:
        raise VerbatimError(store.path, f"turn {segment_id} no longer exists") from None
    return document_id, segment, transcript_repository.load_transcript(store, document_id).segments


def _speaker_id(changes: ChangeSet, store: ProjectStore, document_id: int, label: str | None) -> int | None:
    if label is None:
        return None
    existing = transcript_repository.speaker_ids(store, document_id).get(label)
    return (
        existing if existing is not None else changes.insert("speakers", {"document_id": document_id, "label": label})
    )


def _write_segment(changes: ChangeSet, store: ProjectStore, document_id: int, segment: Segment) -> None:
    assert segment.id is not None
    changes.update(
        "segments",
        segment.id,
        {
            "start": segment.start,
            "end": segment.end,
            "text": segment.text,
            "speaker_id": _speaker_id(changes, store, document_id, segment.speaker),
        },
    )
    replace_words(changes, store, document_id, segment.id, segment.words)


def _make_room(changes: ChangeSet, store: ProjectStore, document_id: int, after_seq: int, count: int) -> None:
    for row_id, seq in turn_repository.turns_after(store, document_id, after_seq):
        changes.update("segments", row_id, {"seq": seq + count})


def _store_split(changes: ChangeSet, store: ProjectStore, document_id: int, result: SplitResult) -> list[int]:
    """Write the pieces of a split (first keeps the id) and move the codings onto them."""
    first = result.pieces[0]
    assert first.id is not None
    seq = turn_repository.turn_seq(store, first.id)
    _make_room(changes, store, document_id, seq, len(result.pieces) - 1)
    _write_segment(changes, store, document_id, first)
    ids = [first.id]
    for offset, piece in enumerate(result.pieces[1:], 1):
        piece_id = changes.insert(
            "segments",
            {
                "document_id": document_id,
                "seq": seq + offset,
                "start": piece.start,
                "end": piece.end,
                "text": piece.text,
                "speaker_id": _speaker_id(changes, store, document_id, piece.speaker),
            },
        )
        replace_words(changes, store, document_id, piece_id, piece.words)
        ids.append(piece_id)
    touching = coding_repository.codings_touching(store, [first.id])
    _save_codings(changes, touching, track_split(touching, first.id, ids, result.layout))
    for skip_id, offset, _ in pseudonym_repository.skips_in(store, first.id):  # "keep as spoken" follows its words
        index, at = result.layout.locate(offset, Side.START)
        if (ids[index], at) != (first.id, offset):
            changes.update("pseudonym_skips", skip_id, {"segment_id": ids[index], "start_offset": at})
    return ids


def _save_codings(changes: ChangeSet, before: list[Coding], after: list[Coding]) -> None:
    for old, new in zip(before, after, strict=True):
        changes.update(
            "codings",
            old.id,
            {
                "start_segment_id": new.start.segment_id,
                "start_offset": new.start.offset,
                "end_segment_id": new.end.segment_id,
                "end_offset": new.end.offset,
                "needs_review": int(new.needs_review),
            },
        )


def split_turn(store: ProjectStore, segment_id: int, offset: int) -> list[int]:
    """Split a turn at a code-point offset (moved to a word start); returns the ids of the pieces."""
    require_writable(store)
    document_id, segment, _ = _load(store, segment_id)
    result = split_segment(segment, offset)
    if len(result.pieces) == 1:
        return [segment_id]
    with guarded(store.path), store.journal.action("Split turn") as changes:
        return _store_split(changes, store, document_id, result)


def merge_with_next(store: ProjectStore, segment_id: int) -> Segment:
    """Append the following turn to this one (this turn's speaker wins)."""
    require_writable(store)
    document_id, first, segments = _load(store, segment_id)
    index = next(i for i, s in enumerate(segments) if s.id == segment_id)
    if index + 1 >= len(segments):
        raise VerbatimError(store.path, "this is the last turn: there is nothing to merge it with")
    second = segments[index + 1]
    assert second.id is not None
    merged = merge_segments(first, second)
    with guarded(store.path), store.journal.action("Merge turns") as changes:
        touching = coding_repository.codings_touching(store, [second.id])
        _save_codings(changes, touching, track_merge(touching, segment_id, second.id, merged.shift))
        translation_layer.follow_merge(changes, store, segment_id, second.id)
        for skip_id, offset, _ in pseudonym_repository.skips_in(store, second.id):  # "keep as spoken" moves along
            changes.update(
                "pseudonym_skips", skip_id, {"segment_id": segment_id, "start_offset": offset + merged.shift}
            )
        delete_turns(changes, store, [second.id])  # its words and what is left, through the journal
        _write_segment(changes, store, document_id, merged.segment)
    return merged.segment


def set_speaker(store: ProjectStore, segment_id: int, label: str, span: tuple[int, int] | None = None) -> list[int]:
    """Give a turn, or the stretch ``span`` (code points) of it, to speaker ``label`` (new labels are created)."""
    require_writable(store)
    document_id, segment, _ = _load(store, segment_id)
    with guarded(store.path), store.journal.action(f"Change speaker to {label}") as changes:
        if span is None:
            _write_segment(changes, store, document_id, change_speaker(segment, label))
            return [segment_id]
        result = change_speaker_of_stretch(segment, span[0], span[1], label)
        if len(result.pieces) == 1:
            _write_segment(changes, store, document_id, result.pieces[0])
            return [segment_id]
        return _store_split(changes, store, document_id, result)


def set_times(store: ProjectStore, segment_id: int, start: float, end: float) -> Segment:
    """Adjust a turn's start and end (kept between its neighbours)."""
    require_writable(store)
    document_id, segment, segments = _load(store, segment_id)
    index = next(i for i, s in enumerate(segments) if s.id == segment_id)
    previous = segments[index - 1] if index > 0 else None
    following = segments[index + 1] if index + 1 < len(segments) else None
    adjusted = adjust_times(segment, start, end, previous, following)
    with guarded(store.path), store.journal.action("Adjust turn times") as changes:
        _write_segment(changes, store, document_id, adjusted)
    return adjusted


def insert_turn(
    store: ProjectStore, document_id: int, start: float, end: float, text: str, speaker: str | None
) -> int:
    """A new turn of ``speaker`` (a label; a new one is created) from ``start`` to ``end`` with the typed
    ``text``, in time order among the turns, as one undoable step: talk the transcriber wrote nothing for
    (a quiet remark, a voice heard only in overlap), which the researcher heard and typed. Its words are
    marked typed (re-transcribing keeps the turn as the researcher's work) and, where another speaker's
    turn runs at the same time, as overlapping talk. Returns the new turn's id."""
    require_writable(store)
    document = document_service.get_document(store, document_id)
    if document.duration and start >= document.duration:
        raise VerbatimError(
            store.path,
            f"{document.title!r} is {format_hms(document.duration)} long: a turn cannot start at {format_hms(start)}",
        )
    end = min(end, document.duration) if document.duration else end
    segments = transcript_repository.load_transcript(store, document_id).segments
    try:
        turn = typed_turn(text, start, end, speaker, segments)
    except ValueError as exc:
        raise VerbatimError(store.path, f"cannot insert a turn in {document.title!r}: {exc}") from None
    index = turn_index_at(segments, start)
    previous = segments[index - 1].id if index else None
    seq = turn_repository.turn_seq(store, previous) if previous is not None else 0
    with guarded(store.path), store.journal.action(f"Insert turn at {format_hms(start)}") as changes:
        _make_room(changes, store, document_id, seq, 1)
        turn_id = changes.insert(
            "segments",
            {
                "document_id": document_id,
                "seq": seq + 1,
                "start": turn.start,
                "end": turn.end,
                "text": turn.text,
                "speaker_id": _speaker_id(changes, store, document_id, speaker),
            },
        )
        replace_words(changes, store, document_id, turn_id, turn.words)
    return turn_id
