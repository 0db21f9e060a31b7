"""Memos and field notes as REFI-QDA ``<Note>``s, and where their ``<NoteRef>``s go.

A memo on the study is referenced from the project, on a document from its sources, on a code from
the code, on a coding from its ``<Coding>``s. Field notes are one note per document, referenced from
its sources and listed in the set ``Field notes`` so a re-import tells them from memos.

Two shapes, because that is what other tools read (QualCoder makes a journal only from a note whose
text is a ``plainTextPath`` file, and an annotation only from a note holding its text inline with a
``PlainTextSelection``, referenced from the text source):
- a *journal* note: its text in ``sources/<guid>.txt``;
- an *annotation* note: ``PlainTextContent`` and a ``PlainTextSelection`` giving the span it is
  about in the document's text source. A segment memo is one (the segment's line); so is a memo or
  field note on a document that has no recording (the whole text), which has no other source to
  refer to it from.
Every note has a ``creationDateTime`` (the memo's, else the export's): some importers stop without one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from desktop_app.core.coding import Memo
from desktop_app.formats.qda_snapshot import DOCUMENT, MEMO, QdaProject, derived_guid
from desktop_app.formats.refi_qda.internal_files import InternalFile, text_file
from desktop_app.formats.refi_qda.xml import ElementBuilder, xml_datetime, xml_text

FIELD_NOTES_SET = "Field notes"
TARGET_KINDS = ("study", "document", "code", "coding", "segment")


@dataclass
class PlannedNote:
    guid: str
    name: str
    text: str
    author: str = ""
    created: str = ""
    selection: tuple[int, int] | None = None  # set by the source writer: an annotation on this span


@dataclass
class NotePlan:
    """Every note of an export and the GUIDs each kind of target refers to."""

    notes: list[PlannedNote] = field(default_factory=list)
    study: list[str] = field(default_factory=list)
    by_document: dict[int, list[str]] = field(default_factory=dict)
    by_code: dict[int, list[str]] = field(default_factory=dict)
    by_coding: dict[int, list[str]] = field(default_factory=dict)
    by_segment: dict[int, list[str]] = field(default_factory=dict)
    field_notes: list[str] = field(default_factory=list)

    def annotate(self, guids: list[str], start: int, end: int) -> None:
        """Make the notes ``guids`` annotations on ``[start, end)`` of the text source referring to them."""
        for note in self.notes:
            if note.guid in guids:
                note.selection = (start, end)


def _segment_document(project: QdaProject, segment_id: int | None) -> int | None:
    for document in project.documents:
        if any(s.id == segment_id for s in document.transcript.segments):
            return document.info.id
    return None


def _target_list(plan: NotePlan, project: QdaProject, memo: Memo) -> list[str] | None:
    kind, target = memo.target_type, memo.target_id
    if kind == "study":
        return plan.study
    if target is None:
        return None
    if kind == "document" and project.document(target) is not None:
        return plan.by_document.setdefault(target, [])
    if kind == "code" and any(c.id == target for c in project.codes):
        return plan.by_code.setdefault(target, [])
    if kind == "coding" and any(c.id == target for c in project.codings):
        return plan.by_coding.setdefault(target, [])
    if kind == "segment" and _segment_document(project, target) is not None:
        return plan.by_segment.setdefault(target, [])
    return None


def plan_notes(project: QdaProject, report: list[str]) -> NotePlan:
    """Decide every note's GUID and referrer; memos whose target is gone are reported and left out."""
    plan = NotePlan()
    for memo in project.memos:
        refs = _target_list(plan, project, memo)
        if refs is None:
            report.append(f"memo {memo.id} on {memo.target_type} {memo.target_id}: target not exported; left out")
            continue
        guid = project.guids.get(MEMO, memo.id)
        refs.append(guid)
        name = f"Memo on {memo.target_type}" if memo.target_type != "study" else "Study memo"
        plan.notes.append(PlannedNote(guid, name, memo.text, memo.author, memo.created))
    for document in project.documents:
        if document.info.field_notes.strip():
            guid = derived_guid(project.guids.get(DOCUMENT, document.info.id), "field-notes")
            plan.by_document.setdefault(document.info.id, []).append(guid)
            plan.field_notes.append(guid)
            name = f"Field notes: {document.info.title}"
            plan.notes.append(PlannedNote(guid, name, document.info.field_notes))
    return plan


@dataclass
class NoteOutput:
    """Where notes go: the builder, the report, the archive's files and the export's date."""

    builder: ElementBuilder
    report: list[str]
    files: list[InternalFile]
    created: str


def build_notes(project: QdaProject, plan: NotePlan, out: NoteOutput) -> ET.Element | None:
    if not plan.notes:
        return None
    builder, report = out.builder, out.report
    notes = builder.make("Notes")
    for note in plan.notes:
        text = xml_text(note.text, f"note '{note.name}'", report)
        element = builder.make(
            "Note",
            notes,
            guid=note.guid,
            name=xml_text(note.name, "note name", report),
            plainTextPath=text_file(out.files, note.guid, text) if note.selection is None else None,
            creatingUser=project.user_guid(note.author) if note.author else None,
            creationDateTime=xml_datetime(note.created) or out.created,
        )
        if note.selection is not None:
            builder.text("PlainTextContent", element, text)
            start, end = note.selection
            builder.make(
                "PlainTextSelection",
                element,
                guid=derived_guid(note.guid, "annotation"),
                startPosition=start,
                endPosition=end,
                creatingUser=element.get("creatingUser"),
                creationDateTime=element.get("creationDateTime"),
            )
    return notes


def add_note_refs(element: ET.Element, guids: list[str], builder: ElementBuilder) -> None:
    for guid in guids:
        builder.make("NoteRef", element, targetGUID=guid)
