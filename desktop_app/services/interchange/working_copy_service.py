"""A working copy of the study for a second coder: chosen documents, optionally no audio, optionally blind.

Teams share one study among coders: each codes a copy and ``verbatim merge`` brings the copies
together. A copy keeps each recording's SHA-256 even without the audio, so the merge still matches
its documents; a blind copy has no codings (and no coding memos), so the second coder codes without
seeing the first's. The original is only read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.errors import ProjectError
from desktop_app.services.study.project_service import open_project
from desktop_app.storage.connection import guarded
from desktop_app.storage.interchange import working_copy_repository as repo
from desktop_app.storage.project_store import ProjectStore


@dataclass(frozen=True)
class CopyOptions:
    """``documents``: ids to keep (None: all); ``audio``: keep the recordings; ``blind``: no codings."""

    coder: str
    documents: frozenset[int] | None = None
    audio: bool = True
    blind: bool = False


@dataclass(frozen=True)
class WorkingCopy:
    path: Path
    documents: int
    documents_left_out: int
    codings_left_out: int
    recordings_left_out: int


def parse_ids(text: str) -> frozenset[int]:
    """``1-5,8`` -> {1, 2, 3, 4, 5, 8}; raises ValueError on anything else."""
    ids: set[int] = set()
    for part in (p.strip() for p in text.split(",") if p.strip()):
        low, _, high = part.partition("-")
        first, last = int(low), int(high or low)
        if first < 1 or last < first:
            raise ValueError(f"not a range of document ids: {part!r}")
        ids.update(range(first, last + 1))
    if not ids:
        raise ValueError("no document ids given")
    return frozenset(ids)


def default_target(study: Path, coder: str) -> Path:
    safe = "".join(c for c in coder if c.isalnum() or c in " -_.").strip() or "coder"
    return study.with_name(f"{study.stem} ({safe}).verbatim")


def make_working_copy(store: ProjectStore, options: CopyOptions, target: Path | None = None) -> WorkingCopy:
    """Write the copy (``target`` or ``Study (coder).verbatim`` beside the study); refuses to overwrite."""
    target = Path(target) if target is not None else default_target(store.path, options.coder)
    if target.exists():
        raise ProjectError(target, "already exists; choose another name or remove it first")
    with guarded(store.path):
        known = set(repo.document_ids(store))
    missing = sorted((options.documents or frozenset()) - known)
    if missing:
        raise ProjectError(store.path, f"has no document {', '.join(map(str, missing))}")
    repo.copy_pages(store, target)
    try:
        return _trim(target, store.passphrase, options)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _trim(target: Path, passphrase: str | None, options: CopyOptions) -> WorkingCopy:
    with open_project(target, passphrase=passphrase) as copy, guarded(target):
        with copy.db.atomic():
            dropped = repo.drop_documents(copy, set(options.documents)) if options.documents else 0
            codings = repo.drop_codings(copy) if options.blind else 0
            recordings = repo.drop_audio(copy) if not options.audio else 0
            repo.finish(copy, options.coder)
        repo.vacuum(copy)
        kept = len(repo.document_ids(copy))
    return WorkingCopy(target, kept, dropped, codings, recordings)
