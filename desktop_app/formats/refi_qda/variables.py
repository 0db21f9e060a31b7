"""Participants and their attributes as REFI-QDA ``Variables`` and ``Cases``, both ways.

Attribute types map to ``typeOfVariable``: text and category are ``Text`` (a category's choices go in
the variable's description as ``One of:`` and one choice a line, which a re-import reads back),
integer ``Integer``, decimal ``Float``, date ``Date``, boolean ``Boolean``. A value that does not fit
its type is left out and reported. A case refers to the sources of the documents where the
participant speaks (``SpeakerInfo.participant`` equal to the participant's label), and its
description is the participant's notes. Reading, a case without a name and with one source is not
a person but that source's variable values (MAXQDA and Quirkos write file variables so; QualCoder
puts them inside the source): both become document variables.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Protocol

from desktop_app.core.coding import Attribute, AttributeType, Participant
from desktop_app.formats.qda_snapshot import ATTRIBUTE, PARTICIPANT, QdaProject
from desktop_app.formats.refi_qda.document_variables import build_document_variables
from desktop_app.formats.refi_qda.source_writer import source_guids
from desktop_app.formats.refi_qda.xml import ElementBuilder, child_text, children, normalise_guid, xml_text

CHOICES_HEADER = "One of:"


class SourceVariables(Protocol):
    """What reading source variables needs from the source reader."""

    project: QdaProject
    report: list[str]

    def paired_guids(self) -> dict[str, str]: ...


_REFI_TYPE = {
    AttributeType.TEXT: "Text",
    AttributeType.CATEGORY: "Text",
    AttributeType.INTEGER: "Integer",
    AttributeType.DECIMAL: "Float",
    AttributeType.DATE: "Date",
    AttributeType.BOOLEAN: "Boolean",
}
_OUR_TYPE = {
    "text": AttributeType.TEXT,
    "integer": AttributeType.INTEGER,
    "float": AttributeType.DECIMAL,
    "date": AttributeType.DATE,
    "datetime": AttributeType.TEXT,
    "boolean": AttributeType.BOOLEAN,
}
_VALUE_TAG = {
    "Text": "TextValue",
    "Integer": "IntegerValue",
    "Float": "FloatValue",
    "Date": "DateValue",
    "Boolean": "BooleanValue",
}
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def _as_integer(value: str) -> str | None:
    try:
        return str(int(value.strip()))
    except ValueError:
        return None


def _as_decimal(value: str) -> str | None:
    try:
        number = Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return format(number, "f") if number.is_finite() else None


def _as_date(value: str) -> str | None:
    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


def _as_boolean(value: str) -> str | None:
    lowered = value.strip().lower()
    return "true" if lowered in _TRUE else "false" if lowered in _FALSE else None


_CONVERT: dict[str, Callable[[str], str | None]] = {
    "Integer": _as_integer,
    "Float": _as_decimal,
    "Date": _as_date,
    "Boolean": _as_boolean,
}


def build_variables(project: QdaProject, builder: ElementBuilder, report: list[str]) -> ET.Element | None:
    """Participant attributes, then the document fields (:mod:`document_variables`) documents have."""
    document_fields = build_document_variables(project, builder)
    if not project.attributes and not document_fields:
        return None
    variables = builder.make("Variables")
    for attribute in project.attributes:
        element = builder.make(
            "Variable",
            variables,
            guid=project.guids.get(ATTRIBUTE, attribute.id),
            name=xml_text(attribute.name, "attribute name", report),
            typeOfVariable=_REFI_TYPE[attribute.type],
        )
        if attribute.type is AttributeType.CATEGORY:
            choices = "\n".join([CHOICES_HEADER, *attribute.choices])
            builder.text("Description", element, xml_text(choices, f"attribute '{attribute.name}'", report))
    variables.extend(document_fields)
    return variables


def _add_value(
    ctx: tuple[QdaProject, ElementBuilder, list[str]], case: ET.Element, attribute: Attribute, raw: str
) -> None:
    project, builder, report = ctx
    refi_type = _REFI_TYPE[attribute.type]
    value = _CONVERT[refi_type](raw) if refi_type in _CONVERT else raw
    if value is None:
        report.append(f"attribute '{attribute.name}': value {raw!r} is not a valid {refi_type.lower()}; left out")
        return
    element = builder.make("VariableValue", case)
    builder.make("VariableRef", element, targetGUID=project.guids.get(ATTRIBUTE, attribute.id))
    builder.text(_VALUE_TAG[refi_type], element, xml_text(value, f"attribute '{attribute.name}'", report))


def _participant_sources(project: QdaProject, participant: Participant) -> list[str]:
    guids = []
    for document in project.documents:
        if any(s.participant == participant.label for s in document.speakers):
            guids += source_guids(project, document)
    return guids


def build_cases(project: QdaProject, builder: ElementBuilder, report: list[str]) -> ET.Element | None:
    if not project.participants:
        return None
    cases = builder.make("Cases")
    by_name = {a.name: a for a in project.attributes}
    for participant in project.participants:
        case = builder.make(
            "Case",
            cases,
            guid=project.guids.get(PARTICIPANT, participant.id),
            name=xml_text(participant.label, "case", report),
        )
        notes = project.participant_notes.get(participant.id, "")
        if notes:
            builder.text("Description", case, xml_text(notes, f"notes on '{participant.label}'", report))
        for name, raw in participant.values.items():
            attribute = by_name.get(name)
            if attribute is None:
                report.append(f"participant '{participant.label}': no attribute called {name!r}; value left out")
            elif raw.strip():
                _add_value((project, builder, report), case, attribute, raw)
        for guid in _participant_sources(project, participant):
            builder.make("SourceRef", case, targetGUID=guid)
    return cases


def read_variables(variables: ET.Element, project: QdaProject, report: list[str]) -> None:
    for element in children(variables, "Variable"):
        refi_type = (element.get("typeOfVariable") or "Text").strip().lower()
        description = child_text(element, "Description")
        attribute = Attribute(
            len(project.attributes) + 1, element.get("name", ""), _OUR_TYPE.get(refi_type, AttributeType.TEXT)
        )
        if refi_type == "text" and description.startswith(CHOICES_HEADER + "\n"):
            attribute.type = AttributeType.CATEGORY
            attribute.choices = description.split("\n")[1:]
        if refi_type == "datetime":
            report.append(f"variable '{attribute.name}': date-time values are kept as text")
        project.attributes.append(attribute)
        guid = normalise_guid(element.get("guid"))
        if guid:
            project.guids.set(ATTRIBUTE, attribute.id, guid)


def _value_text(element: ET.Element) -> str | None:
    for tag in ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue"):
        found = element.find(tag)
        if found is not None:
            return found.text or ""
    return None


def read_cases(cases: ET.Element, project: QdaProject, report: list[str]) -> dict[int, list[str]]:
    """Add participants; returns the source GUIDs each participant's case refers to, by participant id."""
    by_guid = {g: a for a in project.attributes if (g := project.guids.items().get((ATTRIBUTE, a.id)))}
    sources: dict[int, list[str]] = {}
    for element in children(cases, "Case"):
        if element.get("name") is None and len(list(children(element, "SourceRef"))) == 1:
            continue  # a source's variable values: read_source_variables
        participant = Participant(
            len(project.participants) + 1, element.get("name") or f"Case {len(project.participants) + 1}"
        )
        for value in children(element, "VariableValue"):
            ref = value.find("VariableRef")
            attribute = by_guid.get(normalise_guid(ref.get("targetGUID")) or "") if ref is not None else None
            text = _value_text(value)
            if attribute is None or text is None:
                report.append(f"case '{participant.label}': a value of an unknown variable was skipped")
                continue
            participant.values[attribute.name] = text
        project.participants.append(participant)
        description = child_text(element, "Description")
        if description:
            project.participant_notes[participant.id] = description
        guid = normalise_guid(element.get("guid"))
        if guid:
            project.guids.set(PARTICIPANT, participant.id, guid)
        refs = [normalise_guid(r.get("targetGUID")) for r in children(element, "SourceRef")]
        sources[participant.id] = [r for r in refs if r]
    return sources


def _values(element: ET.Element, by_guid: dict[str, Attribute]) -> dict[str, str]:
    values = {}
    for value in children(element, "VariableValue"):
        ref = value.find("VariableRef")
        attribute = by_guid.get(normalise_guid(ref.get("targetGUID")) or "") if ref is not None else None
        text = _value_text(value)
        if attribute is not None and text is not None and text.strip():
            values[attribute.name] = text.strip()
    return values


def read_source_variables(reader: SourceVariables, sources: ET.Element, cases: ET.Element | None) -> None:
    """Variable values given to sources (inside them, or in a nameless case of one source) by document."""
    project = reader.project
    by_guid = {g: a for a in project.attributes if (g := project.guids.items().get((ATTRIBUTE, a.id)))}
    documents = {g: i for (kind, i), g in project.guids.items().items() if kind == "document"}
    documents.update({t: documents[m] for t, m in reader.paired_guids().items() if m in documents})
    holders = [(normalise_guid(s.get("guid")), s) for s in sources]
    for case in children(cases, "Case") if cases is not None else ():
        refs = list(children(case, "SourceRef"))
        if case.get("name") is None and len(refs) == 1:
            holders.append((normalise_guid(refs[0].get("targetGUID")), case))
    for guid, element in holders:
        values = _values(element, by_guid)
        document = documents.get(guid or "")
        if values and document is None:
            reader.report.append(f"values of variables {sorted(values)} for a source that was not imported; skipped")
        elif values and document is not None:
            project.document_variables.setdefault(document, {}).update(values)
