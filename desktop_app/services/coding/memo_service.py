"""Memos on the study, a document, a code, a coding or a turn (segment); every change is journaled."""

from __future__ import annotations

from desktop_app.core.coding import Memo
from desktop_app.core.errors import VerbatimError
from desktop_app.services.study.project_service import require_writable
from desktop_app.storage.coding import memo_repository
from desktop_app.storage.connection import guarded
from desktop_app.storage.journal import now_iso
from desktop_app.storage.project_store import ProjectStore

TARGET_TYPES = ("study", *memo_repository.TARGET_TABLES)


def _check_target(store: ProjectStore, target_type: str, target_id: int | None) -> None:
    if target_type not in TARGET_TYPES:
        raise VerbatimError(store.path, f"cannot attach a memo to {target_type!r} (use {', '.join(TARGET_TYPES)})")
    if target_type == "study":
        if target_id is not None:
            raise VerbatimError(store.path, "a study memo has no target id")
        return
    if target_id is None or not memo_repository.target_exists(store, target_type, target_id):
        raise VerbatimError(store.path, f"has no {target_type} with id {target_id}")


def memos(store: ProjectStore, target_type: str | None = None, target_id: int | None = None) -> list[Memo]:
    """Memos, oldest first: all, those of one type, or (with ``target_id``, or for the study) one target's."""
    by_target = target_id is not None or target_type == "study"
    return memo_repository.list_memos(store, target_type, target_id, by_target=by_target)


def get_memo(store: ProjectStore, memo_id: int) -> Memo:
    found = memo_repository.get_memo(store, memo_id)
    if found is None:
        raise VerbatimError(store.path, f"has no memo with id {memo_id}")
    return found


def add_memo(store: ProjectStore, target_type: str, target_id: int | None, text: str, author: str = "") -> int:
    require_writable(store)
    _check_target(store, target_type, target_id)
    stamp = now_iso()
    values = {"target_type": target_type, "target_id": target_id, "text": text, "author": author}
    with guarded(store.path), store.journal.action(f"Add memo on {target_type}") as changes:
        return changes.insert("memos", values | {"created": stamp, "modified": stamp})


def update_memo(store: ProjectStore, memo_id: int, text: str) -> None:
    require_writable(store)
    memo = get_memo(store, memo_id)
    with guarded(store.path), store.journal.action(f"Edit memo on {memo.target_type}") as changes:
        changes.update("memos", memo_id, {"text": text, "modified": now_iso()})


def delete_memo(store: ProjectStore, memo_id: int) -> None:
    require_writable(store)
    memo = get_memo(store, memo_id)
    with guarded(store.path), store.journal.action(f"Delete memo on {memo.target_type}") as changes:
        changes.delete("memos", memo_id)


def set_memo(store: ProjectStore, target_type: str, target_id: int | None, text: str, author: str = "") -> int | None:
    """The one-memo-per-target editor's save: update the target's first memo, add one, or delete it if empty."""
    existing = memos(store, target_type, target_id) if target_type == "study" or target_id is not None else []
    if existing and not text.strip():
        delete_memo(store, existing[0].id)
        return None
    if existing:
        update_memo(store, existing[0].id, text)
        return existing[0].id
    return add_memo(store, target_type, target_id, text, author) if text.strip() else None


def modified(store: ProjectStore, memo_id: int) -> str:
    return memo_repository.modified(store, memo_id)
