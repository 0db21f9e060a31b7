"""Merging two codebooks by code path: the same name at the same place is the same code.

A code of theirs whose path (names from the top, e.g. ``Support / Peer help``) exists here maps to
ours; otherwise it is added under its (mapped) parent. Differences on a shared code (colour,
description, whether it can be applied) and a name found at different places are conflicts: ours is
kept, and each is listed so the coders can settle it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop_app.core.coding import Code
from desktop_app.storage.coding import coding_repository
from desktop_app.storage.journal import ChangeSet
from desktop_app.storage.project_store import ProjectStore

SEPARATOR = " / "


def code_paths(codes: list[Code]) -> dict[int, tuple[str, ...]]:
    """Each code's names from the top of the tree down to it (a cycle or missing parent stops the walk)."""
    by_id = {c.id: c for c in codes}
    paths: dict[int, tuple[str, ...]] = {}
    for code in codes:
        names, seen, current = [code.name], {code.id}, code
        while current.parent_id is not None and current.parent_id in by_id and current.parent_id not in seen:
            current = by_id[current.parent_id]
            seen.add(current.id)
            names.append(current.name)
        paths[code.id] = tuple(reversed(names))
    return paths


@dataclass
class CodeMerge:
    """Their code ids mapped to ours, the paths added, and the conflicts found."""

    ids: dict[int, int] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def _differences(ours: Code, theirs: Code) -> list[str]:
    found = []
    if (ours.color or "").lower() != (theirs.color or "").lower():
        found.append(f"colour {ours.color or 'none'} here, {theirs.color or 'none'} in theirs")
    if (ours.description or "").strip() != (theirs.description or "").strip():
        found.append("descriptions differ")
    if ours.codable != theirs.codable:
        found.append("can be applied here" if ours.codable else "cannot be applied here")
    return found


def compare_codebooks(ours: list[Code], theirs: list[Code]) -> CodeMerge:
    """What merging would do, without doing it (added paths and conflicts; ids only for shared codes)."""
    result = CodeMerge()
    our_paths, their_paths = code_paths(ours), code_paths(theirs)
    by_path = {p: i for i, p in our_paths.items()}
    by_name: dict[str, list[tuple[str, ...]]] = {}
    for path in our_paths.values():
        by_name.setdefault(path[-1], []).append(path)
    ours_by_id = {c.id: c for c in ours}
    for code in theirs:
        path = their_paths[code.id]
        label = SEPARATOR.join(path)
        if path in by_path:
            result.ids[code.id] = by_path[path]
            differences = _differences(ours_by_id[by_path[path]], code)
            if differences:
                result.conflicts.append(f"code '{label}': {'; '.join(differences)}; ours kept")
            continue
        result.added.append(label)
        elsewhere = [SEPARATOR.join(p) for p in by_name.get(code.name, [])]
        if elsewhere:
            result.conflicts.append(
                f"code '{code.name}' is at '{label}' in theirs and '{elsewhere[0]}' here; both kept"
            )
    return result


def merge_codebooks(changes: ChangeSet, store: ProjectStore, theirs: list[Code]) -> CodeMerge:
    """Map their codes onto ours by path, adding the ones we lack (parents first)."""
    result = compare_codebooks(coding_repository.list_codes(store), theirs)
    pending = [c for c in theirs if c.id not in result.ids]
    while pending:
        ready = [c for c in pending if c.parent_id is None or c.parent_id in result.ids]
        ready = ready or pending  # a parent that never comes: the rest go to the top
        for code in ready:
            parent = result.ids.get(code.parent_id) if code.parent_id is not None else None
            new = Code(0, code.name, parent, code.color, code.description, code.codable)
            result.ids[code.id] = coding_repository.add_code(changes, store, new)
        pending = [c for c in pending if c not in ready]
    return result
