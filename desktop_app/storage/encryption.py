"""Encrypt a plain study, make a decrypted copy, change a passphrase (SQLCipher's ``sqlcipher_export``).

Every new file is written under a temporary name beside its target, checked (it opens with the
passphrase, passes ``PRAGMA integrity_check`` and holds as many rows as the source), and only then
renamed into place, so a failure never leaves a half-written study under the real name.

:func:`reencrypt_in_place` does the same for files that are kept, not edited (backups): they are
read as they are, never upgraded or switched to WAL, so a backup keeps its project format.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from pathlib import Path

import sqlite_utils

from desktop_app.core.errors import ProjectError
from desktop_app.storage import file_kind
from desktop_app.storage.connection import (
    DATABASE_ERRORS,
    SQLITE_HEADER,
    OpenOptions,
    open_project_db,
    translate_error,
)
from desktop_app.storage.durable_files import remove_side_files, remove_with_side_files, sync_file, sync_folder
from desktop_app.storage.schema import APPLICATION_ID

PLAIN = ""  # SQLCipher's key for "not encrypted"
COUNTED_TABLES = ("documents", "segments", "words", "codings", "media_chunks", "pseudonyms")


def is_encrypted(path: Path) -> bool:
    """Whether ``path`` is a non-empty file that does not start with SQLite's plain-text header."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        return False
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER:
            return False
    return file_kind.describe(path) is None  # a document or recording is not an encrypted study


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

    With :func:`_kept_file`, the connections not made by ``open_project_db`` (it refuses an empty
    key and upgrades what it opens); the file was opened and checked through it just before.
    """
    return _kept_file(path, PLAIN)


def _kept_file(path: Path, key: str) -> sqlite_utils.Database:
    """A read-only SQLCipher connection to ``path`` as it is (``key`` PLAIN for a plain file)."""
    import sqlcipher3

    uri = f"{path.resolve().as_uri()}?mode=ro"
    conn: sqlite3.Connection = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    if key:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {_quote(key)}")
    return sqlite_utils.Database(conn)


def reencrypt_in_place(path: Path, passphrase: str | None, new_passphrase: str) -> None:
    """Rewrite the study file at ``path`` (plain when ``passphrase`` is None) encrypted with ``new_passphrase``.

    The new file is written beside it, checked through a fresh attachment with the new key
    (integrity check, the same rows), synced and renamed over ``path``, so ``path`` is at every
    moment either the old file or the complete new one. Any ``-wal``/``-journal`` of the old file
    goes too: it could hold pages of it in the old form. A file that cannot be read with
    ``passphrase`` raises :class:`ProjectError` naming it, and is left as it was.
    """
    path = Path(path)
    check_passphrase(path, new_passphrase)
    temporary = _temporary_beside(path)
    try:
        db = _kept_file(path, passphrase or PLAIN)
        try:
            _check_study(db, path, passphrase)
            _export_to(db, temporary, new_passphrase)
            _verify_attached(db, temporary, new_passphrase)
        except DATABASE_ERRORS as exc:
            raise translate_error(path, exc) from exc
        finally:
            db.conn.close()
        sync_file(temporary)
        os.replace(temporary, path)
        remove_side_files(path)
        sync_folder(path.parent)
    except OSError as exc:
        raise ProjectError(path, f"could not be rewritten: {exc.strerror or exc}") from exc
    finally:
        remove_with_side_files(temporary)


def opens_with(path: Path, passphrase: str) -> bool:
    """Whether ``path`` is a Verbatim study that ``passphrase`` unlocks (read as it is, any project format)."""
    db = _kept_file(Path(path), passphrase)
    try:
        _check_study(db, Path(path), passphrase)
    except ProjectError:
        return False
    except DATABASE_ERRORS:
        return False
    finally:
        db.conn.close()
    return True


def _check_study(db: sqlite_utils.Database, path: Path, passphrase: str | None) -> None:
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DATABASE_ERRORS as exc:
        problem = "wrong passphrase, or damaged" if passphrase else "is damaged or not a Verbatim project"
        raise ProjectError(path, problem) from exc
    if int(db.execute("PRAGMA application_id").fetchone()[0]) != APPLICATION_ID:
        raise ProjectError(path, "is a SQLite database but not a Verbatim project")


def _verify_attached(source: sqlite_utils.Database, written: Path, key: str) -> None:
    """Attach ``written`` afresh with ``key`` (so it is read from disk) and compare it with ``source``."""
    source.execute("ATTACH DATABASE ? AS written KEY ?", [f"{written.resolve().as_uri()}?mode=ro", key])
    try:
        result = source.execute("PRAGMA written.integrity_check").fetchone()[0]
        if result != "ok":
            raise ProjectError(written, f"failed its integrity check after writing: {result}")
        present = {r[0] for r in source.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")}
        for table in (t for t in COUNTED_TABLES if t in present):
            expected = source.execute(f"SELECT count(*) FROM main.[{table}]").fetchone()[0]
            found = source.execute(f"SELECT count(*) FROM written.[{table}]").fetchone()[0]
            if expected != found:
                raise ProjectError(written, f"has {found} rows in {table}, the original {expected}")
    finally:
        source.execute("DETACH DATABASE written")


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
        remove_side_files(path)  # the plain study's log: checkpointed, but it held plain pages
        sync_folder(path.parent)
    except OSError as exc:
        remove_with_side_files(temporary)
        raise ProjectError(path, f"cannot be replaced by its encrypted copy: {exc.strerror or exc}") from exc
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
        sync_file(temporary)
        os.replace(temporary, target)
        sync_folder(target.parent)
    except DATABASE_ERRORS as exc:
        raise ProjectError(target, f"could not be written from {source.name}: {exc}") from exc
    except OSError as exc:
        raise ProjectError(target, f"could not be written: {exc.strerror or exc}") from exc
    finally:
        remove_with_side_files(temporary)


def _export_to(db: sqlite_utils.Database, temporary: Path, key: str) -> None:
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    target_uri = f"{temporary.resolve().as_uri()}?mode=rwc"
    db.execute("ATTACH DATABASE ? AS exported KEY ?", [target_uri, key])
    try:
        # A new file nobody reads until it is checked, synced once and renamed: syncing after each of the
        # export's statements (one per table and index) would only make it several times slower.
        db.execute("PRAGMA exported.journal_mode = OFF")
        db.execute("PRAGMA exported.synchronous = OFF")
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
        for table in COUNTED_TABLES:
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




def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
