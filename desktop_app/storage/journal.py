"""The edit journal: every user change recorded as before/after rows, so undo/redo survive restarts.

A user action opens :meth:`Journal.action`, makes its changes through the :class:`ChangeSet` it
is given, and everything (the changes and their journal entry) commits in one transaction.
Undo writes the "before" rows back in reverse order; redo writes the "after" rows again.
Rows with children that cascade on delete must have their children deleted through the same
change set first, so undo can bring them all back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

Row = dict[str, Any]


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Change:
    table: str
    id: int
    before: Row | None
    after: Row | None

    def to_json(self) -> dict[str, Any]:
        return {"table": self.table, "id": self.id, "before": self.before, "after": self.after}


class JournalError(Exception):
    """Undo or redo is impossible because the rows it changed were replaced since."""


class ChangeSet:
    """Writes rows and remembers how they were before, for one journal entry."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db
        self.changes: list[Change] = []

    def insert(self, table: str, values: Row) -> int:
        cursor = self._db.execute(*_insert_sql(table, values))
        row_id = int(cursor.lastrowid or 0)
        self.changes.append(Change(table, row_id, None, _fetch(self._db, table, row_id)))
        return row_id

    def update(self, table: str, row_id: int, values: Row) -> None:
        before = _fetch(self._db, table, row_id)
        if before is None:
            raise JournalError(f"{table} row {row_id} does not exist")
        changed = {k: v for k, v in values.items() if before.get(k) != v}
        if not changed:
            return
        _update(self._db, table, row_id, changed)
        self.changes.append(Change(table, row_id, before, _fetch(self._db, table, row_id)))

    def delete(self, table: str, row_id: int) -> None:
        before = _fetch(self._db, table, row_id)
        if before is None:
            return
        self._db.execute(f"DELETE FROM [{table}] WHERE id = ?", [row_id])
        self.changes.append(Change(table, row_id, before, None))


@dataclass(frozen=True)
class JournalEntry:
    id: int
    at: str
    label: str
    undone: bool


class Journal:
    """Undo/redo stacks kept in the project's ``journal`` table."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db
        # Called after every committed action, undo and redo, with the tables it changed: views showing the
        # study recount then, and only those whose data is in those tables (typing changes no speaker names).
        self.listeners: list[Callable[[frozenset[str]], None]] = []

    def _notify(self, changes: list[Change]) -> None:
        tables = frozenset(c.table for c in changes)
        for listener in list(self.listeners):
            listener(tables)

    @contextmanager
    def action(self, label: str) -> Iterator[ChangeSet]:
        with self._db.atomic():
            changes = ChangeSet(self._db)
            yield changes
            if changes.changes:
                self._db.execute("DELETE FROM journal WHERE undone = 1")
                payload = json.dumps([c.to_json() for c in changes.changes], ensure_ascii=False)
                self._db.execute(
                    "INSERT INTO journal (at, label, changes) VALUES (?, ?, ?)", [now_iso(), label, payload]
                )
        if changes.changes:
            self._notify(changes.changes)

    def undo_entry(self) -> JournalEntry | None:
        return self._entry("SELECT * FROM journal WHERE undone = 0 ORDER BY id DESC LIMIT 1")

    def redo_entry(self) -> JournalEntry | None:
        return self._entry("SELECT * FROM journal WHERE undone = 1 ORDER BY id ASC LIMIT 1")

    def undo(self) -> JournalEntry | None:
        """Undo the latest action; return it, or None when there is nothing to undo."""
        entry = self.undo_entry()
        if entry is not None:
            self._replay(entry, undo=True)
        return entry

    def redo(self) -> JournalEntry | None:
        entry = self.redo_entry()
        if entry is not None:
            self._replay(entry, undo=False)
        return entry

    def history(self, limit: int = 100) -> list[JournalEntry]:
        rows = self._db.execute("SELECT * FROM journal ORDER BY id DESC LIMIT ?", [limit]).fetchall()
        return [JournalEntry(r[0], r[1], r[2], bool(r[4])) for r in rows]

    def _entry(self, sql: str) -> JournalEntry | None:
        row = self._db.execute(sql).fetchone()
        return JournalEntry(row[0], row[1], row[2], bool(row[4])) if row else None

    def _replay(self, entry: JournalEntry, *, undo: bool) -> None:
        raw = self._db.execute("SELECT changes FROM journal WHERE id = ?", [entry.id]).fetchone()[0]
        changes = [Change(**c) for c in json.loads(raw)]
        with self._db.atomic():
            for change in reversed(changes) if undo else changes:
                current, target = (change.after, change.before) if undo else (change.before, change.after)
                _apply(self._db, change.table, change.id, current, target)
            self._db.execute("UPDATE journal SET undone = ? WHERE id = ?", [1 if undo else 0, entry.id])
        self._notify(changes)


def _apply(db: sqlite_utils.Database, table: str, row_id: int, current: Row | None, target: Row | None) -> None:
    existing = _fetch(db, table, row_id)
    if current is not None and existing is None:
        raise JournalError(f"{table} row {row_id} has been removed since; this change cannot be replayed")
    if target is None:
        db.execute(f"DELETE FROM [{table}] WHERE id = ?", [row_id])
    elif existing is None:
        db.execute(*_insert_sql(table, target))
    else:
        _update(db, table, row_id, {k: v for k, v in target.items() if k != "id"})


def _fetch(db: sqlite_utils.Database, table: str, row_id: int) -> Row | None:
    cursor = db.execute(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
    row = cursor.fetchone()
    if row is None:
        return None
    return {d[0]: v for d, v in zip(cursor.description, row, strict=True)}


def _insert_sql(table: str, values: Row) -> tuple[str, list[Any]]:
    columns = ", ".join(f"[{c}]" for c in values)
    marks = ", ".join("?" for _ in values)
    return f"INSERT INTO [{table}] ({columns}) VALUES ({marks})", list(values.values())


def _update(db: sqlite_utils.Database, table: str, row_id: int, values: Row) -> None:
    if values:
        assignments = ", ".join(f"[{c}] = ?" for c in values)
        db.execute(f"UPDATE [{table}] SET {assignments} WHERE id = ?", [*values.values(), row_id])
