"""A study's project file: open/create it and hand out its database and journal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlite_utils

from desktop_app import __version__
from desktop_app.storage.connection import DATABASE_ERRORS, OpenOptions, guarded, open_project_db, translate_error
from desktop_app.storage.journal import Journal, now_iso

PROJECT_SUFFIX = ".verbatim"


class ProjectStore:
    """An open ``.verbatim`` file. Every write commits at once; there is no separate save."""

    def __init__(
        self, path: Path, db: sqlite_utils.Database, *, readonly: bool = False, passphrase: str | None = None
    ) -> None:
        self.path = path
        self.db = db
        self.readonly = readonly
        self.passphrase = passphrase  # kept so helpers (the engine child, backups) can open the file too
        self.journal = Journal(db)

    @classmethod
    def create(cls, path: Path, *, name: str | None = None, passphrase: str | None = None) -> ProjectStore:
        path = Path(path)
        db = open_project_db(path, OpenOptions(create=True, passphrase=passphrase))
        with guarded(path), db.atomic():
            db.execute(
                "INSERT INTO study (id, name, created, app_version) VALUES (1, ?, ?, ?)",
                [name or path.stem, now_iso(), __version__],
            )
        return cls(path, db, passphrase=passphrase)

    @classmethod
    def open(cls, path: Path, *, readonly: bool = False, passphrase: str | None = None) -> ProjectStore:
        path = Path(path)
        db = open_project_db(path, OpenOptions(readonly=readonly, passphrase=passphrase))
        return cls(path, db, readonly=readonly, passphrase=passphrase)

    @property
    def folder(self) -> Path:
        return self.path.resolve().parent

    def study(self) -> dict[str, Any]:
        with guarded(self.path):
            cursor = self.db.execute("SELECT name, created, app_version, description FROM study WHERE id = 1")
            row = cursor.fetchone()
        if row is None:
            return {"name": self.path.stem, "created": None, "app_version": None, "description": ""}
        return {d[0]: v for d, v in zip(cursor.description, row, strict=True)}

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> ProjectStore:
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, traceback: object) -> None:
        self.close()
        if isinstance(exc, DATABASE_ERRORS):  # a damaged page met mid-command: name the study, not a traceback
            raise translate_error(self.path, exc) from exc
