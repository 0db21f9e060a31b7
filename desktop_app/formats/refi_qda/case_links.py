"""Cases linked to their documents the way NVivo writes them and QualCoder reads them.

QualCoder ignores a ``Case``'s ``SourceRef``; it links a case to a file when a code carries the
case's GUID (NVivo exports cases so) and codes the file: it then drops that code and keeps its
codings as the case's text. The export for another QDA tool therefore adds, for each participant
who speaks in a document, a code with the case's GUID and one selection over the document's whole
text. Reading, a code whose GUID is a case's is that link, not a code.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from desktop_app.core.coding import Participant
from desktop_app.formats.qda_snapshot import DOCUMENT, PARTICIPANT, QdaDocument, QdaProject, derived_guid
from desktop_app.formats.refi_qda.xml import ElementBuilder, xml_text

DESCRIPTION = "Case: marks the documents this participant speaks in (how NVivo and QualCoder link cases)"


def linked_participants(project: QdaProject, document: QdaDocument) -> list[Participant]:
    labels = {s.participant for s in document.speakers if s.participant}
    return [p for p in project.participants if p.label in labels]


def build_case_codes(project: QdaProject, builder: ElementBuilder, report: list[str]) -> list[ET.Element]:
    """A ``Code`` per participant who speaks in some document, carrying the case's GUID."""
    linked = {p.id: p for d in project.documents for p in linked_participants(project, d)}
    codes = []
    for participant in linked.values():
        code = builder.make(
            "Code",
            guid=project.guids.get(PARTICIPANT, participant.id),
            name=xml_text(participant.label, "case", report),
            isCodable="true",
        )
        builder.text("Description", code, DESCRIPTION)
        codes.append(code)
    return codes


def add_case_selections(
    project: QdaProject, source: ET.Element, document: QdaDocument, length: int, builder: ElementBuilder, created: str
) -> None:
    """One selection over the whole text per participant speaking in ``document``, coded with the case's code."""
    document_guid = project.guids.get(DOCUMENT, document.info.id)
    for participant in linked_participants(project, document):
        case_guid = project.guids.get(PARTICIPANT, participant.id)
        selection = builder.make(
            "PlainTextSelection",
            source,
            guid=derived_guid(case_guid, f"case-link:{document_guid}"),
            name=xml_text(participant.label, "case", []),
            startPosition=0,
            endPosition=length,
            creationDateTime=created,
        )
        coding = builder.make(
            "Coding", selection, guid=derived_guid(case_guid, f"case-coding:{document_guid}"), creationDateTime=created
        )
        builder.make("CodeRef", coding, targetGUID=case_guid)
