"""Corrections to a transcript, each one undoable: text edits keep the audio link of unchanged words."""

from __future__ import annotations

from desktop_app.core.document import SpeakerInfo
from desktop_app.core.errors import VerbatimError
from desktop_app.core.text.span_tracking import Side, edits_between, map_offset
from desktop_app.core.text.text_anchoring import reanchor_words
from desktop_app.core.transcript import Segment, Transcript, Word
from desktop_app.services.study.project_service import require_writable
from desktop_app.storage.connection import guarded
from desktop_app.storage.journal import ChangeSet
from desktop_app.storage.participants import pseudonym_repository
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository


def load_transcript(store: ProjectStore, document_id: int) -> Transcript:
    return transcript_repository.load_transcript(store, document_id)


def _segment(store: ProjectStore, segment_id: int) -> tuple[int, Segment]:
    try:
        return transcript_repository.load_segment(store, segment_id)
    except KeyError:
        raise VerbatimError(store.path, f"segment {segment_id} no longer exists") from None


def replace_words(
    changes: ChangeSet, store: ProjectStore, document_id: int, segment_id: int, words: list[Word]
) -> None:
    """Swap a segment's word rows for ``words`` inside a journaled action."""
    for row_id in transcript_repository.word_row_ids(store, segment_id):
        changes.delete("words", row_id)
    speakers = transcript_repository.speaker_ids(store, document_id)
    for seq, word in enumerate(words):
        changes.insert(
            "words",
            {
                "segment_id": segment_id,
                "seq": seq,
                "start": word.start,
                "end": word.end,
                "text": word.text,
                "probability": word.probability,
                "speaker_id": speakers.get(word.speaker) if word.speaker else None,
                "edited": int(word.edited),
                "overlap": int(word.overlap),
            },
        )


def update_segment_text(store: ProjectStore, segment_id: int, text: str) -> Segment:
    """Replace a turn's text; unchanged words keep their times, typed words are placed between them."""
    require_writable(store)
    document_id, segment = _segment(store, segment_id)
    new_text = " ".join(text.split())
    if new_text == segment.text:
        return segment
    with guarded(store.path), store.journal.action("Edit text") as changes:
        apply_text_edit(changes, store, document_id, segment, new_text)
    return _segment(store, segment_id)[1]


def update_segment_texts(store: ProjectStore, texts: dict[int, str]) -> dict[int, Segment]:
    """New text for several turns as one undoable step (typing over, or deleting, a selection across turns).

    Each turn is re-anchored and its codings follow as with :func:`update_segment_text`; turns whose
    text does not change are left alone. Returns every given turn as stored afterwards.
    """
    require_writable(store)
    loaded = {segment_id: _segment(store, segment_id) for segment_id in texts}
    changed = {
        segment_id: " ".join(text.split())
        for segment_id, text in texts.items()
        if " ".join(text.split()) != loaded[segment_id][1].text
    }
    if changed:
        label = "Edit text" if len(changed) == 1 else f"Edit text in {len(changed)} turns"
        with guarded(store.path), store.journal.action(label) as changes:
            for segment_id, new_text in changed.items():
                document_id, segment = loaded[segment_id]
                apply_text_edit(changes, store, document_id, segment, new_text)
    return {segment_id: _segment(store, segment_id)[1] for segment_id in texts}


def apply_text_edit(changes: ChangeSet, store: ProjectStore, document_id: int, segment: Segment, new_text: str) -> None:
    """Inside a journal action: new text for a turn, codings moved with it, words re-anchored (kept times)."""
    from desktop_app.services.coding.coding_service import follow_text_edit

    assert segment.id is not None
    follow_text_edit(changes, store, segment, new_text)
    _move_kept_names(changes, store, segment, new_text)
    changes.update("segments", segment.id, {"text": new_text})
    replace_words(changes, store, document_id, segment.id, reanchor_words(segment, new_text))


def _move_kept_names(changes: ChangeSet, store: ProjectStore, segment: Segment, new_text: str) -> None:
    """A name kept as spoken moves with the text typed before it; once its own words are changed, the
    decision no longer holds and goes (the name is pseudonymised again, the safe side)."""
    assert segment.id is not None
    kept = pseudonym_repository.skips_in(store, segment.id)
    if not kept:
        return
    edits = edits_between(segment.text, new_text)
    for skip_id, offset, words in kept:
        moved = map_offset(offset, edits, Side.START)
        if new_text[moved : moved + len(words)] != words:
            changes.delete("pseudonym_skips", skip_id)
        elif moved != offset:
            changes.update("pseudonym_skips", skip_id, {"start_offset": moved})


def load_speakers(store: ProjectStore, document_id: int) -> dict[str, SpeakerInfo]:
    return transcript_repository.list_speakers(store, document_id)
