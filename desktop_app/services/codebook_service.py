"""Read-side helpers over the codebook: usage counts, paths from the root, CSV export."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.coding import Code
from desktop_app.core.errors import ExportError
from desktop_app.services import coding_service
from desktop_app.storage import coding_repository
from desktop_app.storage.connection import guarded
from desktop_app.storage.project_store import ProjectStore

CODEBOOK_COLUMNS = ("Code", "Parent", "Path", "Colour", "Description", "Codable", "Codings", "Documents")


@dataclass(frozen=True)
class CodeUsage:
    codings: int = 0
    documents: int = 0


def code_usage(store: ProjectStore) -> dict[int, CodeUsage]:
    """Codings and documents per code (codes never used are absent)."""
    with guarded(store.path):
        usage = coding_repository.code_usage(store)
    return {code_id: CodeUsage(*counts) for code_id, counts in usage.items()}


def code_path(by_id: dict[int, Code], code_id: int) -> list[Code]:
    """The codes from the root (theme) down to ``code_id``."""
    path: list[Code] = []
    current: int | None = code_id
    while current is not None and current in by_id and len(path) <= len(by_id):
        path.append(by_id[current])
        current = by_id[current].parent_id
    return list(reversed(path))


def ordered_tree(codes: list[Code]) -> list[tuple[int, Code]]:
    """Depth-first (depth, code) pairs in codebook order."""
    children: dict[int | None, list[Code]] = {}
    for code in sorted(codes, key=lambda c: (c.position, c.id)):
        children.setdefault(code.parent_id, []).append(code)
    known = {c.id for c in codes}
    roots = [c for c in codes if c.parent_id is None or c.parent_id not in known]
    result: list[tuple[int, Code]] = []
    stack = [(0, c) for c in reversed(sorted(roots, key=lambda c: (c.position, c.id)))]
    while stack:
        depth, code = stack.pop()
        result.append((depth, code))
        stack.extend((depth + 1, c) for c in reversed(children.get(code.id, [])))
    return result


def codebook_rows(store: ProjectStore) -> list[dict[str, str | int]]:
    codes = coding_service.codes(store)
    by_id = {c.id: c for c in codes}
    usage = code_usage(store)
    rows: list[dict[str, str | int]] = []
    for _depth, code in ordered_tree(codes):
        parent = by_id.get(code.parent_id) if code.parent_id is not None else None
        counts = usage.get(code.id, CodeUsage())
        values = (
            code.name,
            parent.name if parent else "",
            " > ".join(c.name for c in code_path(by_id, code.id)),
            code.color,
            code.description,
            "yes" if code.codable else "no",
            counts.codings,
            counts.documents,
        )
        rows.append(dict(zip(CODEBOOK_COLUMNS, values, strict=True)))
    return rows


def export_codebook_csv(store: ProjectStore, path: Path) -> int:
    """Write the codebook (one row per code, tree order) as CSV for Excel; returns the number of codes."""
    rows = codebook_rows(store)
    try:
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=CODEBOOK_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    except OSError as exc:
        raise ExportError(path, f"cannot be written ({exc.strerror or exc})") from exc
    return len(rows)
