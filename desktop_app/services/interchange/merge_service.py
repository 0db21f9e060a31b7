"""Merge a second coder's copy of the study into this one (MAXQDA's "merge projects").

Documents are matched by recording (SHA-256), codes by path (:mod:`merge_codes`). Each of their
codings and memos is added under its coder's name (a coding without one gets ``their_coder``); one
already here (same code, same characters, same coder) is not added twice, so merging a copy made
from this study adds only what was done since. A transcript that differs between the copies is
kept as chosen per document (:class:`TranscriptChoice`). Participants and attribute values they
have and we lack are added; differing values are listed and ours kept. A backup is taken first,
and the whole merge is one journal entry: one undo takes it back. Intercoder agreement then works
on the merged study as on the two copies.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.coding import Coding, TextPosition
from desktop_app.core.errors import ProjectError
from desktop_app.core.text.span_tracking import Side
from desktop_app.services.interchange import merge_people
from desktop_app.services.interchange.merge_codes import CodeMerge, compare_codebooks, merge_codebooks
from desktop_app.services.interchange.merge_documents import (
    DocText,
    DocumentMatch,
    TranscriptChoice,
    anchor_between,
    copy_document,
    copy_segments,
    delete_segments,
    match_documents,
)
from desktop_app.services.study import backup_service
from desktop_app.services.study.project_service import open_project, require_writable
from desktop_app.storage.coding import coding_repository
from desktop_app.storage.connection import guarded
from desktop_app.storage.interchange import interchange_repository
from desktop_app.storage.journal import ChangeSet, now_iso
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository

__all__ = ["MergeOptions", "MergePreview", "MergeResult", "TranscriptChoice", "merge_study", "preview_merge"]

Place = Callable[[TextPosition, Side], TextPosition | None]


@dataclass
class MergeOptions:
    """``transcripts``: for documents whose transcripts differ (``per_document`` by our document id
    overrides it); ``their_coder``: the name for their codings that have none (default: their file's
    name); ``backup``: take a backup of this study first."""

    transcripts: TranscriptChoice = TranscriptChoice.OURS
    per_document: dict[int, TranscriptChoice] = field(default_factory=dict)
    their_coder: str = ""
    backup: bool = True
    passphrase: str | None = None  # of their copy


@dataclass
class MergePreview:
    """What a merge would do, read from both copies without changing either."""

    documents: list[DocumentMatch]
    codebook: CodeMerge
    their_coders: list[str]
    their_codings: int

    @property
    def differing(self) -> list[DocumentMatch]:
        return [m for m in self.documents if m.ours is not None and not m.same_transcript]


@dataclass
class MergeResult:
    backup: Path | None = None
    codes_added: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    documents_added: list[str] = field(default_factory=list)
    versions_added: list[str] = field(default_factory=list)
    transcripts_replaced: list[str] = field(default_factory=list)
    codings_added: int = 0
    codings_already_here: int = 0
    memos_added: int = 0
    participants_added: int = 0
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A summary for the user, one fact a line."""
        lines = [
            f"added {self.codings_added} coding(s) ({self.codings_already_here} already here), "
            f"{self.memos_added} memo(s), {len(self.codes_added)} code(s), {self.participants_added} participant(s)"
        ]
        lines += [f"new document: {t}" for t in self.documents_added]
        lines += [f"their version kept as: {t}" for t in self.versions_added]
        lines += [f"transcript taken from theirs: {t}" for t in self.transcripts_replaced]
        lines += [f"conflict: {c}" for c in self.conflicts]
        lines += [f"note: {n}" for n in self.notes]
        if self.backup is not None:
            lines.append(f"backup taken first: {self.backup}")
        return lines


def _open_other(store: ProjectStore, other_path: Path, passphrase: str | None) -> ProjectStore:
    if Path(other_path).resolve() == store.path.resolve():
        raise ProjectError(other_path, "is this study itself; choose the other coder's copy")
    return open_project(Path(other_path), readonly=True, passphrase=passphrase)


def preview_merge(store: ProjectStore, other_path: Path, passphrase: str | None = None) -> MergePreview:
    with _open_other(store, other_path, passphrase) as other, guarded(store.path):
        codings = coding_repository.list_codings(other)
        return MergePreview(
            match_documents(store, other),
            compare_codebooks(coding_repository.list_codes(store), coding_repository.list_codes(other)),
            sorted({c.coder for c in codings}),
            len(codings),
        )


def merge_study(store: ProjectStore, other_path: Path, options: MergeOptions | None = None) -> MergeResult:
    """Merge the copy at ``other_path`` into ``store`` (see the module notes)."""
    options = options or MergeOptions()
    require_writable(store)
    result = MergeResult()
    with _open_other(store, other_path, options.passphrase) as other:
        coder = options.their_coder.strip() or Path(other_path).stem
        if options.backup:
            result.backup = backup_service.backup_now(store.path, store.passphrase).path
        with guarded(store.path), store.journal.action(f"Merge {Path(other_path).name}") as changes:
            _Merger(store, other, changes, options, coder, result).run()
    return result


class _Merger:
    """One merge in progress: the maps from their ids to ours, filled as things are added."""

    def __init__(
        self,
        store: ProjectStore,
        other: ProjectStore,
        changes: ChangeSet,
        options: MergeOptions,
        coder: str,
        result: MergeResult,
    ) -> None:
        self.store, self.other, self.changes, self.options = store, other, changes, options
        self.coder, self.result = coder, result
        self.codes: dict[int, int] = {}
        self.documents: dict[int, int] = {}
        self.places: dict[int, Place] = {}
        self.codings: dict[int, int] = {}
        self.segment_documents: dict[int | None, int] = {}

    def run(self) -> None:
        codebook = merge_codebooks(self.changes, self.store, coding_repository.list_codes(self.other))
        self.codes = codebook.ids
        self.result.codes_added, self.result.conflicts = codebook.added, list(codebook.conflicts)
        for match in match_documents(self.store, self.other):
            self._document(match)
        people = merge_people.merge_participants(self.changes, self.store, self.other)
        self.result.participants_added = people.added
        self.result.conflicts += people.conflicts
        for their_doc, our_doc in self.documents.items():
            self._codings(their_doc, our_doc)
        self._memos()

    def _document(self, match: DocumentMatch) -> None:
        theirs, ours = match.theirs, match.ours
        if ours is None:
            self._copy(theirs.id, theirs.title, self.result.documents_added)
            return
        self.documents[theirs.id] = ours.id
        choice = self.options.per_document.get(ours.id, self.options.transcripts)
        if match.same_transcript or choice is TranscriptChoice.OURS:
            their_text, our_text = self._text(self.other, theirs.id), self._text(self.store, ours.id)
            anchor = anchor_between(their_text, our_text)
            self.places[theirs.id] = lambda pos, side: _via(their_text, pos, side, anchor.place)
        elif choice is TranscriptChoice.BOTH:
            self._copy(theirs.id, f"{ours.title} ({self._coder_of(theirs.id)})", self.result.versions_added)
        else:
            self._take_theirs(theirs.id, ours.id)
            self.result.transcripts_replaced.append(ours.title)

    def _coder_of(self, their_doc: int) -> str:
        """Who coded their document most (for naming their version), else the name for theirs."""
        coders = Counter(c.coder for c in coding_repository.list_codings(self.other, document_id=their_doc) if c.coder)
        return coders.most_common(1)[0][0] if coders else self.coder

    def _text(self, store: ProjectStore, document_id: int) -> DocText:
        return DocText.of(transcript_repository.load_transcript(store, document_id).segments)

    def _copy(self, their_doc: int, title: str, added: list[str]) -> None:
        copied = copy_document(self.changes, self.store, self.other, their_doc, title)
        self.documents[their_doc] = copied.id
        self.places[their_doc] = lambda pos, side: _by_segment(copied.segments, pos)
        added.append(title)
        if copied.note:
            self.result.notes.append(copied.note)

    def _take_theirs(self, their_doc: int, our_doc: int) -> None:
        """Their transcript replaces ours; our codings and turn memos move onto it through the differences."""
        old = self._text(self.store, our_doc)
        segments = copy_segments(self.changes, self.store, self.other, their_doc, our_doc)
        new = DocText(self._text(self.other, their_doc).text, *_renumbered(self._text(self.other, their_doc), segments))
        anchor = anchor_between(old, new)
        for coding in coding_repository.list_codings(self.store, document_id=our_doc):
            start = anchor.place(old.offset(coding.start) or 0, Side.START)
            end = anchor.place(old.offset(coding.end) or 0, Side.END)
            if start is not None and end is not None:
                self.changes.update("codings", coding.id, _positions(start, end))
        for memo in interchange_repository.memos(self.store):
            if memo.target_type == "segment" and memo.target_id in old.ids:
                moved = anchor.place(old.offset(TextPosition(memo.target_id, 0)) or 0, Side.START)
                if moved is not None:
                    self.changes.update("memos", memo.id, {"target_id": moved.segment_id})
        delete_segments(self.changes, self.store, list(old.ids))
        self.places[their_doc] = lambda pos, side: _by_segment(segments, pos)

    def _codings(self, their_doc: int, our_doc: int) -> None:
        place = self.places[their_doc]
        here = {_key(c) for c in coding_repository.list_codings(self.store, document_id=our_doc)}
        for coding in coding_repository.list_codings(self.other, document_id=their_doc):
            start, end = place(coding.start, Side.START), place(coding.end, Side.END)
            if start is None or end is None or coding.code_id not in self.codes:
                self.result.notes.append(f"a coding of theirs (id {coding.id}) has no place here; left out")
                continue
            moved = Coding(
                0, self.codes[coding.code_id], our_doc, start, end, coding.start_time, coding.end_time,
                coding.coder or self.coder, coding.created or now_iso(), coding.memo, coding.needs_review,
            )  # fmt: skip
            if _key(moved) in here:
                self.result.codings_already_here += 1
                continue
            here.add(_key(moved))
            self.codings[coding.id] = self.changes.insert("codings", coding_repository.coding_row(moved))
            self.result.codings_added += 1

    def _memos(self) -> None:
        self.segment_documents = {
            s.id: doc for doc in self.documents for s in transcript_repository.load_transcript(self.other, doc).segments
        }
        known = {(m.target_type, m.target_id, m.text) for m in interchange_repository.memos(self.store)}
        for memo in interchange_repository.memos(self.other):
            target = self._memo_target(memo.target_type, memo.target_id)
            if memo.target_type != "study" and target is None:
                self.result.notes.append(f"a memo of theirs on a {memo.target_type} that did not come over; left out")
                continue
            if (memo.target_type, target, memo.text) in known:
                continue
            row = {"target_type": memo.target_type, "target_id": target, "text": memo.text}
            row |= {"author": memo.author or self.coder, "created": memo.created or now_iso(), "modified": now_iso()}
            self.changes.insert("memos", row)
            self.result.memos_added += 1

    def _memo_target(self, kind: str, target: int | None) -> int | None:
        if target is None:
            return None
        if kind in ("document", "code", "coding"):
            return {"document": self.documents, "code": self.codes, "coding": self.codings}[kind].get(target)
        their_doc = self.segment_documents.get(target) if kind == "segment" else None
        if their_doc is not None:
            moved = self.places[their_doc](TextPosition(target, 0), Side.START)
            return moved.segment_id if moved is not None else None
        return None


def _via(
    theirs: DocText, pos: TextPosition, side: Side, place: Callable[[int, Side], TextPosition | None]
) -> TextPosition | None:
    offset = theirs.offset(pos)
    return None if offset is None else place(offset, side)


def _by_segment(segments: dict[int, int], pos: TextPosition) -> TextPosition | None:
    new = segments.get(pos.segment_id)
    return None if new is None else TextPosition(new, pos.offset)


def _renumbered(text: DocText, segments: dict[int, int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return tuple(segments[i] for i in text.ids), text.starts


def _positions(start: TextPosition, end: TextPosition) -> dict[str, int]:
    return {
        "start_segment_id": start.segment_id,
        "start_offset": start.offset,
        "end_segment_id": end.segment_id,
        "end_offset": end.offset,
    }


def _key(coding: Coding) -> tuple[object, ...]:
    return (coding.code_id, coding.start.segment_id, coding.start.offset, coding.end.segment_id, coding.end.offset,
            coding.coder)  # fmt: skip
