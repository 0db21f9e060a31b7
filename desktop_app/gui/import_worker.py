"""Probe and import recordings off the GUI thread, with its own connection to the study."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from desktop_app.core.errors import VerbatimError
from desktop_app.services import import_service, project_service


class ImportWorker(QObject):
    progress = Signal(str, int, int)  # file name, index, total
    finished = Signal(int, list, list)  # imported count, skipped notes, error messages

    def __init__(self, study_path: Path, files: list[Path]) -> None:
        super().__init__()
        self._study_path = study_path
        self._files = files

    def run(self) -> None:
        try:
            with project_service.open_project(self._study_path) as store:
                result = import_service.import_recordings(
                    store, self._files, lambda path, i, n: self.progress.emit(path.name, i, n)
                )
            self.finished.emit(len(result.imported), result.skipped, [e.message for e in result.failed])
        except VerbatimError as exc:
            self.finished.emit(0, [], [exc.message])


def start_import(parent: QObject, study_path: Path, files: list[Path]) -> tuple[QThread, ImportWorker]:
    thread = QThread(parent)
    worker = ImportWorker(study_path, files)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    thread.finished.connect(worker.deleteLater)
    thread.start()
    return thread, worker
