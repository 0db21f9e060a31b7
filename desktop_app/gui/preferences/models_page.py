"""Preferences ▸ Models: every Whisper model worth having; download one on request, add one from a folder.

Nothing here opens a connection until the user clicks Download for one model. With downloads
switched off (here, or for the whole installation when it was built without them) the page offers
only "Add model from folder…". Long work (download, copy, speed measurement) runs off the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from threading import Event
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import CancelledError, VerbatimError
from desktop_app.core.timecode import format_hms
from desktop_app.gui.common.background_task import run_in_background
from desktop_app.gui.preferences.model_table_model import ModelTableModel
from desktop_app.services.transcription import model_calibration, model_service
from desktop_app.services.transcription.model_service import CatalogueRow

PRIVACY_NOTE = (
    "Verbatim never goes online by itself. A model is downloaded only when you select it and click Download; "
    "every file is checked against the checksum pinned in this version of Verbatim."
)


class _ProgressRelay(QObject):
    """Lives on the GUI thread; the download emits from its worker thread and Qt queues the call here."""

    progress = Signal(object)


class ModelsPage(QWidget):
    busy_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table_model = ModelTableModel()
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)  # the accuracy note takes what is left
        self.table.setWordWrap(False)
        self.allow_downloads = QCheckBox("Allow downloading models (only the one you ask for, when you ask)")
        self.download_button = QPushButton("Download")
        self.cancel_button = QPushButton("Cancel download")
        self.remove_button = QPushButton("Remove")
        self.add_button = QPushButton("Add model from folder…")
        self.measure_button = QPushButton("Measure speed")
        self.measure_button.setToolTip("Transcribe 15 s of the bundled sample with this model and time it")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.offline_note = QLabel("")  # why there is no Download button
        self.offline_note.setWordWrap(True)
        self._cancel: Event | None = None
        self._busy = False
        self._relay = _ProgressRelay(self)
        self._relay.progress.connect(self._show_progress)
        self._layout()
        self.allow_downloads.toggled.connect(self._set_downloads_allowed)
        self.download_button.clicked.connect(self.download_selected)
        self.cancel_button.clicked.connect(self.cancel_download)
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        self.add_button.clicked.connect(lambda: self.add_from_folder())
        self.measure_button.clicked.connect(self.measure_selected)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.refresh()

    def _layout(self) -> None:
        note = QLabel(PRIVACY_NOTE)
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.download_button, self.cancel_button, self.remove_button, self.measure_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.allow_downloads)
        layout.addWidget(self.offline_note)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.progress.hide()

    # ----- state ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        selected = self.selected_row()
        self.table_model.set_rows(model_service.catalogue())
        if selected is not None:
            self.select(selected.name)
        refusal = model_service.downloads_refusal()
        built_in = model_service.downloads_built_in()
        self.allow_downloads.blockSignals(True)
        self.allow_downloads.setChecked(not refusal)
        self.allow_downloads.blockSignals(False)
        self.allow_downloads.setEnabled(built_in and "VERBATIM_NO_DOWNLOADS" not in refusal)
        self.allow_downloads.setVisible(built_in)
        self.allow_downloads.setToolTip(refusal)
        self.download_button.setVisible(not refusal)
        self.cancel_button.setVisible(not refusal)
        self.offline_note.setText(f"Downloads are off: {refusal}." if refusal else "")
        self.offline_note.setVisible(bool(refusal))
        self._update_buttons()

    def select(self, name: str) -> None:
        row = self.table_model.row_named(name)
        if row >= 0:
            self.table.selectRow(row)

    def selected_row(self) -> CatalogueRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.table_model.rows[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        row = self.selected_row()
        idle = not self._busy
        self.download_button.setEnabled(idle and row is not None and row.installed is None and row.downloadable)
        if row is not None and row.installed is None:
            verb = "Resume download" if row.partial_bytes else "Download"
            self.download_button.setText(f"{verb} ({row.size_bytes / 1e9:.2f} GB)")
        else:
            self.download_button.setText("Download")
        self.cancel_button.setEnabled(self._cancel is not None)
        removable = row is not None and row.installed is not None and row.installed.source == "user"
        self.remove_button.setEnabled(idle and removable)
        self.measure_button.setEnabled(idle and row is not None and row.installed is not None)
        self.add_button.setEnabled(idle)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_changed.emit(busy)
        self._update_buttons()

    def _set_downloads_allowed(self, allowed: bool) -> None:
        model_service.set_downloads_enabled(allowed)
        self.refresh()

    # ----- download ------------------------------------------------------------------------------
    def download_selected(self) -> None:
        row = self.selected_row()
        if row is None or self._busy:
            return
        cancel = Event()
        self._cancel = cancel
        relay = self._relay

        def report(progress: object) -> None:
            if shiboken6.isValid(relay):
                relay.progress.emit(progress)

        self.progress.setValue(0)
        self.progress.show()
        self.status.setText(f"Downloading {row.name}…")
        self._set_busy(True)
        run_in_background(
            self,
            lambda: model_service.download(row.name, progress=report, cancel=cancel),
            lambda entry: self._finished(f"Installed {row.name}: every file matches its pinned checksum."),
            self._failed,
        )

    def cancel_download(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.status.setText("Stopping the download…")

    def _show_progress(self, progress: Any) -> None:
        total = max(1, progress.total_bytes)
        self.progress.setValue(int(progress.done_bytes / total * 1000))
        eta = progress.eta_seconds
        self.progress.setFormat(f"{progress.model}: %p%")
        self.status.setText(
            f"Downloading {progress.model}: {progress.done_bytes / 1e6:,.0f} of {total / 1e6:,.0f} MB · "
            f"{progress.bytes_per_second / 1e6:.1f} MB/s · "
            f"{'ETA ' + format_hms(eta) if eta is not None else 'estimating time left'}"
        )

    def _finished(self, message: str) -> None:
        self._cancel = None
        self.progress.hide()
        self._set_busy(False)
        self.refresh()
        self.status.setText(message)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, CancelledError):
            message = "Download stopped. Click Resume download to continue where it stopped."
        elif isinstance(error, VerbatimError):
            message = error.message
        else:
            message = f"Unexpected problem: {error}"
        self._finished(message)

    # ----- remove, add, measure --------------------------------------------------------------------
    def remove_selected(self, confirm: bool = True) -> None:
        row = self.selected_row()
        if row is None or row.installed is None:
            return
        question = f"Remove model {row.name} ({row.installed.path})? Studies keep their transcripts."
        if confirm and QMessageBox.question(self, "Remove model", question) != QMessageBox.StandardButton.Yes:
            return
        try:
            model_service.remove_model(row.name)
        except VerbatimError as exc:
            self.status.setText(exc.message)
            return
        self.refresh()
        self.status.setText(f"Removed {row.name}.")

    def add_from_folder(self, folder: Path | None = None) -> None:
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self, "Add a CTranslate2 Whisper model folder")
            if not chosen:
                return
            folder = Path(chosen)
        self.status.setText(f"Checking and copying {folder}…")
        self._set_busy(True)
        run_in_background(
            self,
            lambda: model_service.import_model(folder),
            lambda entry: self._finished(f"Added {entry.name} from {folder}."),
            self._failed,
        )

    def measure_selected(self) -> None:
        row = self.selected_row()
        if row is None or row.installed is None:
            return
        self.status.setText(f"Measuring {row.name} on 15 s of the sample…")
        self._set_busy(True)
        run_in_background(
            self,
            lambda: model_calibration.calibrate(row.name),
            lambda result: self._finished(
                f"{row.name}: {result.speed:.1f}× real time on this computer ({result.device})."
            ),
            self._failed,
        )

    def shutdown(self) -> None:
        """The dialog is closing: stop a download (it resumes next time)."""
        self.cancel_download()
