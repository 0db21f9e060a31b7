"""Create, open and describe studies: the entry point the GUI and CLI share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop_app.core.document import DocumentInfo
from desktop_app.core.errors import ProjectError
from desktop_app.storage.project_store import PROJECT_SUFFIX, ProjectStore
from desktop_app.storage.transcripts import document_repository

__all__ = ["ProjectStore", "create_project", "open_project", "study_summary", "list_documents"]


def create_project(path: Path, *, name: str | None = None, passphrase: str | None = None) -> ProjectStore:
    path = Path(path)
    if path.suffix != PROJECT_SUFFIX:
        path = path.with_name(path.name + PROJECT_SUFFIX)
    return ProjectStore.create(path, name=name, passphrase=passphrase)


def open_project(path: Path, *, readonly: bool = False, passphrase: str | None = None) -> ProjectStore:
    return ProjectStore.open(Path(path), readonly=readonly, passphrase=passphrase)


def require_writable(store: ProjectStore) -> None:
    if store.readonly:
        raise ProjectError(store.path, "is open read-only: changes cannot be saved")


def list_documents(store: ProjectStore) -> list[DocumentInfo]:
    return document_repository.list_documents(store)


def study_summary(store: ProjectStore) -> dict[str, Any]:
    """The stable ``verbatim info --json`` shape: ``{"study": {...}, "documents": [...]}``."""
    study = store.study()
    documents = list_documents(store)
    return {
        "study": {
            "name": study["name"],
            "path": str(store.path.resolve()),
            "created": study["created"],
            "app_version": study["app_version"],
            "documents": len(documents),
            "total_duration": round(sum(d.duration or 0.0 for d in documents), 3),
        },
        "documents": [
            {
                "id": d.id,
                "title": d.title,
                "media_path": d.media_path,
                "duration": round(d.duration, 3) if d.duration is not None else None,
                "status": d.status.value,
                "language": d.language,
            }
            for d in documents
        ],
    }
