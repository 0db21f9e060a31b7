"""REFI-QDA codebooks: the code tree as ``<Codes>`` (shared with projects) and ``.qdc`` files.

A ``.qdc`` holds the code tree (names, colours, descriptions, codable flags) and sets of codes
(realist Context/Mechanism/Outcome tags travel this way). Reading accepts any namespace version or
none, GUIDs with braces, colours as ``#RGB``, ``#RRGGBBAA`` or ``rgb()``, and missing optional parts.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

from desktop_app.core.coding import Code
from desktop_app.core.errors import ExportError
from desktop_app.formats.qda_snapshot import CODE, CODE_SET, ImportResult, QdaCodeSet, QdaProject
from desktop_app.formats.refi_qda.xml import (
    CODEBOOK_NS,
    ElementBuilder,
    child_text,
    children,
    normalise_color,
    normalise_guid,
    parse_xml,
    serialise,
    write_file,
    xml_text,
)

MAX_CODEBOOK_BYTES = 64 * 1024 * 1024


def code_tree(codes: list[Code], report: list[str]) -> dict[int | None, list[Code]]:
    """Children by parent id (roots under None), in codebook order; orphans become roots, cycles dropped."""
    known = {c.id for c in codes}
    tree: dict[int | None, list[Code]] = {}
    for code in sorted(codes, key=lambda c: (c.position, c.id)):
        parent = code.parent_id if code.parent_id in known else None
        if code.parent_id is not None and parent is None:
            report.append(f"code '{code.name}': its parent is missing; exported at the top level")
        tree.setdefault(parent, []).append(code)
    reachable: set[int] = set()
    stack = [c.id for c in tree.get(None, [])]
    while stack:
        current = stack.pop()
        reachable.add(current)
        stack.extend(c.id for c in tree.get(current, []) if c.id not in reachable)
    for code in codes:
        if code.id not in reachable:
            report.append(f"code '{code.name}': part of a parent cycle; left out")
    return tree


def build_codes(
    project: QdaProject,
    builder: ElementBuilder,
    report: list[str],
    note_refs: Mapping[int, list[str]] | None = None,
) -> ET.Element | None:
    """``<Codes>`` for the project's code tree; ``note_refs`` (code id -> note GUIDs) only in projects."""
    tree = code_tree(project.codes, report)
    if not tree.get(None):
        return None
    codes = builder.make("Codes")

    def add(code: Code, parent: ET.Element) -> None:
        color = normalise_color(code.color)
        if code.color and color is None:
            report.append(f"code '{code.name}': colour {code.color!r} is not #RRGGBB; left out")
        element = builder.make(
            "Code",
            parent,
            guid=project.guids.get(CODE, code.id),
            name=xml_text(code.name, f"code '{code.name}'", report),
            isCodable="true" if code.codable else "false",
            color=color,
        )
        if code.description:
            builder.text("Description", element, xml_text(code.description, f"code '{code.name}'", report))
        for note_guid in (note_refs or {}).get(code.id, []):
            builder.make("NoteRef", element, targetGUID=note_guid)
        for child in tree.get(code.id, []):
            add(child, element)

    for root in tree[None]:
        add(root, codes)
    return codes


def build_code_set(project: QdaProject, code_set: QdaCodeSet, builder: ElementBuilder, report: list[str]) -> ET.Element:
    """A ``<Set>`` of member codes (``.qdc`` members carry ``guid``, projects' ``targetGUID``)."""
    member_attr = "guid" if builder.ns == CODEBOOK_NS else "targetGUID"
    element = builder.make(
        "Set", guid=project.guids.get(CODE_SET, code_set.id), name=xml_text(code_set.name, "code set", report)
    )
    if code_set.description:
        builder.text("Description", element, xml_text(code_set.description, f"set '{code_set.name}'", report))
    known = {c.id for c in project.codes}
    for code_id in code_set.code_ids:
        if code_id in known:
            builder.make("MemberCode", element, **{member_attr: project.guids.get(CODE, code_id)})
    return element


def codebook_xml(project: QdaProject) -> tuple[bytes, list[str]]:
    """The ``.qdc`` document for the project's codebook and code sets, and the report."""
    report: list[str] = []
    builder = ElementBuilder(CODEBOOK_NS)
    root = builder.make("CodeBook", origin="Verbatim")
    codes = build_codes(project, builder, report)
    if codes is None:
        raise ExportError(None, "the codebook has no codes to export")
    root.append(codes)
    if project.code_sets:
        sets = builder.make("Sets", root)
        for code_set in project.code_sets:
            sets.append(build_code_set(project, code_set, builder, report))
    return serialise(root, CODEBOOK_NS), report


def write_codebook(project: QdaProject, path: Path) -> list[str]:
    """Write ``path`` (a ``.qdc``); returns what the format could not carry."""
    data, report = codebook_xml(project)
    write_file(path, data)
    return report


def read_codes(codes: ET.Element, project: QdaProject, report: list[str]) -> None:
    """Add the codes under ``<Codes>`` to ``project`` with fresh ids and their GUIDs in ``project.guids``."""

    def add(element: ET.Element, parent_id: int | None, position: int) -> None:
        name = element.get("name")
        if name is None:
            report.append("a code without a name was skipped (with its sub-codes)")
            return
        code = Code(
            id=len(project.codes) + 1,
            name=name,
            parent_id=parent_id,
            color=normalise_color(element.get("color")) or "#808080",
            description=child_text(element, "Description"),
            codable=element.get("isCodable", "true").strip().lower() not in ("false", "0"),
            position=position,
        )
        project.codes.append(code)
        guid = normalise_guid(element.get("guid"))
        if guid is None or project.guids.find(CODE, guid) is not None:
            report.append(f"code '{name}': missing or repeated GUID; a new one was made")
        else:
            project.guids.set(CODE, code.id, guid)
        for index, child in enumerate(children(element, "Code")):
            add(child, code.id, index)

    for index, element in enumerate(children(codes, "Code")):
        add(element, None, index)


def read_code_set(element: ET.Element, project: QdaProject) -> QdaCodeSet | None:
    """A ``<Set>``'s member codes as a code set (None when it has none)."""
    code_ids = []
    for member in children(element, "MemberCode"):
        guid = normalise_guid(member.get("targetGUID") or member.get("guid"))
        code_id = project.guids.find(CODE, guid) if guid else None
        if code_id is not None:
            code_ids.append(code_id)
    if not code_ids:
        return None
    code_set = QdaCodeSet(
        len(project.code_sets) + 1, element.get("name", ""), code_ids, child_text(element, "Description")
    )
    guid = normalise_guid(element.get("guid"))
    if guid:
        project.guids.set(CODE_SET, code_set.id, guid)
    return code_set


def read_codebook(path: Path) -> ImportResult:
    """Read a ``.qdc`` (or any file whose root holds ``<Codes>``) into a project with only codes and sets."""
    try:
        if path.stat().st_size > MAX_CODEBOOK_BYTES:
            raise ExportError(path, f"refused: larger than {MAX_CODEBOOK_BYTES // 2**20} MiB")
        data = path.read_bytes()
    except OSError as exc:
        raise ExportError(path, f"cannot read: {exc.strerror or exc}") from exc
    parsed = parse_xml(data, path)
    root = parsed.find("CodeBook") if parsed.tag == "Project" else parsed
    codes = root.find("Codes") if root is not None else None
    if root is None or root.tag != "CodeBook" or codes is None:
        raise ExportError(path, "not a REFI-QDA codebook (no CodeBook/Codes)")
    result = ImportResult(QdaProject(name=path.stem))
    read_codes(codes, result.project, result.report)
    sets = root.find("Sets")
    for element in children(sets, "Set") if sets is not None else ():
        code_set = read_code_set(element, result.project)
        if code_set is None:
            result.report.append(f"set '{element.get('name', '')}' has no codes; skipped")
        else:
            result.project.code_sets.append(code_set)
    return result
