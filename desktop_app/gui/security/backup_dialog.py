"""File ▸ Restore from backup…: the study's backups (time, age, size, documents), back up now, restore one.

Restoring closes the study, puts the backup in its place (the study as it was is backed up first,
so the restore can be undone from this same list) and opens it again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import VerbatimError
from desktop_app.gui.common.background_task import run_in_background
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.security.study_host import StudyHost
from desktop_app.services.study import backup_service
from desktop_app.services.study.backup_service import BackupEntry

Index = QModelIndex | QPersistentModelIndex


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{max(1, round(size / 1e3))} KB"


class BackupTableModel(QAbstractTableModel):
    HEADERS = ("Taken", "Age", "Size", "Documents")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[BackupEntry] = []
        self.now = datetime.now(UTC)

    def set_entries(self, entries: list[BackupEntry], now: datetime | None = None) -> None:
        self.beginResetModel()
        self.entries, self.now = entries, now or datetime.now(UTC)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{entry.name}\n{entry.problem}" if entry.problem else entry.name
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, entry: BackupEntry, column: int) -> str:
        if column == 0:
            return entry.taken.astimezone().strftime("%a %d %b %Y, %H:%M:%S")
        if column == 1:
            return backup_service.describe_age(entry.age(self.now))
        if column == 2:
            return _size(entry.size)
        return str(entry.documents) if entry.documents is not None else "unreadable"


class BackupDialog(QDialog):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        assert isinstance(window, StudyHost), "a window that holds a study"
        assert window.store is not None
        self.window_ = window
        self.study, self.passphrase = window.store.path, window.store.passphrase
        self.setWindowTitle("Restore from backup")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(640, 400)
        self.model = BackupTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setMinimumSectionSize(90)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(self.restore_selected)
        self.summary = QLabel("Reading backups…")
        self.summary.setWordWrap(True)
        self.restore_button = QPushButton("&Restore")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        self.backup_button = QPushButton("&Back up now")
        self.backup_button.clicked.connect(self.back_up_now)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.backup_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._explanation())
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.load()

    def _explanation(self) -> QLabel:
        from desktop_app.gui.security.backup_timer import backup_policy

        policy = backup_policy(self.window_.settings)
        label = QLabel(
            f"Verbatim copies “{self.study.name}” when you open it and every {policy.interval_minutes:g} minutes "
            f"while you work, keeping the last {policy.keep}. Restoring first backs up the study as it is now, "
            "so a restore can be undone from this list."
        )
        label.setWordWrap(True)
        return label

    def load(self) -> None:
        self.summary.setText("Reading backups…")
        study, passphrase = self.study, self.passphrase
        run_in_background(self, lambda: backup_service.list_backups(study, passphrase), self._loaded, self._failed)

    def _loaded(self, entries: object) -> None:
        assert isinstance(entries, list)
        self.model.set_entries(entries)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        folder = backup_service.backup_folder(self.study)
        self.summary.setToolTip(str(folder))
        if not entries:
            self.summary.setText(f"No backups yet. They will be kept in “{folder.name}” beside the study.")
            return
        total = sum(e.size for e in entries)
        count = f"{len(entries)} backup" + ("" if len(entries) == 1 else "s")
        self.summary.setText(f"{count}, {_size(total)} in all, kept in “{folder.name}” beside the study")
        self.table.selectRow(0)

    def _failed(self, error: object) -> None:
        self.backup_button.setEnabled(True)
        self._selection_changed()
        self.summary.setText(error.message if isinstance(error, VerbatimError) else f"Backups unavailable: {error}")

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def selected(self) -> BackupEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entries[rows[0].row()] if rows else None

    def back_up_now(self) -> None:
        self.backup_button.setEnabled(False)
        self.restore_button.setEnabled(False)  # the copy reads the study; a restore must wait for it
        self.summary.setText("Backing up…")
        study, passphrase = self.study, self.passphrase
        run_in_background(self, lambda: backup_service.backup_now(study, passphrase), self._backed_up, self._failed)

    def _backed_up(self, _made: object) -> None:
        self.backup_button.setEnabled(True)
        self.load()

    def restore_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        when = entry.taken.astimezone().strftime("%H:%M on %d %b %Y")
        answer = QMessageBox.question(
            self,
            "Restore from backup",
            f"Put “{self.study.name}” back as it was at {when} ({backup_service.describe_age(entry.age())})?\n\n"
            "The study as it is now is backed up first, so you can come back to it from this list.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.accept()
            restore_into_window(self.window_, entry.path)


def restore_into_window(window: QWidget, backup: Path) -> bool:
    """Close the window's study, restore ``backup`` in its place and open it again."""
    assert isinstance(window, StudyHost), "a window that holds a study"
    if window.store is None:
        return False
    study, passphrase = window.store.path, window.store.passphrase
    window.close_study()  # the study is replaced only when no connection has it open
    error: VerbatimError | None = None
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        before = backup_service.restore(study, backup, passphrase)
    except VerbatimError as exc:
        error = exc
    finally:
        QApplication.restoreOverrideCursor()
    window.open_study(study, passphrase)  # restored, or as it was if the restore was refused
    if error is not None:
        show_error(window, error)
        return False
    if window.workspace is not None:
        window.workspace.status.showMessage(
            f"Restored from {backup.name}; the study as it was is kept as {before.path.name}", 15000
        )
    return True


def show_backup_dialog(window: QWidget) -> BackupDialog | None:
    assert isinstance(window, StudyHost), "a window that holds a study"
    if window.store is None:
        return None
    dialog = BackupDialog(window)
    dialog.open()
    return dialog
