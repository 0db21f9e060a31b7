"""Transcribing a document again without losing the researcher's work, as one undoable step.

Before: :func:`existing_work` counts what transcribing again would touch (corrected turns,
codings, memos), so a front end can ask. After the engine has finished (nothing is written while
it runs, so a cancel or crash changes nothing), :func:`apply_new_transcript` writes the new turns
in one journal action, in either mode:

- ``KEEP_CORRECTIONS``: corrected, coded and annotated turns stay exactly as they are (same rows,
  so codings and memos on them are untouched); only the stretches between them are replaced;
- ``REPLACE``: every turn is new; each coding is moved onto the same words in the new text, or
  removed and reported when they are gone; memos on turns move to the new turn at that time.

Rows are only ever changed through the journal, so every earlier action stays undoable and undo
of this one brings back the exact earlier text, codings and memos.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from desktop_app.core.coding import Coding
from desktop_app.core.errors import VerbatimError
from desktop_app.core.text.plural import plural
from desktop_app.core.text.retranscription_merge import (
    carry_speakers,
    interleave,
    place_coding,
    stretches_between,
    words_between_kept,
)
from desktop_app.core.text.span_tracking import span_time_range
from desktop_app.core.timecode import format_hms
from desktop_app.core.transcript import Segment, Word
from desktop_app.pipeline.segment_builder import build_segments
from desktop_app.services.coding import coding_service
from desktop_app.services.transcription import translation_layer
from desktop_app.storage.coding import coding_repository
from desktop_app.storage.connection import guarded
from desktop_app.storage.journal import ChangeSet
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import document_repository, document_work, transcript_repository


class RetranscribeMode(StrEnum):
    KEEP_CORRECTIONS = "keep-corrections"  # transcribe only the stretches without corrections
    REPLACE = "replace"  # replace all turns; codings follow their words where they still exist


KEEP_LABEL = "Transcribe again, keeping corrections"  # the journal entries this module writes
REPLACE_LABEL = "Transcribe again"
# the speaker step's journal entry (services/speakers/speaker_turns): it regroups the engine's words into
# turns by voice, so the turns it writes are nobody's corrections (words typed before it stay marked typed)
SPEAKER_STEP_LABEL = "Find speakers"


@dataclass(frozen=True)
class ExistingWork:
    """What a researcher did to a transcript that transcribing again would touch."""

    corrected_turns: int
    codings: int
    memos: int
    kept_segment_ids: frozenset[int] = frozenset()  # the turns KEEP_CORRECTIONS leaves exactly as they are

    @property
    def any(self) -> bool:
        return bool(self.corrected_turns or self.codings or self.memos or self.kept_segment_ids)

    def describe(self) -> str:
        """'3 corrected turns, 2 codings and 1 memo' (only what there is)."""
        parts = [
            plural(n, noun)
            for n, noun in ((self.corrected_turns, "corrected turn"), (self.codings, "coding"), (self.memos, "memo"))
            if n
        ]
        if not parts:
            return "no corrections"
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


class WorkAtRiskError(VerbatimError):
    """Transcribing again was asked for without saying what to do with the researcher's work."""

    def __init__(self, path: object, title: str, work: ExistingWork) -> None:
        self.work = work
        super().__init__(
            str(path),
            f"“{title}” has {work.describe()}; transcribing it again would replace them. Choose to keep the "
            "corrections (transcribe only the stretches without them) or to replace everything",
        )


def existing_work(store: ProjectStore, document_id: int) -> ExistingWork:
    corrected = document_work.segments_with_typed_words(store, document_id) | document_work.segments_changed_by_journal(
        store,
        document_id,
        not_by=(KEEP_LABEL, REPLACE_LABEL, SPEAKER_STEP_LABEL),  # the engine's words are no one's corrections
    ) | translation_layer.corrected_segments(store, document_id)  # English corrected by hand is work too
    memos = document_work.segment_memos(store, document_id)
    kept = (
        corrected
        | document_work.coded_segment_ids(store, document_id)
        | set(memos.values())
        | document_work.segments_with_pseudonym_decisions(store, document_id)
    )
    return ExistingWork(
        corrected_turns=len(corrected),
        codings=document_work.coding_count(store, document_id),
        memos=len(memos) + document_work.coding_memo_count(store, document_id),
        kept_segment_ids=frozenset(kept),
    )


def stretches_to_transcribe(store: ProjectStore, document_id: int) -> list[tuple[float, float]]:
    """Keeping corrections, only the audio outside the kept turns is transcribed again (seconds)."""
    kept_ids = existing_work(store, document_id).kept_segment_ids
    turns = transcript_repository.load_transcript(store, document_id, words=False).segments
    kept = [(s.start, s.end) for s in turns if s.id in kept_ids]
    document = document_repository.get_document(store, document_id)
    end = max((t.end for t in turns), default=0.0)
    return stretches_between(kept, document.duration if document and document.duration else end)


@dataclass
class RetranscriptionReport:
    """What transcribing again did, for the user (every coding accounted for)."""

    mode: RetranscribeMode
    kept_turns: int = 0
    new_turns: int = 0
    codings_kept: int = 0  # on kept turns, untouched
    codings_moved: int = 0  # placed again on the same words in the new text
    codings_removed: list[str] = field(default_factory=list)  # their words are gone: what each one was
    memos_moved: int = 0

    def summary(self) -> str:
        if self.mode is RetranscribeMode.KEEP_CORRECTIONS:
            kept = plural(self.kept_turns, "turn")
            text = f"Kept {kept} you corrected, coded or annotated; transcribed {plural(self.new_turns, 'new turn')} between them"
        else:
            text = f"Replaced the transcript: {plural(self.new_turns, 'turn')}"
        if self.codings_kept or self.codings_moved:
            text += f"; {plural(self.codings_kept + self.codings_moved, 'coding')} kept"
        if self.codings_removed:
            text += (
                f"; {plural(len(self.codings_removed), 'coding')} removed because the coded words are gone: "
                + "; ".join(self.codings_removed)
            )
        return text + " (Undo brings the earlier transcript back)"


def apply_new_transcript(
    store: ProjectStore, document_id: int, run_id: int | None, mode: RetranscribeMode, new_segments: list[Segment]
) -> RetranscriptionReport:
    """Write a finished run's turns next to (or over) the existing ones, as one undoable action.

    ``run_id``: the transcription run the new turns come from (None: not from a recorded run).
    """
    work = existing_work(store, document_id)
    old = transcript_repository.load_transcript(store, document_id).segments
    new_words = [w for s in new_segments for w in s.words]
    label = KEEP_LABEL if mode is RetranscribeMode.KEEP_CORRECTIONS else REPLACE_LABEL
    with guarded(store.path), store.journal.action(label) as changes:
        if mode is RetranscribeMode.KEEP_CORRECTIONS:
            report = _keep_corrections(changes, store, document_id, run_id, old, work, new_words)
        else:
            report = _replace_all(changes, store, document_id, run_id, old, new_words)
        changes.update("documents", document_id, {"status": "transcribed"})
    return report


def _keep_corrections(
    changes: ChangeSet,
    store: ProjectStore,
    document_id: int,
    run_id: int | None,
    old: list[Segment],
    work: ExistingWork,
    new_words: list[Word],
) -> RetranscriptionReport:
    kept = [s for s in old if s.id in work.kept_segment_ids]
    replaced = [s for s in old if s.id not in work.kept_segment_ids]
    groups = words_between_kept(carry_speakers(new_words, replaced), kept)
    fresh = {place: build_segments(words) for place, words in groups.items()}
    speakers = transcript_repository.speaker_ids(store, document_id)
    for seq, turn in enumerate(interleave(kept, fresh), start=1):
        if turn.id is not None and turn.id in work.kept_segment_ids:
            changes.update("segments", turn.id, {"seq": seq})
        else:
            _insert_segment(changes, document_id, run_id, seq, turn, speakers)
    for segment in replaced:  # after the inserts, so no new turn takes a removed one's row id
        delete_turn(changes, store, segment)
    return RetranscriptionReport(
        RetranscribeMode.KEEP_CORRECTIONS,
        kept_turns=len(kept),
        new_turns=sum(len(turns) for turns in fresh.values()),
        codings_kept=work.codings,
    )


def _replace_all(
    changes: ChangeSet,
    store: ProjectStore,
    document_id: int,
    run_id: int | None,
    old: list[Segment],
    new_words: list[Word],
) -> RetranscriptionReport:
    fresh = build_segments(carry_speakers(new_words, old))
    speakers = transcript_repository.speaker_ids(store, document_id)
    for seq, turn in enumerate(fresh, start=1):
        _insert_segment(changes, document_id, run_id, seq, turn, speakers)
    report = RetranscriptionReport(RetranscribeMode.REPLACE, new_turns=len(fresh))
    _move_codings(changes, store, document_id, old, fresh, report)
    for memo_id, segment_id in document_work.segment_memos(store, document_id).items():
        at = next((s.start for s in old if s.id == segment_id), 0.0)
        target = min(fresh, key=lambda s: 0.0 if s.start <= at <= s.end else abs(s.start - at), default=None)
        if target is not None and target.id is not None:
            changes.update("memos", memo_id, {"target_id": target.id})
            report.memos_moved += 1
        else:
            changes.delete("memos", memo_id)
    for segment in old:
        delete_turn(changes, store, segment)
    return report


def _move_codings(
    changes: ChangeSet,
    store: ProjectStore,
    document_id: int,
    old: list[Segment],
    fresh: list[Segment],
    report: RetranscriptionReport,
) -> None:
    names = {c.id: c.name for c in coding_service.codes(store)}
    for coding in coding_repository.list_codings(store, document_id=document_id):
        text = coding_service.span_text(old, coding.start, coding.end)
        placed = place_coding(coding, text, fresh)
        if placed.start is None or placed.end is None:
            report.codings_removed.append(_describe(coding, names.get(coding.code_id, "?"), text))
            coding_service._delete_coding(changes, store, coding.id)  # its tag, links and memos too
            continue
        times = span_time_range(fresh, placed.start, placed.end)
        changes.update(
            "codings",
            coding.id,
            {
                "start_segment_id": placed.start.segment_id,
                "start_offset": placed.start.offset,
                "end_segment_id": placed.end.segment_id,
                "end_offset": placed.end.offset,
                "start_time": times[0] if times else coding.start_time,
                "end_time": times[1] if times else coding.end_time,
            },
        )
        report.codings_moved += 1


def _describe(coding: Coding, code: str, text: str) -> str:
    quoted = text if len(text) <= 60 else text[:57] + "…"
    at = f" at {format_hms(coding.start_time)}" if coding.start_time is not None else ""
    return f"{code} on “{quoted}”{at}"


def _insert_segment(
    changes: ChangeSet,
    document_id: int,
    run_id: int | None,
    seq: int,
    segment: Segment,
    speakers: dict[str, int],
) -> None:
    """``speakers``: the document's speaker rows by label, read once per action; new labels are added to it."""

    def speaker(label: str | None) -> int | None:
        if label is None:
            return None
        if label not in speakers:
            speakers[label] = changes.insert("speakers", {"document_id": document_id, "label": label})
        return speakers[label]

    transcript_repository.insert_segment(changes, document_id, run_id, seq, segment, speaker)


def delete_turn(changes: ChangeSet, store: ProjectStore, segment: Segment) -> None:
    """A turn and the rows that cascade from it, each through the journal so undo brings them back.

    Also the speaker step's (:mod:`desktop_app.services.speakers.speaker_turns`) way to remove the old turns.
    """
    assert segment.id is not None
    delete_turns(changes, store, [segment.id])


def delete_turns(changes: ChangeSet, store: ProjectStore, segment_ids: list[int]) -> None:
    """Turns and every row that would cascade from them (kept-as-spoken pseudonym hits, English, words),
    each deleted through the journal: a cascade inside SQLite would be invisible to undo."""
    for skip_id in document_work.pseudonym_skip_ids(store, set(segment_ids)):
        changes.delete("pseudonym_skips", skip_id)
    translation_layer.delete_with_segments(changes, store, segment_ids)
    for segment_id in segment_ids:
        for word_id in transcript_repository.word_row_ids(store, segment_id):
            changes.delete("words", word_id)
        changes.delete("segments", segment_id)
