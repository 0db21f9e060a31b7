"""Bring a codebook file (CSV, XLSX or DOCX) into a study, merging it with the codes already there.

A code whose path (theme > sub-theme > code) is already in the study is updated, never duplicated:
paths compare without regard to case, and a cell the file leaves empty keeps what the study has.
Codes the file names below a theme the study lacks bring that theme along. The file is read
completely before anything is written, and the whole import is one journal step, so a bad row
changes nothing and one undo takes a good import back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from desktop_app.core.coding import Code
from desktop_app.core.errors import ExportError
from desktop_app.formats.codebook_files import read_codebook
from desktop_app.formats.codebook_reader import CodebookEntry
from desktop_app.services.coding import codebook_service, coding_service
from desktop_app.services.study.project_service import require_writable
from desktop_app.storage.coding import coding_repository
from desktop_app.storage.connection import guarded
from desktop_app.storage.journal import ChangeSet
from desktop_app.storage.project_store import ProjectStore

Key = tuple[str, ...]
FILE_FILTER = "Codebooks (*.csv *.xlsx *.docx);;CSV (*.csv);;Excel (*.xlsx);;Word (*.docx)"


@dataclass(frozen=True)
class CodebookImportSummary:
    added: int
    updated: int
    unchanged: int
    ignored_columns: list[str]

    def describe(self, name: str) -> str:
        ignored = f"; ignored columns: {', '.join(self.ignored_columns)}" if self.ignored_columns else ""
        return (
            f"Imported {name}: {self.added} new code{'s' if self.added != 1 else ''}, "
            f"{self.updated} updated, {self.unchanged} already up to date{ignored}"
        )


def _key(names: tuple[str, ...]) -> Key:
    return tuple(n.casefold() for n in names)


def study_paths(codes: list[Code]) -> dict[Key, tuple[tuple[str, ...], int]]:
    """Every code's path from the root (names as spelled, and the id) by the case-folded path."""
    by_id = {c.id: c for c in codes}
    paths = (tuple(c.name for c in codebook_service.code_path(by_id, code.id)) for code in codes)
    return {_key(names): (names, code.id) for names, code in zip(paths, codes, strict=True)}


def import_codebook(store: ProjectStore, path: Path) -> CodebookImportSummary:
    """Add and update the codes of the codebook at ``path``; one undoable step."""
    require_writable(store)
    path = Path(path)
    book = read_codebook(path)
    existing = coding_service.codes(store)
    known = study_paths(existing)
    entries = resolve_parents(path, book.entries, {k: names for k, (names, _id) in known.items()})
    merge = _Merge(store, {k: code_id for k, (_names, code_id) in known.items()}, {c.id: c for c in existing})
    with guarded(store.path), store.journal.action(f"Import codebook {path.name}") as changes:
        for entry in entries:
            merge.apply(changes, entry)
    before = {c.id for c in existing}
    return CodebookImportSummary(
        added=len(merge.added),
        updated=len(merge.updated & before),
        unchanged=len((merge.matched & before) - merge.updated),
        ignored_columns=book.ignored_columns,
    )


def resolve_parents(path: Path, entries: list[CodebookEntry], study: dict[Key, tuple[str, ...]]) -> list[CodebookEntry]:
    """Entries named by a Parent column get a full path: the parent among the file's codes, else the study's."""
    resolved = list(entries)
    placed: dict[Key, tuple[str, ...]] = {_key(e.path): e.path for e in entries if e.parent is None}
    pending = [i for i, e in enumerate(entries) if e.parent is not None]
    while pending:
        progress = False
        for index in list(pending):
            entry = entries[index]
            parent = (entry.parent or "").casefold()
            candidates = [p for k, p in placed.items() if k[-1] == parent] or [
                p for k, p in study.items() if k[-1] == parent
            ]
            if len(candidates) > 1:
                places = "; ".join(" > ".join(c) for c in candidates[:3])
                raise ExportError(
                    path, f"{entry.where}: the parent {entry.parent!r} is ambiguous ({places}): give a Path"
                )
            if candidates:
                full = (*candidates[0], entry.path[-1])
                resolved[index] = replace(entry, path=full, parent=None)
                placed[_key(full)] = full
                pending.remove(index)
                progress = True
        if not progress:
            entry = entries[pending[0]]
            raise ExportError(
                path, f"{entry.where}: the parent {entry.parent!r} is neither in the file nor in the codebook"
            )
    return resolved


class _Merge:
    """Applies entries in file order, creating missing codes along each path and updating the last one."""

    def __init__(self, store: ProjectStore, ids: dict[Key, int], codes: dict[int, Code]) -> None:
        self.store = store
        self.ids = ids
        self.codes = codes
        self.added: set[int] = set()
        self.updated: set[int] = set()
        self.matched: set[int] = set()

    def apply(self, changes: ChangeSet, entry: CodebookEntry) -> None:
        parent_id: int | None = None
        for depth in range(1, len(entry.path) + 1):
            key = _key(entry.path[:depth])
            if key not in self.ids:
                last = depth == len(entry.path)
                self.ids[key] = self._add(changes, entry, entry.path[depth - 1], parent_id, last)
            parent_id = self.ids[key]
        if parent_id is not None:
            self.matched.add(parent_id)
            self._update(changes, parent_id, entry)

    def _add(self, changes: ChangeSet, entry: CodebookEntry, name: str, parent_id: int | None, last: bool) -> int:
        color = (
            entry.color
            if last and entry.color
            else coding_service.DEFAULT_COLORS[len(self.codes) % len(coding_service.DEFAULT_COLORS)]
        )
        code = Code(0, name, parent_id, color)
        if last:
            code.description = entry.description or ""
            code.codable = True if entry.codable is None else entry.codable
        code.id = coding_repository.add_code(changes, self.store, code)
        self.codes[code.id] = code
        self.added.add(code.id)
        return code.id

    def _update(self, changes: ChangeSet, code_id: int, entry: CodebookEntry) -> None:
        code = self.codes[code_id]
        wanted = {"color": entry.color, "description": entry.description, "codable": entry.codable}
        differ = {k: v for k, v in wanted.items() if v is not None and getattr(code, k) != v}
        if not differ:
            return
        changes.update("codes", code_id, {k: int(v) if k == "codable" else v for k, v in differ.items()})
        for name, value in differ.items():
            setattr(code, name, value)
        self.updated.add(code_id)
