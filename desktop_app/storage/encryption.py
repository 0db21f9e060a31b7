"""Encrypt a plain study, make a decrypted copy, change a passphrase (SQLCipher's ``sqlcipher_export``).

Every new file is written under a temporary name beside its target, checked (it opens with the
passphrase, passes ``PRAGMA integrity_check`` and holds as many rows as the source), and only then
renamed into place, so a failure never leaves a half-written study under the real name.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

import sqlite_utils

from desktop_app.core.errors import ProjectError
from desktop_app.storage.connection import DATABASE_ERRORS, SQLITE_HEADER, OpenOptions, open_project_db
from desktop_app.storage.schema import APPLICATION_ID

PLAIN = ""  # SQLCipher's key for "not encrypted"


def is_encrypted(path: Path) -> bool:
    """Whether ``path`` is a non-empty file that does not start with SQLite's plain-text header."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        return False
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER


def check_passphrase(path: Path, passphrase: str) -> None:
    if not passphrase:
        raise ProjectError(path, "a passphrase cannot be empty")
    if passphrase != passphrase.strip():
        raise ProjectError(path, "a passphrase cannot start or end with spaces (they are easily lost)")


def encrypt_copy(source: Path, target: Path, passphrase: str) -> Path:
    """Write an encrypted copy of the plain study ``source`` to ``target`` (which must not exist)."""
    source, target = Path(source), Path(target)
    check_passphrase(target, passphrase)
    if is_encrypted(source):
        raise ProjectError(source, "is already encrypted (use rekey to change its passphrase)")
    _check_target(target)
    checked = open_project_db(source, OpenOptions())  # identity, schema upgrade, readable
    checked.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    checked.conn.close()
    db = _plain_through_sqlcipher(source)
    try:
        _export(db, source, target, passphrase)
    finally:
        db.conn.close()
    return target


def _plain_through_sqlcipher(path: Path) -> sqlite_utils.Database:
    """A read-only SQLCipher connection to a plain study, which only SQLCipher can ATTACH encrypted.

    The one connection not made by ``open_project_db`` (it refuses an empty key); the file was
    opened and checked through it just before.
    """
    import sqlcipher3

    uri = f"{path.resolve().as_uri()}?mode=ro"
    conn = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    return sqlite_utils.Database(conn)


def decrypt_copy(source: Path, target: Path, passphrase: str) -> Path:
    """Write a plain (unencrypted) copy of the encrypted study ``source`` to ``target``."""
    source, target = Path(source), Path(target)
    if not is_encrypted(source):
        raise ProjectError(source, "is not encrypted")
    _check_target(target)
    db = open_project_db(source, OpenOptions(readonly=True, passphrase=passphrase))
    try:
        _export(db, source, target, PLAIN)
    finally:
        db.conn.close()
    return target


def encrypt_in_place(path: Path, passphrase: str) -> Path:
    """Replace the plain study at ``path`` by an encrypted one (the plain file is removed)."""
    path = Path(path)
    temporary = _temporary_beside(path)
    encrypt_copy(path, temporary, passphrase)
    try:
        os.replace(temporary, path)
    except OSError as exc:
        _remove_with_sidecars(temporary)
        raise ProjectError(path, f"cannot be replaced by its encrypted copy: {exc.strerror or exc}") from exc
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def rekey(db: sqlite_utils.Database, path: Path, new_passphrase: str) -> None:
    """Change the passphrase of an open encrypted study (``db`` opened with its current one)."""
    check_passphrase(path, new_passphrase)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute(f"PRAGMA rekey = {_quote(new_passphrase)}")
    except DATABASE_ERRORS as exc:
        raise ProjectError(path, f"the passphrase could not be changed: {exc}") from exc


def _export(db: sqlite_utils.Database, source: Path, target: Path, key: str) -> None:
    temporary = _temporary_beside(target)
    try:
        _export_to(db, temporary, key)
        _verify(db, temporary, key)
        os.replace(temporary, target)
    except DATABASE_ERRORS as exc:
        raise ProjectError(target, f"could not be written from {source.name}: {exc}") from exc
    except OSError as exc:
        raise ProjectError(target, f"could not be written: {exc.strerror or exc}") from exc
    finally:
        _remove_with_sidecars(temporary)


def _export_to(db: sqlite_utils.Database, temporary: Path, key: str) -> None:
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    target_uri = f"{temporary.resolve().as_uri()}?mode=rwc"
    db.execute("ATTACH DATABASE ? AS exported KEY ?", [target_uri, key])
    try:
        db.execute("SELECT sqlcipher_export('exported')")
        db.execute(f"PRAGMA exported.user_version = {version}")
        db.execute(f"PRAGMA exported.application_id = {APPLICATION_ID}")
    finally:
        db.execute("DETACH DATABASE exported")


def _verify(source: sqlite_utils.Database, written: Path, key: str) -> None:
    copy = open_project_db(written, OpenOptions(readonly=True, passphrase=key or None))
    try:
        result = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise ProjectError(written, f"failed its integrity check after writing: {result}")
        for table in ("documents", "segments", "words", "codings", "media_chunks", "pseudonyms"):
            expected = source.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
            found = copy.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
            if expected != found:
                raise ProjectError(written, f"has {found} rows in {table}, the original {expected}")
    finally:
        copy.conn.close()


def _check_target(target: Path) -> None:
    if target.exists():
        raise ProjectError(target, "already exists; choose another name")
    if not target.parent.is_dir():
        raise ProjectError(target, f"folder {target.parent} does not exist")


def _temporary_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")


def _remove_with_sidecars(path: Path) -> None:
    for name in (str(path), f"{path}-wal", f"{path}-shm", f"{path}-journal"):
        with contextlib.suppress(OSError):
            Path(name).unlink(missing_ok=True)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
