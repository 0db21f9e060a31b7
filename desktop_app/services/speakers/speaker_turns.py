"""The speaker step's new turns, written as one undoable action that carries the researcher's work along.

The speaker step keeps every word and only regroups the words into turns by voice. It used to clear
the transcript and write it again outside the edit journal, which broke undo for every earlier edit
("cannot undo: words row N has been removed since") and made it refuse coded documents. Here, in one
journal action: the new turns are inserted; codings, memos on turns and pseudonym hits kept as spoken
move onto the same characters of the new turns (the words and their text do not change, so the move is
exact); only then are the old turns (with their words and English) deleted. Earlier history stays
undoable, and one Undo brings back the exact earlier turns, speakers and timeline.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from dataclasses import replace
from itertools import count

from desktop_app.core.coding import TextPosition
from desktop_app.core.errors import VerbatimError
from desktop_app.core.transcript import Segment
from desktop_app.services.transcription import retranscription
from desktop_app.storage.coding import coding_repository
from desktop_app.storage.connection import guarded
from desktop_app.storage.journal import ChangeSet
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import document_work, speaker_timeline_repository, transcript_repository

LABEL = retranscription.SPEAKER_STEP_LABEL  # the journal entry: "Undo find speakers"


class _Placement:
    """Positions in the old turns mapped to the same character of the new turns (same text, new breaks)."""

    def __init__(self, old: list[Segment], new: list[Segment]) -> None:
        self.old_at: dict[int | None, int] = {}
        at = 0
        for segment in old:  # a turn emptied by editing has no words: it stands where the next text starts
            self.old_at[segment.id] = at
            at += len(segment.text) + 1 if segment.text else 0
        self.new = new
        self.new_at = []
        at = 0
        for segment in new:
            self.new_at.append(at)
            at += len(segment.text) + 1

    def start(self, segment_id: int, offset: int) -> TextPosition:
        """Where a span starting here starts now (a position between turns: the next turn's start)."""
        at = self.old_at[segment_id] + offset
        i = max(0, bisect.bisect_right(self.new_at, at) - 1)
        inside = at - self.new_at[i]
        if inside >= len(self.new[i].text) and i + 1 < len(self.new):
            return self._position(i + 1, 0)
        return self._position(i, min(inside, len(self.new[i].text)))

    def end(self, segment_id: int, offset: int) -> TextPosition:
        """Where a span ending here ends now (a position between turns: the earlier turn's end)."""
        at = self.old_at[segment_id] + offset
        i = max(0, bisect.bisect_left(self.new_at, at) - 1)
        return self._position(i, min(max(0, at - self.new_at[i]), len(self.new[i].text)))

    def _position(self, index: int, offset: int) -> TextPosition:
        segment_id = self.new[index].id
        assert segment_id is not None
        return TextPosition(segment_id, offset)


def replace_turns(
    store: ProjectStore, document_id: int, turns: list[Segment], timeline: list[speaker_timeline_repository.Turn]
) -> None:
    """Replace the document's turns by ``turns`` (the same words, labelled by voice) as one journal action.

    A voice that was already a speaker (most of its words were theirs, and most of theirs are its own)
    keeps that speaker: label, name, colour and participant link, so naming survives running the step
    again. Other voices are new speakers (a label that stays but is now another voice loses its name,
    colour and link); speakers no voice kept are removed. ``timeline`` replaces the who-spoke-when. A
    voice heard only without words (in overlap, or talk the transcriber wrote nothing for) gets a row
    too, so the researcher can hear it, name it, or merge it into the person it really is (RTTM follows).
    """
    old = transcript_repository.load_transcript(store, document_id).segments
    if " ".join(s.text for s in old if s.text) != " ".join(s.text for s in turns):
        raise VerbatimError(
            store.path,
            f"document {document_id}: the speaker step changed the words of the transcript; nothing was written",
        )
    same = _same_voices(old, turns)
    turns, timeline = _relabelled(turns, timeline, same)
    with guarded(store.path), store.journal.action(LABEL) as changes:
        speakers = _speaker_rows(changes, store, document_id, turns, timeline, set(same.values()))
        for seq, turn in enumerate(turns, start=1):
            _insert_turn(changes, document_id, seq, turn, speakers)
        placement = _Placement(old, turns)
        _move_work(changes, store, document_id, placement)
        for segment in old:  # after the inserts, so no new turn takes a removed one's row id
            retranscription.delete_turn(changes, store, segment)  # its kept-as-spoken hits have moved already
        for label, speaker_id in transcript_repository.speaker_ids(store, document_id).items():
            if label not in speakers:
                changes.delete("speakers", speaker_id)
        _replace_timeline(changes, store, document_id, timeline)


def _same_voices(old: list[Segment], new: list[Segment]) -> dict[str, str]:
    """New label -> earlier label, for each voice that was already that speaker: more than half of its words
    were theirs, and more than half of theirs are its own (the words are the same, in the same order)."""
    before = [w.speaker for s in old for w in s.words]
    after = [w.speaker for s in new for w in s.words]
    if len(before) != len(after):
        return {}
    shared = Counter(zip(after, before, strict=True))
    mine, theirs = Counter(after), Counter(before)
    return {
        n: o
        for (n, o), both in shared.items()
        if n is not None and o is not None and 2 * both > mine[n] and 2 * both > theirs[o]
    }


def _labels(turns: list[Segment], timeline: list[speaker_timeline_repository.Turn]) -> set[str | None]:
    """Every speaker label of new turns (their words' too) and of the timeline (voices without words)."""
    return {w.speaker for t in turns for w in t.words} | {t.speaker for t in turns} | {x[2] for x in timeline}


def _relabelled(
    turns: list[Segment], timeline: list[speaker_timeline_repository.Turn], same: dict[str, str]
) -> tuple[list[Segment], list[speaker_timeline_repository.Turn]]:
    """Turns and timeline with each voice that was a speaker under that speaker's label; the other voices
    keep theirs unless it is now a kept speaker's, then they take the next free one."""
    labels = _labels(turns, timeline)
    taken = set(same.values())
    free = (f"S{k}" for k in count(1) if f"S{k}" not in taken and f"S{k}" not in labels)
    names = {n: same.get(n) or (n if n not in taken else next(free)) for n in sorted(x for x in labels if x)}
    if all(k == v for k, v in names.items()):
        return turns, timeline

    def label(x: str | None) -> str | None:
        return names[x] if x else x

    moved = [
        replace(t, speaker=label(t.speaker), words=[replace(w, speaker=label(w.speaker)) for w in t.words])
        for t in turns
    ]
    return moved, [(a, b, names[x]) for a, b, x in timeline]


def _speaker_rows(
    changes: ChangeSet,
    store: ProjectStore,
    document_id: int,
    turns: list[Segment],
    timeline: list[speaker_timeline_repository.Turn],
    kept: set[str],
) -> dict[str, int]:
    """The rows of the speakers of ``turns`` and ``timeline``; those in ``kept`` (the same voices) as they are."""
    existing = transcript_repository.speaker_ids(store, document_id)
    labels = _labels(turns, timeline)
    rows: dict[str, int] = {}
    for label in sorted(x for x in labels if x is not None):
        if label in existing:
            rows[label] = existing[label]
            if label not in kept:  # the label now names another voice
                changes.update("speakers", rows[label], {"display_name": None, "color": None, "participant_id": None})
        else:
            rows[label] = changes.insert("speakers", {"document_id": document_id, "label": label})
    return rows


def _insert_turn(changes: ChangeSet, document_id: int, seq: int, turn: Segment, speakers: dict[str, int]) -> None:
    def speaker(label: str | None) -> int | None:
        return speakers[label] if label is not None else None

    transcript_repository.insert_segment(changes, document_id, None, seq, turn, speaker)


def _move_work(changes: ChangeSet, store: ProjectStore, document_id: int, placement: _Placement) -> None:
    """Codings, memos on turns and kept pseudonym hits onto the same characters of the new turns."""
    for coding in coding_repository.list_codings(store, document_id=document_id):
        start = placement.start(coding.start.segment_id, coding.start.offset)
        end = placement.end(coding.end.segment_id, coding.end.offset)
        changes.update(
            "codings",
            coding.id,
            {
                "start_segment_id": start.segment_id,
                "start_offset": start.offset,
                "end_segment_id": end.segment_id,
                "end_offset": end.offset,
            },
        )
    for memo_id, segment_id in document_work.segment_memos(store, document_id).items():
        changes.update("memos", memo_id, {"target_id": placement.start(segment_id, 0).segment_id})
    for skip, segment_id, offset in document_work.pseudonym_skips_of(store, document_id):
        moved = placement.start(segment_id, offset)
        changes.update("pseudonym_skips", skip, {"segment_id": moved.segment_id, "start_offset": moved.offset})


def _replace_timeline(
    changes: ChangeSet, store: ProjectStore, document_id: int, timeline: list[speaker_timeline_repository.Turn]
) -> None:
    row = speaker_timeline_repository.timeline_row(store, document_id)
    if row is None:  # never ran: an empty timeline (what "never ran" reads as) for undo to come back to
        speaker_timeline_repository.save_timeline(store, document_id, [])
        row = speaker_timeline_repository.timeline_row(store, document_id)
        assert row is not None
    value = json.dumps(speaker_timeline_repository.encode(timeline), separators=(",", ":"))
    changes.update("settings", row, {"value": value})
