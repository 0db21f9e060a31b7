"""Writing a study file so that a crash or power cut leaves either the old file or the new one.

A study is replaced by writing a temporary file beside it, syncing it, renaming it over the study and
syncing the folder; SQLite's side files (write-ahead log, shared memory, rollback journal) of the old file
must go with it, or SQLite would replay the old log onto the new file.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

SIDE_FILES = ("-wal", "-shm", "-journal")


def sync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); folders cannot be opened for syncing on Windows."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def remove_side_files(path: Path) -> None:
    for suffix in SIDE_FILES:
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def remove_with_side_files(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
    remove_side_files(path)
