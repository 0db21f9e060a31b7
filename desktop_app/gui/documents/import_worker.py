"""Probe and import recordings off the GUI thread, with its own connection to the study."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from desktop_app.core.document import DocumentInfo
from desktop_app.core.errors import VerbatimError
from desktop_app.gui.common.background_task import start_worker_thread
from desktop_app.services.study import import_service, project_service, security_service


class ImportWorker(QObject):
    progress = Signal(str, int, int)  # file name, index, total
    finished = Signal(int, list, list)  # imported count, skipped notes, error messages

    def __init__(self, study_path: Path, files: list[Path], passphrase: str | None = None, embed: bool = False) -> None:
        super().__init__()
        self._study_path = study_path
        self._files = files
        self._passphrase = passphrase
        self._embed = embed  # copy each recording into the study (an encrypted study then holds it all)

    def run(self) -> None:
        try:
            with project_service.open_project(self._study_path, passphrase=self._passphrase) as store:
                result = import_service.import_recordings(
                    store, self._files, lambda path, i, n: self.progress.emit(path.name, i, n)
                )
                errors = [e.message for e in result.failed]
                if self._embed:
                    errors += self._embed_all(store, result.imported)
            self.finished.emit(len(result.imported), result.skipped, errors)
        except VerbatimError as exc:
            self.finished.emit(0, [], [exc.message])

    def _embed_all(self, store: project_service.ProjectStore, documents: list[DocumentInfo]) -> list[str]:
        errors = []
        for index, document in enumerate(documents):
            self.progress.emit(f"embedding {document.title}", index, len(documents))
            try:
                security_service.embed_document_media(store, document.id)
            except VerbatimError as exc:
                errors.append(exc.message)
        return errors


def start_import(
    parent: QObject, study_path: Path, files: list[Path], passphrase: str | None = None, embed: bool = False
) -> tuple[QThread, ImportWorker]:
    worker = ImportWorker(study_path, files, passphrase, embed)
    return start_worker_thread(parent, worker, worker.run, worker.finished), worker
