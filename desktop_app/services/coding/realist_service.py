"""Realist evaluation: tag codings as Context, Mechanism (+/−) or Outcome and link them into
C–M–O configurations; the CMO table per document or across the study. All journaled."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from desktop_app.core.errors import VerbatimError
from desktop_app.services.analysis import analysis_service
from desktop_app.services.analysis.analysis_tables import SummaryTable
from desktop_app.services.coding import coding_service
from desktop_app.services.participants import participant_service
from desktop_app.services.study.project_service import require_writable
from desktop_app.storage.coding import analysis_repository, realist_repository
from desktop_app.storage.connection import guarded
from desktop_app.storage.journal import ChangeSet, now_iso
from desktop_app.storage.project_store import ProjectStore

CMO_HEADERS = ["Configuration", "Document", "Context", "Mechanism (+)", "Mechanism (−)", "Outcome"]


class Role(StrEnum):
    CONTEXT = "context"
    MECHANISM = "mechanism"
    OUTCOME = "outcome"


class Polarity(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"


@dataclass(frozen=True)
class RealistTag:
    coding_id: int
    role: Role
    polarity: Polarity | None = None


@dataclass(frozen=True)
class Configuration:
    id: int
    name: str
    notes: str
    coding_ids: list[int]


def _check_coding(store: ProjectStore, coding_id: int) -> None:
    if not realist_repository.coding_exists(store, coding_id):
        raise VerbatimError(store.path, f"has no coding with id {coding_id}")


def tags(store: ProjectStore) -> dict[int, RealistTag]:
    rows = realist_repository.tag_rows(store)
    return {r[0]: RealistTag(r[0], Role(r[1]), Polarity(r[2]) if r[2] else None) for r in rows}


def _checked_tag(
    store: ProjectStore, role: Role | str, polarity: Polarity | str | None
) -> tuple[Role, Polarity | None]:
    try:
        role = Role(role)
        polarity = Polarity(polarity) if polarity else None
    except ValueError as exc:
        raise VerbatimError(store.path, f"not a realist tag: {exc}") from None
    if polarity is not None and role is not Role.MECHANISM:
        raise VerbatimError(store.path, "only a mechanism is positive or negative")
    if role is Role.MECHANISM and polarity is None:
        polarity = Polarity.POSITIVE
    return role, polarity


def _write_tag(changes: ChangeSet, store: ProjectStore, coding_id: int, role: Role, polarity: Polarity | None) -> None:
    row = realist_repository.tag_id(store, coding_id)
    values = {"coding_id": coding_id, "role": role.value, "polarity": polarity.value if polarity else None}
    if row is None:
        changes.insert("realist_tags", values)
    else:
        changes.update("realist_tags", row, values)


def tag_coding(store: ProjectStore, coding_id: int, role: Role | str, polarity: Polarity | str | None = None) -> None:
    """Mark a coding as context, mechanism (positive or negative) or outcome; re-tagging replaces."""
    require_writable(store)
    _check_coding(store, coding_id)
    role, polarity = _checked_tag(store, role, polarity)
    with guarded(store.path), store.journal.action(f"Tag coding as {role.value}") as changes:
        _write_tag(changes, store, coding_id, role, polarity)


def tag_codings_of_code(
    store: ProjectStore, code_id: int, role: Role | str, polarity: Polarity | str | None = None
) -> int:
    """Tag every coding of one code (not its sub-codes') in one undoable step; how many were tagged.

    A code often stands for one role ("Night-shift rota" is context), so the codebook tags them all at once.
    """
    require_writable(store)
    role, polarity = _checked_tag(store, role, polarity)
    code = next((c for c in coding_service.codes(store) if c.id == code_id), None)
    if code is None:
        raise VerbatimError(store.path, f"has no code with id {code_id}")
    coding_ids = [e.coding.id for e in coding_service.extracts(store, code_id, include_subcodes=False)]
    with guarded(store.path), store.journal.action(f"Tag codings of {code.name} as {role.value}") as changes:
        for coding_id in coding_ids:
            _write_tag(changes, store, coding_id, role, polarity)
    return len(coding_ids)


def untag_coding(store: ProjectStore, coding_id: int) -> None:
    """Remove a coding's tag and its place in any configuration (undoable)."""
    require_writable(store)
    row = realist_repository.tag_id(store, coding_id)
    members = realist_repository.member_ids_of_coding(store, coding_id)
    with guarded(store.path), store.journal.action("Remove realist tag") as changes:
        for member_id in members:
            changes.delete("cmo_members", member_id)
        if row is not None:
            changes.delete("realist_tags", row)


def configurations(store: ProjectStore) -> list[Configuration]:
    members: dict[int, list[int]] = {}
    for configuration_id, coding_id in realist_repository.members(store):
        members.setdefault(configuration_id, []).append(coding_id)
    rows = realist_repository.configuration_rows(store)
    return [Configuration(r[0], r[1], r[2], members.get(r[0], [])) for r in rows]


def add_configuration(store: ProjectStore, name: str, coding_ids: list[int], notes: str = "") -> int:
    """A C–M–O configuration linking tagged codings (tag them first)."""
    require_writable(store)
    if not name.strip():
        raise VerbatimError(store.path, "a configuration needs a name")
    known = tags(store)
    for coding_id in coding_ids:
        _check_coding(store, coding_id)
        if coding_id not in known:
            raise VerbatimError(store.path, f"coding {coding_id} is not tagged as context, mechanism or outcome")
    with guarded(store.path), store.journal.action(f"Add configuration {name.strip()}") as changes:
        values = {"name": name.strip(), "notes": notes, "created": now_iso()}
        configuration_id = changes.insert("cmo_configurations", values)
        for coding_id in dict.fromkeys(coding_ids):
            changes.insert("cmo_members", {"configuration_id": configuration_id, "coding_id": coding_id})
    return configuration_id


def link(store: ProjectStore, configuration_id: int, coding_id: int) -> None:
    require_writable(store)
    if coding_id not in tags(store):
        raise VerbatimError(store.path, f"coding {coding_id} is not tagged as context, mechanism or outcome")
    if any(c.id == configuration_id and coding_id in c.coding_ids for c in configurations(store)):
        return
    with guarded(store.path), store.journal.action("Link coding to configuration") as changes:
        changes.insert("cmo_members", {"configuration_id": configuration_id, "coding_id": coding_id})


def unlink(store: ProjectStore, configuration_id: int, coding_id: int) -> None:
    require_writable(store)
    row = realist_repository.member_id(store, configuration_id, coding_id)
    if row is not None:
        with guarded(store.path), store.journal.action("Unlink coding from configuration") as changes:
            changes.delete("cmo_members", row)


def delete_configuration(store: ProjectStore, configuration_id: int) -> None:
    require_writable(store)
    members = realist_repository.member_ids_of_configuration(store, configuration_id)
    with guarded(store.path), store.journal.action("Delete configuration") as changes:
        for member_id in members:
            changes.delete("cmo_members", member_id)
        changes.delete("cmo_configurations", configuration_id)


def cmo_table(store: ProjectStore, document_id: int | None = None) -> SummaryTable:
    """One row per configuration (and document it draws on): its extracts under C, M+, M−, O."""
    known, labels = tags(store), participant_service.quote_labels(store)
    rows: list[list[str]] = []
    title = "C–M–O configurations"
    for configuration in configurations(store):
        extracts = analysis_service.extracts_of(store, configuration.coding_ids)
        by_document: dict[str, list[analysis_service.AnalysisExtract]] = {}
        for extract in extracts:
            if document_id is None or extract.coding.document_id == document_id:
                by_document.setdefault(extract.document_title, []).append(extract)
        for document, items in by_document.items():
            rows.append([configuration.name, document, *_cells(items, known, labels)])
    if document_id is not None:
        titles = dict(analysis_repository.document_titles(store, include_removed=True))
        title += f": {titles.get(document_id, document_id)}"
    return SummaryTable(title, list(CMO_HEADERS), rows)


def _cells(
    items: list[analysis_service.AnalysisExtract], known: dict[int, RealistTag], labels: dict[str, str]
) -> list[str]:
    columns: dict[tuple[Role, Polarity | None], list[str]] = {}
    for extract in items:
        tag = known[extract.coding.id]
        label = labels.get(extract.participant, extract.participant) if extract.participant else extract.speaker
        who = f" ({label})" if label else ""
        columns.setdefault((tag.role, tag.polarity), []).append(f"“{extract.text}”{who}")
    keys = [
        (Role.CONTEXT, None),
        (Role.MECHANISM, Polarity.POSITIVE),
        (Role.MECHANISM, Polarity.NEGATIVE),
        (Role.OUTCOME, None),
    ]
    return ["\n".join(columns.get(key, [])) for key in keys]
