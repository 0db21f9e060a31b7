"""A study's REFI-QDA snapshot with the study's pseudonyms applied, for co-authors at other institutions.

Every text that can name someone goes through the pseudonym table (hits the researcher chose to
keep stay): turns, document titles, field notes, memos, coding memos, participants' notes, the study's
name and description. A speaker linked to a participant is named by the participant's label, any
other by the pseudonymised name; the name a linked speaker was given (often the person's own) is
replaced by that label wherever it appears. Codings keep their characters: their offsets move with the text
(the differences between the original and the pseudonymised turn). Recordings are left out (a voice
identifies), so documents go as text; word times go with them.
"""

from __future__ import annotations

from collections.abc import Callable

from desktop_app.core.coding import TextPosition
from desktop_app.core.pseudonymise import PseudonymEntry, pseudonymise
from desktop_app.core.text.span_tracking import Side, TextEdit, edits_between, map_offset
from desktop_app.formats.qda_snapshot import QdaDocument, QdaProject
from desktop_app.services.participants import pseudonym_service
from desktop_app.storage.project_store import ProjectStore


def _document(store: ProjectStore, document: QdaDocument, apply: Callable[[str], str]) -> dict[int, list[TextEdit]]:
    """Pseudonymise one document in place; returns the text edits made to each turn, by segment id."""
    bundle = pseudonym_service.pseudonymised_bundle(store, document.info.id)
    prepared = {s.id: s.text for s in bundle.transcript.segments}  # kept hits marked
    edits: dict[int, list[TextEdit]] = {}
    for segment in document.transcript.segments:
        new = apply(prepared.get(segment.id, segment.text))
        if segment.id is not None and new != segment.text:
            edits[segment.id] = edits_between(segment.text, new)
            segment.text = new
        segment.words = []
    for speaker in document.speakers:
        speaker.display_name = speaker.participant or apply(speaker.name)
    document.info.title = apply(document.info.title)
    document.info.field_notes = apply(document.info.field_notes)
    document.info.interviewer = None
    document.media, document.info.media_path = None, None
    return edits


def _moved(position: TextPosition, edits: dict[int, list[TextEdit]], side: Side) -> TextPosition:
    found = edits.get(position.segment_id)
    return position if not found else TextPosition(position.segment_id, map_offset(position.offset, found, side))


def pseudonymise_project(store: ProjectStore, project: QdaProject) -> list[str]:
    """Apply the study's pseudonyms to ``project`` (a snapshot of ``store``); returns report lines."""
    entries = _entries(store, project)
    transform: Callable[[str], str] = lambda text: pseudonymise(text, entries)  # noqa: E731
    edits: dict[int, list[TextEdit]] = {}
    for document in project.documents:
        edits |= _document(store, document, transform)
    for coding in project.codings:
        coding.start, coding.end = _moved(coding.start, edits, Side.START), _moved(coding.end, edits, Side.END)
        coding.memo = transform(coding.memo)
        coding.start_time = coding.end_time = None
    for memo in project.memos:
        memo.text = transform(memo.text)
    project.participant_notes = {i: transform(n) for i, n in project.participant_notes.items()}
    project.name, project.description = transform(project.name), transform(project.description)
    return [
        f"pseudonymised with {len(entries)} pseudonym(s) (the study's, and linked speakers' names by their "
        "participant labels); recordings, word times and interviewers left out"
    ]


def _entries(store: ProjectStore, project: QdaProject) -> list[PseudonymEntry]:
    """The study's table, plus each name a linked speaker was given -> the participant's label."""
    entries = list(pseudonym_service.list_pseudonyms(store))
    known = {e.identifier.casefold() for e in entries}
    for document in project.documents:
        for speaker in document.speakers:
            name = (speaker.display_name or "").strip()
            if speaker.participant and name and name != speaker.participant and name.casefold() not in known:
                entries.append(PseudonymEntry(name, speaker.participant))
                known.add(name.casefold())
    return entries
