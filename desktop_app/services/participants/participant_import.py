"""Import participants and attribute values from CSV: a header row ``label, attr1, attr2, …``.

Known attributes are validated by their type; new ones get a type inferred from their values
(whole numbers, numbers, ISO dates, yes/no, else text). The whole file is one journal action:
an error anywhere (named by file, row and column) writes nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.coding import Attribute, AttributeType
from desktop_app.core.errors import VerbatimError
from desktop_app.services.participants import participant_service as ps
from desktop_app.services.study.project_service import require_writable
from desktop_app.storage.connection import guarded
from desktop_app.storage.journal import ChangeSet
from desktop_app.storage.project_store import ProjectStore

LABEL_HEADERS = {"label", "participant", "participant label", "id", "case"}
_INFERENCE_ORDER = (AttributeType.INTEGER, AttributeType.DECIMAL, AttributeType.DATE, AttributeType.BOOLEAN)


@dataclass(frozen=True)
class ImportSummary:
    participants_added: int
    participants_updated: int
    attributes_added: list[str]
    values_set: int


def read_table(path: Path) -> list[list[str]]:
    """The CSV's rows (comma, semicolon or tab separated; UTF-8 with or without BOM, else Latin-1)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise VerbatimError(path, f"cannot be read ({exc.strerror or exc})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = max(",;\t", key=first.count)
    rows = [r for r in csv.reader(text.splitlines(), delimiter=delimiter) if any(c.strip() for c in r)]
    if not rows:
        raise VerbatimError(path, "is empty: expected a header row (label, then attribute names)")
    return rows


def infer_type(values: list[str]) -> AttributeType:
    """The narrowest type all non-empty ``values`` fit; text if none."""
    present = [v for v in values if v.strip()]
    if not present:
        return AttributeType.TEXT
    for kind in _INFERENCE_ORDER:
        probe = Attribute(0, "probe", kind)
        try:
            for value in present:
                ps.normalise_value(probe, value)
        except ValueError:
            continue
        if kind is AttributeType.BOOLEAN and all(v.strip() in {"0", "1"} for v in present):
            continue  # 0/1 columns were taken as integers already
        return kind
    return AttributeType.TEXT


def import_participants_csv(store: ProjectStore, path: Path) -> ImportSummary:
    require_writable(store)
    rows = read_table(path)
    header = [h.strip() for h in rows[0]]
    if not header or header[0].casefold() not in LABEL_HEADERS:
        raise VerbatimError(path, f"row 1: the first column must be 'label' (found {header[0] if header else ''!r})")
    _check_header(path, header)
    body = rows[1:]
    existing = {a.name.casefold(): a for a in ps.attributes(store)}
    known_labels = {p.label.casefold() for p in ps.participants(store)}
    added_attributes: list[str] = []
    added = updated = values = 0
    with guarded(store.path), store.journal.action(f"Import participants from {path.name}") as changes:
        columns: list[Attribute] = []
        for index, name in enumerate(header[1:], start=1):
            attribute = existing.get(name.casefold())
            if attribute is None:
                kind = infer_type([r[index] if index < len(r) else "" for r in body])
                attribute_id = ps.insert_attribute(changes, store, name, kind, [])
                attribute = Attribute(attribute_id, name, kind)
                added_attributes.append(name)
            columns.append(attribute)
        for number, row in enumerate(body, start=2):
            label = row[0].strip() if row else ""
            if not label:
                raise VerbatimError(path, f"row {number}, column 'label': a participant needs a label")
            participant_id = ps.participant_id_for(changes, store, label)
            added, updated = (added + 1, updated) if label.casefold() not in known_labels else (added, updated + 1)
            known_labels.add(label.casefold())
            values += _write_row(store, changes, path, (number, row, participant_id), columns)
    return ImportSummary(added, updated, added_attributes, values)


def _check_header(path: Path, header: list[str]) -> None:
    seen: set[str] = set()
    for column, name in enumerate(header, start=1):
        if not name:
            raise VerbatimError(path, f"row 1, column {column}: an attribute needs a name")
        if name.casefold() in seen:
            raise VerbatimError(path, f"row 1, column {column}: {name!r} appears twice")
        seen.add(name.casefold())


def _write_row(
    store: ProjectStore, changes: ChangeSet, path: Path, where: tuple[int, list[str], int], columns: list[Attribute]
) -> int:
    number, row, participant_id = where
    if len(row) > len(columns) + 1:
        raise VerbatimError(path, f"row {number}: {len(row)} cells but the header has {len(columns) + 1}")
    written = 0
    for index, attribute in enumerate(columns, start=1):
        raw = row[index] if index < len(row) else ""
        if not raw.strip():
            continue
        try:
            value = ps.normalise_value(attribute, raw)
        except ValueError as exc:
            raise VerbatimError(path, f"row {number}, column {attribute.name!r}: {exc}") from None
        ps.write_value(changes, store, participant_id, attribute.id, value)
        written += 1
    return written
