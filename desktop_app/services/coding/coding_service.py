"""The codebook and coding: every change is journaled, so any of it can be undone after a restart."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.core.coding import Code, Coding, TextPosition
from desktop_app.core.errors import VerbatimError
from desktop_app.core.text.span_tracking import span_time_range
from desktop_app.core.transcript import Segment
from desktop_app.services.study.project_service import require_writable
from desktop_app.storage.coding import coding_dependents, coding_repository
from desktop_app.storage.connection import guarded
from desktop_app.storage.journal import ChangeSet
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import document_repository, transcript_repository

DEFAULT_COLORS = ("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6", "#9a6324")


@dataclass(frozen=True)
class Extract:
    """A coded stretch of talk, ready for a table row or a quote."""

    coding: Coding
    code: Code
    document_title: str
    text: str
    speaker: str | None


def codes(store: ProjectStore) -> list[Code]:
    return coding_repository.list_codes(store)


def _code(store: ProjectStore, code_id: int) -> Code:
    code = coding_repository.get_code(store, code_id)
    if code is None:
        raise VerbatimError(store.path, f"has no code with id {code_id}")
    return code


def descendants(all_codes: list[Code], code_id: int) -> list[int]:
    found, frontier = [], [code_id]
    while frontier:
        parent = frontier.pop()
        children = [c.id for c in all_codes if c.parent_id == parent]
        found.extend(children)
        frontier.extend(children)
    return found


def find_code(store: ProjectStore, name: str) -> Code:
    matches = [c for c in codes(store) if c.name.casefold() == name.strip().casefold()]
    if not matches:
        raise VerbatimError(store.path, f"has no code named {name!r}")
    return matches[0]


def add_code(
    store: ProjectStore, name: str, parent_id: int | None = None, color: str | None = None, description: str = ""
) -> int:
    require_writable(store)
    name = name.strip()
    if not name:
        raise VerbatimError(store.path, "a code needs a name")
    siblings = [c for c in codes(store) if c.parent_id == parent_id]
    if any(c.name.casefold() == name.casefold() for c in siblings):
        raise VerbatimError(store.path, f"a code named {name!r} already exists there")
    if parent_id is not None:
        _code(store, parent_id)
    color = color or DEFAULT_COLORS[len(codes(store)) % len(DEFAULT_COLORS)]
    with guarded(store.path), store.journal.action(f"Add code {name}") as changes:
        return coding_repository.add_code(changes, store, Code(0, name, parent_id, color, description))


def update_code(store: ProjectStore, code_id: int, **values: object) -> None:
    """Rename, recolour, describe or mark (un)codable: ``name``, ``color``, ``description``, ``codable``."""
    require_writable(store)
    code = _code(store, code_id)
    allowed = {"name", "color", "description", "codable"}
    if set(values) - allowed:
        raise ValueError(f"unknown code fields: {sorted(set(values) - allowed)}")
    if "codable" in values:
        values["codable"] = int(bool(values["codable"]))
    if "name" in values:
        name = str(values["name"]).strip()
        siblings = [c for c in codes(store) if c.parent_id == code.parent_id and c.id != code_id]
        if not name or any(c.name.casefold() == name.casefold() for c in siblings):
            raise VerbatimError(
                store.path, f"a code named {name!r} already exists there" if name else "a code needs a name"
            )
        values["name"] = name
    verb = "Rename" if values.keys() == {"name"} else "Recolour" if values.keys() == {"color"} else "Edit"
    with guarded(store.path), store.journal.action(f"{verb} code {code.name}") as changes:
        changes.update("codes", code_id, values)


def move_code(store: ProjectStore, code_id: int, new_parent_id: int | None, position: int | None = None) -> None:
    require_writable(store)
    code = _code(store, code_id)
    if new_parent_id == code_id or new_parent_id in descendants(codes(store), code_id):
        raise VerbatimError(store.path, f"cannot move {code.name!r} inside itself")
    siblings = [c for c in codes(store) if c.parent_id == new_parent_id and c.id != code_id]
    index = len(siblings) if position is None else max(0, min(position, len(siblings)))
    order = [c.id for c in siblings]
    order.insert(index, code_id)
    with guarded(store.path), store.journal.action(f"Move code {code.name}") as changes:
        changes.update("codes", code_id, {"parent_id": new_parent_id})
        for pos, cid in enumerate(order):
            changes.update("codes", cid, {"position": pos})


def delete_code(store: ProjectStore, code_id: int) -> None:
    """Delete a code, its sub-codes and their codings (undoable)."""
    require_writable(store)
    code = _code(store, code_id)
    doomed = [*reversed(descendants(codes(store), code_id)), code_id]
    with guarded(store.path), store.journal.action(f"Delete code {code.name}") as changes:
        for cid in doomed:
            for coding in coding_repository.list_codings(store, code_ids=[cid]):
                _delete_coding(changes, store, coding.id)
            for memo_id in coding_dependents.memo_ids(store, "code", cid):
                changes.delete("memos", memo_id)
            changes.delete("codes", cid)


def merge_codes(store: ProjectStore, source_id: int, target_id: int) -> None:
    """Move every coding and sub-code of ``source`` to ``target``, then remove ``source``."""
    require_writable(store)
    source, target = _code(store, source_id), _code(store, target_id)
    if source_id == target_id or target_id in descendants(codes(store), source_id):
        raise VerbatimError(store.path, f"cannot merge {source.name!r} into {target.name!r}")
    with guarded(store.path), store.journal.action(f"Merge {source.name} into {target.name}") as changes:
        for coding in coding_repository.list_codings(store, code_ids=[source_id]):
            changes.update("codings", coding.id, {"code_id": target_id})
        for child in (c for c in codes(store) if c.parent_id == source_id):
            changes.update("codes", child.id, {"parent_id": target_id})
        changes.delete("codes", source_id)


def apply_code(
    store: ProjectStore,
    document_id: int,
    code_id: int,
    start: TextPosition,
    end: TextPosition,
    *,
    coder: str = "",
    memo: str = "",
) -> int:
    """Code the span from ``start`` to ``end`` (code points, end exclusive; may cross turns)."""
    require_writable(store)
    code = _code(store, code_id)
    if not code.codable:
        raise VerbatimError(store.path, f"code {code.name!r} is a grouping and cannot be applied directly")
    segments = _span_segments(store, document_id, start, end)
    _check_span(store, segments, start, end)
    times = span_time_range(segments, start, end)
    start_time, end_time = times if times else (None, None)
    coding = Coding(0, code_id, document_id, start, end, start_time, end_time, coder=coder, memo=memo)
    with guarded(store.path), store.journal.action(f"Code with {code.name}") as changes:
        return changes.insert("codings", coding_repository.coding_row(coding))


def set_coding_extent(
    store: ProjectStore, coding_id: int, start: TextPosition, end: TextPosition, *, keep_current: bool = False
) -> Coding:
    """Move a coding's ends to ``start``..``end`` (its own document; may cross turns), or with
    ``keep_current`` stretch it to cover both its extent and that span. Its audio time range is taken
    again from the words there, and a "review" flag is cleared: the coder has just looked at it.
    One undoable step; returns the coding as it now is."""
    require_writable(store)
    coding = _coding(store, coding_id)
    code = _code(store, coding.code_id)
    if keep_current:
        start, end = _union(store, coding, start, end)
    segments = _span_segments(store, coding.document_id, start, end)
    _check_span(store, segments, start, end)
    times = span_time_range(segments, start, end)
    start_time, end_time = times if times else (None, None)
    values = {
        "start_segment_id": start.segment_id,
        "start_offset": start.offset,
        "end_segment_id": end.segment_id,
        "end_offset": end.offset,
        "start_time": start_time,
        "end_time": end_time,
        "needs_review": 0,
    }
    with guarded(store.path), store.journal.action(f"Adjust coding {code.name}") as changes:
        changes.update("codings", coding_id, values)
    return _coding(store, coding_id)


def _coding(store: ProjectStore, coding_id: int) -> Coding:
    document_id = coding_dependents.document_of_coding(store, coding_id)
    found = [c for c in codings(store, document_id) if c.id == coding_id] if document_id is not None else []
    if not found:
        raise VerbatimError(store.path, f"has no coding with id {coding_id} (it may have been removed)")
    return found[0]


def _union(
    store: ProjectStore, coding: Coding, start: TextPosition, end: TextPosition
) -> tuple[TextPosition, TextPosition]:
    """The smallest span covering the coding and ``start``..``end``, by turn order then offset."""
    turns = transcript_repository.load_transcript(store, coding.document_id, words=False).segments
    order = {s.id: i for i, s in enumerate(turns)}
    places = (coding.start, coding.end, start, end)
    if any(p.segment_id not in order for p in places):
        raise VerbatimError(store.path, "the selection is not in the coding's transcript")
    ranked = sorted(places, key=lambda p: (order[p.segment_id], p.offset))
    return ranked[0], ranked[-1]


def _span_segments(store: ProjectStore, document_id: int, start: TextPosition, end: TextPosition) -> list[Segment]:
    """The document's turns, with words loaded only for the turns the span covers (for its audio times)."""
    segments = transcript_repository.load_transcript(store, document_id, words=False).segments
    order = [s.id for s in segments]
    if start.segment_id in order and end.segment_id in order:
        covered = order[order.index(start.segment_id) : order.index(end.segment_id) + 1]
        wanted = {sid for sid in covered if sid is not None}
        return transcript_repository.load_transcript(store, document_id, words=wanted).segments
    return segments


def _check_span(store: ProjectStore, segments: list[Segment], start: TextPosition, end: TextPosition) -> None:
    order = {s.id: i for i, s in enumerate(segments)}
    texts = {s.id: s.text for s in segments}
    if start.segment_id not in order or end.segment_id not in order:
        raise VerbatimError(store.path, "the selection is not in this document's transcript")
    if not 0 <= start.offset <= len(texts[start.segment_id]) or not 0 <= end.offset <= len(texts[end.segment_id]):
        raise VerbatimError(store.path, "the selection runs past the end of a turn")
    if (order[start.segment_id], start.offset) >= (order[end.segment_id], end.offset):
        raise VerbatimError(store.path, "the selection is empty")


def _delete_coding(changes: ChangeSet, store: ProjectStore, coding_id: int) -> None:
    """A coding and what hangs on it (realist tag, C-M-O links, memos), so undo brings them all back."""
    for table, row_id in coding_dependents.coding_dependents(store, coding_id):
        changes.delete(table, row_id)
    changes.delete("codings", coding_id)


def remove_coding(store: ProjectStore, coding_id: int) -> None:
    require_writable(store)
    with guarded(store.path), store.journal.action("Remove coding") as changes:
        _delete_coding(changes, store, coding_id)


def codings(store: ProjectStore, document_id: int) -> list[Coding]:
    return coding_repository.list_codings(store, document_id=document_id)


def span_text(segments: list[Segment], start: TextPosition, end: TextPosition) -> str:
    pieces, inside = [], False
    for segment in segments:
        if segment.id == start.segment_id:
            inside = True
        if not inside:
            continue
        low = start.offset if segment.id == start.segment_id else 0
        high = end.offset if segment.id == end.segment_id else len(segment.text)
        pieces.append(segment.text[low:high])
        if segment.id == end.segment_id:
            break
    return " ".join(p.strip() for p in pieces if p.strip())


def extracts(store: ProjectStore, code_id: int, *, include_subcodes: bool = True) -> list[Extract]:
    """Every extract coded with a code (and, by default, its sub-codes), in document order."""
    all_codes = {c.id: c for c in codes(store)}
    wanted = [code_id, *(descendants(list(all_codes.values()), code_id) if include_subcodes else [])]
    found = coding_repository.list_codings(store, code_ids=wanted)
    titles = {d.id: d.title for d in document_repository.list_documents(store)}  # removed documents are left out
    result = []
    for coding in sorted(found, key=lambda c: (c.document_id, c.start_time or 0.0, c.id)):
        if coding.document_id not in titles:
            continue
        turns = transcript_repository.segments_between(store, coding.start.segment_id, coding.end.segment_id)
        speaker = turns[0].speaker if turns else None
        code = all_codes[coding.code_id]
        result.append(
            Extract(coding, code, titles[coding.document_id], span_text(turns, coding.start, coding.end), speaker)
        )
    return result


def follow_text_edit(changes: ChangeSet, store: ProjectStore, segment: Segment, new_text: str) -> None:
    """Move the codings touching ``segment`` with an edit of its text (inside the edit's journal action)."""
    from desktop_app.core.text.span_tracking import edits_between, track_text_edit

    if segment.id is None:
        return
    touching = coding_repository.codings_touching(store, [segment.id])
    if not touching:
        return
    moved = track_text_edit(touching, segment.id, edits_between(segment.text, new_text))
    for before, after in zip(touching, moved, strict=True):
        if after is not before:
            changes.update(
                "codings",
                before.id,
                {
                    "start_offset": after.start.offset,
                    "end_offset": after.end.offset,
                    "needs_review": int(after.needs_review),
                },
            )
