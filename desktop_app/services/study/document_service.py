"""User edits on documents (rename, notes, details, remove) and undo/redo, all journaled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from desktop_app.core.document import DocumentInfo, DocumentStatus
from desktop_app.core.errors import MediaError, VerbatimError
from desktop_app.services.study.project_service import require_writable
from desktop_app.storage.connection import guarded
from desktop_app.storage.journal import JournalEntry, JournalError
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import document_repository, media_repository


def get_document(store: ProjectStore, document_id: int) -> DocumentInfo:
    document = document_repository.get_document(store, document_id)
    if document is None:
        raise VerbatimError(store.path, f"has no document with id {document_id}")
    return document


def _edit(store: ProjectStore, document_id: int, label: str, **values: object) -> None:
    require_writable(store)
    get_document(store, document_id)
    with guarded(store.path), store.journal.action(label) as changes:
        document_repository.update_document(changes, document_id, **values)


def rename_document(store: ProjectStore, document_id: int, title: str) -> None:
    if not title.strip():
        raise VerbatimError(store.path, "a document title cannot be empty")
    _edit(store, document_id, f"Rename to {title.strip()}", title=title.strip())


def set_field_notes(store: ProjectStore, document_id: int, notes: str) -> None:
    _edit(store, document_id, "Edit field notes", field_notes=notes)


DETAILS = ("interviewer", "recorded_date", "setting", "interview_format")


def set_details(store: ProjectStore, document_id: int, **details: str | None) -> DocumentInfo:
    """The interview details a COREQ report needs: interviewer, date (YYYY-MM-DD), setting and format.

    Only the details given change; an empty one is cleared. One undoable step; returns the document.
    """
    unknown = set(details) - set(DETAILS)
    if unknown:
        raise VerbatimError(store.path, f"unknown document details: {', '.join(sorted(unknown))}")
    values = {key: (value.strip() or None) if value is not None else None for key, value in details.items()}
    if values.get("recorded_date"):
        try:
            values["recorded_date"] = date.fromisoformat(str(values["recorded_date"])).isoformat()
        except ValueError:
            raise VerbatimError(store.path, f"{details['recorded_date']!r} is not a date written YYYY-MM-DD") from None
    _edit(store, document_id, "Edit interview details", **values)
    return get_document(store, document_id)


def mark_checked(store: ProjectStore, document_id: int, checked: bool = True) -> None:
    status = DocumentStatus.CHECKED if checked else DocumentStatus.TRANSCRIBED
    _edit(store, document_id, "Mark as checked" if checked else "Mark as not checked", status=status)


def remove_document(store: ProjectStore, document_id: int) -> None:
    """Remove from the study's lists; the data stays in the file so the removal can be undone."""
    title = get_document(store, document_id).title
    _edit(store, document_id, f"Remove {title}", removed=1)


def media_path(store: ProjectStore, document_id: int) -> Path:
    """The recording of a document on disk, relinked by hash if the study folder moved."""
    media_id = document_repository.document_media_id(store, document_id)
    media = media_repository.get_media(store, media_id) if media_id is not None else None
    if media is None:
        raise MediaError(store.path, f"document {document_id} has no recording")
    found = media_repository.locate_media(store, media)
    if found is None:
        if media.abs_path and Path(media.abs_path).is_file():  # there, but not the recording that was imported
            problem = "has changed since it was imported (its size differs); put the original back or relink it"
            raise MediaError(media.abs_path, problem)
        raise MediaError(media.abs_path or media.file_name, "cannot be found (moved or deleted?); relink it")
    return found


def watch_changes(store: ProjectStore, callback: Callable[[frozenset[str]], None]) -> Callable[[], None]:
    """Call ``callback`` after every change written through ``store`` (and undo/redo) with the names of the
    tables it changed, so a view can tell whether its data moved; returns the unwatch."""
    store.journal.listeners.append(callback)

    def unwatch() -> None:
        if callback in store.journal.listeners:
            store.journal.listeners.remove(callback)

    return unwatch


def next_undo_label(store: ProjectStore, *, redo: bool = False) -> str | None:
    """What Undo (or Redo) would do, phrased for a menu item: "rename code Night shifts"; None: nothing."""
    entry = store.journal.redo_entry() if redo else store.journal.undo_entry()
    if entry is None:
        return None
    label = entry.label
    keep_capital = len(label) > 1 and label[1].isupper()  # an abbreviation ("CMO …")
    return label if keep_capital else label[:1].lower() + label[1:]


def undo(store: ProjectStore) -> JournalEntry | None:
    require_writable(store)
    try:
        return store.journal.undo()
    except JournalError as exc:
        raise VerbatimError(store.path, f"cannot undo: {exc}") from exc


def redo(store: ProjectStore) -> JournalEntry | None:
    require_writable(store)
    try:
        return store.journal.redo()
    except JournalError as exc:
        raise VerbatimError(store.path, f"cannot redo: {exc}") from exc
