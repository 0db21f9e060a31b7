"""Documents in a merge: matched by recording (or, without one, by title), transcripts compared, copied or
replaced through the journal.

A transcript is compared as one text (turns joined by newlines). Places in it are document offsets,
so a coding made on their transcript lands on ours by the same offset when the texts are equal, and
through the differences between the two texts (``edits_between``/``map_offset``) when they are not.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from enum import Enum

from desktop_app.core.coding import TextPosition
from desktop_app.core.text.span_tracking import Side, TextEdit, edits_between, map_offset
from desktop_app.core.transcript import Segment
from desktop_app.services.transcription.retranscription import delete_turns
from desktop_app.storage.interchange import merge_repository
from desktop_app.storage.interchange.merge_repository import DocumentKey, Row
from desktop_app.storage.journal import ChangeSet
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import transcript_repository


class TranscriptChoice(Enum):
    """What to do with a document whose transcript differs between the copies."""

    OURS = "ours"  # keep ours; their codings land on it through the differences
    THEIRS = "theirs"  # take theirs; our codings move onto it the same way
    BOTH = "both"  # keep ours, add theirs as another version of the document with their codings


@dataclass(frozen=True)
class DocText:
    """A transcript as one text: segment ids in order and where each starts."""

    text: str
    ids: tuple[int, ...]
    starts: tuple[int, ...]

    @classmethod
    def of(cls, segments: list[Segment]) -> DocText:
        starts, cursor = [], 0
        for segment in segments:
            starts.append(cursor)
            cursor += len(segment.text) + 1
        return cls("\n".join(s.text for s in segments), tuple(s.id or 0 for s in segments), tuple(starts))

    def offset(self, position: TextPosition) -> int | None:
        try:
            index = self.ids.index(position.segment_id)
        except ValueError:
            return None
        return self.starts[index] + position.offset

    def position(self, offset: int, side: Side) -> TextPosition | None:
        """The segment position of a document offset; an end at a line start belongs to the line before."""
        if not self.ids:
            return None
        index = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        if side is Side.END and index > 0 and offset == self.starts[index]:
            index -= 1
        length = (self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)) - self.starts[index]
        return TextPosition(self.ids[index], min(max(offset - self.starts[index], 0), length))


@dataclass(frozen=True)
class Anchor:
    """How places in their transcript of a document find their place in ours."""

    ours: DocText
    edits: tuple[TextEdit, ...] = ()

    def place(self, offset: int, side: Side) -> TextPosition | None:
        return self.ours.position(map_offset(offset, self.edits, side) if self.edits else offset, side)


def anchor_between(theirs: DocText, ours: DocText) -> Anchor:
    return Anchor(ours, () if theirs.text == ours.text else tuple(edits_between(theirs.text, ours.text)))


@dataclass(frozen=True)
class DocumentMatch:
    """Their document and ours with the same recording (``ours`` None: they have it, we do not)."""

    theirs: DocumentKey
    ours: DocumentKey | None
    same_transcript: bool


def match_documents(store: ProjectStore, other: ProjectStore) -> list[DocumentMatch]:
    """Pair documents by recording hash (in order, so two copies of one recording pair up in turn); a
    document without a recording pairs with ours of the same title that has none either."""
    ours_by_key: dict[str, list[DocumentKey]] = {}
    for key in merge_repository.documents(store):
        ours_by_key.setdefault(_match_key(key), []).append(key)
    matches = []
    for key in merge_repository.documents(other):
        candidates = ours_by_key.get(_match_key(key), [])
        ours = candidates.pop(0) if candidates else None
        same = ours is not None and transcript_text(store, ours.id) == transcript_text(other, key.id)
        matches.append(DocumentMatch(key, ours, same))
    return matches


def _match_key(key: DocumentKey) -> str:
    return f"sha256:{key.sha256}" if key.sha256 else f"title:{key.title}"


def transcript_text(store: ProjectStore, document_id: int) -> str:
    return DocText.of(transcript_repository.load_transcript(store, document_id).segments).text


def _without_id(row: Row, **changes: object) -> Row:
    copied = {k: v for k, v in row.items() if k != "id"}
    copied.update(changes)
    return copied


def copy_segments(
    changes: ChangeSet, store: ProjectStore, other: ProjectStore, their_doc: int, our_doc: int
) -> dict[int, int]:
    """Their turns, words and speakers (ours where the label is known) into ``our_doc``; their segment id -> ours."""
    ours = {r["label"]: r["id"] for r in merge_repository.rows(store, "speakers", "document_id", our_doc)}
    speakers = {}
    for speaker in merge_repository.rows(other, "speakers", "document_id", their_doc):
        known = ours.get(speaker["label"])
        speakers[speaker["id"]] = known or changes.insert(
            "speakers", _without_id(speaker, document_id=our_doc, participant_id=None)
        )
    segment_ids = {}
    for segment in merge_repository.rows(other, "segments", "document_id", their_doc):
        new = changes.insert(
            "segments",
            _without_id(segment, document_id=our_doc, run_id=None, speaker_id=speakers.get(segment["speaker_id"])),
        )
        segment_ids[segment["id"]] = new
        for word in merge_repository.rows(other, "words", "segment_id", segment["id"]):
            changes.insert("words", _without_id(word, segment_id=new, speaker_id=speakers.get(word["speaker_id"])))
        for english in merge_repository.rows(other, "translations", "segment_id", segment["id"]):
            changes.insert("translations", _without_id(english, segment_id=new))  # their English comes with their turn
    return segment_ids


@dataclass(frozen=True)
class CopiedDocument:
    id: int
    segments: dict[int, int]  # their segment id -> ours
    note: str | None


def copy_document(
    changes: ChangeSet, store: ProjectStore, other: ProjectStore, their_doc: int, title: str
) -> CopiedDocument:
    """Their document (recording reference, metadata, transcript) as a new document of ours.

    Returns its id, the segment map and a note when the recording could not come along: one embedded in their copy is
    not copied (the journal keeps rows, not audio); the document then needs relinking to the file.
    """
    document = merge_repository.row(other, "documents", their_doc)
    assert document is not None
    media_id, note = None, None
    media = merge_repository.row(other, "media", document["media_id"]) if document["media_id"] else None
    if media is not None:
        known = merge_repository.media_by_hash(store, str(media["sha256"]))
        if known is not None:
            media_id = known
        else:
            if media["embedded"]:
                note = f"'{title}': the recording was inside their copy; relink it to {media['file_name']}"
            media_id = changes.insert("media", _without_id(media, embedded=0))
    position = merge_repository.next_document_position(store)
    new = changes.insert("documents", _without_id(document, title=title, media_id=media_id, position=position))
    return CopiedDocument(new, copy_segments(changes, store, other, their_doc, new), note)


def delete_segments(changes: ChangeSet, store: ProjectStore, segment_ids: list[int]) -> None:
    """Our old turns, after codings and memos have moved off them (undo brings every row back)."""
    delete_turns(changes, store, segment_ids)
