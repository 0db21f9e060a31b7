"""The one place project connections are made: checks, pragmas, encryption, migrations.

Every connection to a ``.verbatim`` file comes from :func:`open_project_db`, so encryption
(SQLCipher through ``sqlcipher3``) is a choice made here and nowhere else.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from desktop_app.core.errors import ProjectError
from desktop_app.storage import file_kind
from desktop_app.storage.migrations import migrate, schema_version
from desktop_app.storage.schema import APPLICATION_ID, CURRENT_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"


def _database_errors() -> tuple[type[BaseException], ...]:
    """SQLite's error classes from both drivers (sqlcipher3 has its own hierarchy)."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError:  # pragma: no cover - sqlcipher3 is a dependency
        return (sqlite3.DatabaseError,)
    return (sqlite3.DatabaseError, dbapi2.DatabaseError)


DATABASE_ERRORS = _database_errors()
BUSY_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class OpenOptions:
    create: bool = False
    readonly: bool = False
    passphrase: str | None = None


def open_project_db(path: Path, options: OpenOptions = OpenOptions()) -> sqlite_utils.Database:
    """Open (or create) a project file and return it ready to use at the current schema."""
    path = Path(path)
    try:
        if options.create:
            _check_creatable(path)
        else:
            _check_openable(path, options)
    except OSError as exc:  # a name too long for the file system, a folder we may not look into
        raise ProjectError(path, f"cannot be used: {exc.strerror or exc}") from exc
    conn = _connect(path, options)
    try:
        _configure(conn, path, options)
        if options.create:
            migrate(conn)
        else:
            _check_identity_and_upgrade(conn, path, options)
    except DATABASE_ERRORS as exc:
        conn.close()
        raise translate_error(path, exc) from exc
    except BaseException:
        conn.close()
        raise
    return sqlite_utils.Database(conn)


# SQLite keeps "-journal", "-wal" and "-shm" files beside a study, whose names must fit too.
MAX_NAME_BYTES = 255 - len("-journal")


def _check_creatable(path: Path) -> None:
    name = os.fsencode(path.name)
    if len(name) > MAX_NAME_BYTES:
        raise ProjectError(
            path, f"has too long a name ({len(name)} bytes; at most {MAX_NAME_BYTES}): choose a shorter one"
        )
    if not _is_text(path.name):
        shown = os.fsencode(path).decode("utf-8", "backslashreplace")  # readable on any terminal
        raise ProjectError(shown, "has a name that is not valid UTF-8 text: choose another name")
    if path.exists():
        raise ProjectError(path, "already exists; choose another name or open it instead")
    if not path.parent.is_dir():
        raise ProjectError(path, f"folder {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK):
        raise ProjectError(path, f"folder {path.parent} is read-only")


def _is_text(name: str) -> bool:
    """False for names with bytes that are not UTF-8 (Python hands them over as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_openable(path: Path, options: OpenOptions) -> None:
    if not path.exists():
        raise ProjectError(path, "does not exist")
    if not path.is_file():
        raise ProjectError(path, "is not a file")
    if path.stat().st_size == 0:
        raise ProjectError(path, "is empty: not a Verbatim project")
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        kind = file_kind.describe(path)
        if kind is not None:  # a document or recording picked by mistake: say so, never ask for a passphrase
            raise ProjectError(path, f"is not a Verbatim project: it is {kind}")
    if header != SQLITE_HEADER and options.passphrase is None:
        raise ProjectError(path, "is not a Verbatim project (or it is encrypted: give its passphrase)")
    if not options.readonly and not is_writable(path):
        raise ProjectError(path, "is read-only: Verbatim needs to write to the project file and its folder")


def is_writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _connect(path: Path, options: OpenOptions) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode={'ro' if options.readonly else 'rwc'}"
    if options.passphrase is not None:
        import sqlcipher3

        conn: sqlite3.Connection = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {_quote(options.passphrase)}")
    else:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    return conn


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _configure(conn: sqlite3.Connection, path: Path, options: OpenOptions) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DATABASE_ERRORS as exc:
        if options.passphrase is not None:
            raise ProjectError(path, "wrong passphrase, or not a Verbatim project") from exc
        raise
    conn.execute("PRAGMA foreign_keys = ON")
    if not options.readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")


def _check_identity_and_upgrade(conn: sqlite3.Connection, path: Path, options: OpenOptions) -> None:
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    version = schema_version(conn)
    if app_id != APPLICATION_ID:
        raise ProjectError(path, "is a SQLite database but not a Verbatim project")
    if version > CURRENT_VERSION:
        raise ProjectError(
            path,
            f"was written by a newer version of Verbatim (project format {version}; this version reads up to "
            f"{CURRENT_VERSION}). Update Verbatim to open it; the file was not changed",
        )
    if version < CURRENT_VERSION:
        if options.readonly:
            raise ProjectError(path, f"uses an older project format ({version}); open it writable once to upgrade it")
        _backup_before_upgrade(conn, path, version)
        migrate(conn)


def _backup_before_upgrade(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Keep a copy of the file as it was before an upgrade (``STUDY.verbatim.v1.bak``)."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    backup = path.with_name(f"{path.name}.v{version}.bak")
    if not backup.exists():
        shutil.copy2(path, backup)


def translate_error(path: Path, exc: BaseException) -> ProjectError:
    """Turn SQLite's errors into a clear message naming the project file."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        problem = "is locked by another program (is it open in another Verbatim window?)"
    elif "readonly" in text or "read-only" in text:
        problem = "is read-only: changes cannot be saved"
    elif "disk is full" in text:  # SQLITE_FULL: the change was rolled back, what was saved before is intact
        problem = "cannot be written: the disk is full. Free some space; everything saved before is kept"
    elif "disk i/o" in text:
        problem = "cannot be written: the disk is failing or was removed (disk I/O error)"
    elif "not a database" in text or "malformed" in text or "encrypted" in text:
        problem = "is damaged or not a Verbatim project"
    else:
        problem = f"database error: {exc}"
    return ProjectError(path, problem)


@contextmanager
def guarded(path: Path) -> Iterator[None]:
    """Run database work, turning SQLite errors into :class:`ProjectError` naming ``path``."""
    try:
        yield
    except DATABASE_ERRORS as exc:
        raise translate_error(path, exc) from exc
