"""A document's own metadata (interviewer, recording date, language) as REFI-QDA source variables.

Other tools keep such facts as variables of a source ("file attributes" in QualCoder, document
variables in MAXQDA): each becomes a ``Variable`` and a ``VariableValue`` inside the document's text
source. Reading, a variable that only sources carry values for is a document variable, not a
participant attribute.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from desktop_app.formats.qda_snapshot import QdaDocument, QdaProject
from desktop_app.formats.refi_qda.xml import ElementBuilder, xml_text

FIELDS = (("Interviewer", "interviewer"), ("Recorded date", "recorded_date"), ("Language", "language"))


def document_values(document: QdaDocument) -> dict[str, str]:
    values = {name: getattr(document.info, attr) for name, attr in FIELDS}
    return {name: str(value).strip() for name, value in values.items() if value and str(value).strip()}


def _guid(project: QdaProject, name: str) -> str:
    return project.guids.derived(f"document-variable:{name}")


def build_document_variables(project: QdaProject, builder: ElementBuilder) -> list[ET.Element]:
    """``Variable``s for the document fields any document has a value for."""
    used = {name for document in project.documents for name in document_values(document)}
    return [
        builder.make("Variable", guid=_guid(project, name), name=name, typeOfVariable="Text")
        for name, _ in FIELDS
        if name in used
    ]


def add_document_values(
    project: QdaProject, source: ET.Element, document: QdaDocument, builder: ElementBuilder, report: list[str]
) -> None:
    for name, value in document_values(document).items():
        element = builder.make("VariableValue", source)
        builder.make("VariableRef", element, targetGUID=_guid(project, name))
        builder.text("TextValue", element, xml_text(value, f"'{document.info.title}' {name.lower()}", report))
