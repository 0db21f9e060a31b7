"""The extracts of the selected code: a table to read them, jump to them and export them (Table 1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import VerbatimError
from desktop_app.core.timecode import format_hms
from desktop_app.gui.analysis.participant_filter_button import ParticipantFilterButton
from desktop_app.gui.coding.clip_export_button import ClipExportButton
from desktop_app.gui.coding.codebook_model import swatch
from desktop_app.gui.coding.realist_dialog import add_realist_actions
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.common.export_notice import announce_export
from desktop_app.gui.common.flow_layout import flow_row
from desktop_app.gui.common.text_layer_combo import TextLayerCombo
from desktop_app.services.analysis import attribute_filter, extract_table_service
from desktop_app.services.coding import coding_service
from desktop_app.services.coding.coding_service import Extract
from desktop_app.services.study.project_service import ProjectStore
from desktop_app.services.transcript import edit_service

Index = QModelIndex | QPersistentModelIndex
EXTRACT, CODE, SOURCE, TIME = range(4)
EXTRACT_ROLE = Qt.ItemDataRole.UserRole + 1


class ExtractTableModel(QAbstractTableModel):
    HEADERS = ("Extract", "Code", "Speaker · document", "Time")

    def __init__(self) -> None:
        super().__init__()
        self.extracts: list[Extract] = []
        self.speaker_names: dict[tuple[int, str], str] = {}  # (document id, label) -> name or participant

    def set_extracts(self, extracts: list[Extract], speaker_names: dict[tuple[int, str], str] | None = None) -> None:
        self.beginResetModel()
        self.extracts = list(extracts)
        self.speaker_names = dict(speaker_names or {})
        self.endResetModel()

    def speaker(self, item: Extract) -> str:
        label = item.speaker or ""
        return self.speaker_names.get((item.coding.document_id, label), label)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.extracts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.extracts[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            time = format_hms(item.coding.start_time) if item.coding.start_time is not None else ""
            flag = "⚠ " if item.coding.needs_review and column == EXTRACT else ""
            speaker = self.speaker(item)
            source = f"{speaker} · {item.document_title}" if speaker else item.document_title
            return flag + (f"“{item.text}”", item.code.name, source, time)[column]
        if role == EXTRACT_ROLE:
            return item
        if role == Qt.ItemDataRole.DecorationRole and column == CODE:
            return swatch(item.code.color)
        if role == Qt.ItemDataRole.ToolTipRole:
            memo = f"\nMemo: {item.coding.memo}" if item.coding.memo else ""
            review = "\nThe coded text was deleted by an edit: review this coding." if item.coding.needs_review else ""
            return f"{item.text}\n— {self.speaker(item)}, {item.document_title}{memo}{review}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None


class ExtractsPanel(QWidget):
    jump_requested = Signal(int, int, float)  # document id, segment id, seconds (-1 when unknown)
    message = Signal(str)  # a one-line report for the status bar

    def __init__(self, store: ProjectStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.code_id: int | None = None
        self.model = ExtractTableModel()
        self.title = QLabel("<b>Extracts</b>")
        self.subcodes = QCheckBox("Include sub-codes")
        self.subcodes.setChecked(True)
        self.subcodes.toggled.connect(lambda _on: self.refresh())
        self.export_button = QPushButton("Export table…")
        self.export_button.setToolTip("Data extract | Code | Sub-theme | Theme | Participant | Document | Time")
        self.export_button.clicked.connect(self._ask_export)
        self.clips_button = ClipExportButton(store, self._clip_request)
        self.participants = ParticipantFilterButton(store)  # the same filter as `verbatim extracts --attr`
        self.participants.changed.connect(self.refresh)
        self.table = self._make_table()
        self.title.setWordWrap(True)  # a long code name wraps instead of widening the window
        self.clips_button.status_label.setWordWrap(True)
        # The panel is narrow beside the transcript: its buttons wrap onto more lines as it narrows.
        self.text_layer = TextLayerCombo("Table in: ")  # the table's text: original, English or both (where there is English)
        controls = flow_row(self.subcodes, self.export_button, self.text_layer, self.participants, self.clips_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(controls)
        layout.addWidget(self.clips_button.status_label)
        layout.addWidget(self.table, 1)
        self.show_code(None)

    def _make_table(self) -> QTableView:
        table = extracts_table(self.model, code_width=110, source_width=120)
        table.doubleClicked.connect(self._jump)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._context_menu)
        return table

    def _context_menu(self, point: QPoint) -> None:
        menu = self.context_menu(self.table.indexAt(point).row())
        if menu is not None:
            menu.popup(self.table.viewport().mapToGlobal(point))

    def context_menu(self, row: int) -> QMenu | None:
        """Right-click on an extract: mark it for realist evaluation, or link it into a configuration."""
        if not 0 <= row < len(self.model.extracts):
            return None
        menu = QMenu(self.table)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        add_realist_actions(menu, self, self.store, self.model.extracts[row].coding.id, self.message.emit)
        return menu

    def show_code(self, code_id: int | None) -> None:
        self.code_id = code_id if code_id is not None and code_id >= 0 else None
        self.refresh()

    def refresh(self) -> None:
        self.text_layer.setVisible(TextLayerCombo.wanted(self.store))
        found: list[Extract] = []
        name = ""
        if self.code_id is not None:
            try:
                found = coding_service.extracts(self.store, self.code_id, include_subcodes=self.subcodes.isChecked())
                found = self._by_participants(found)
                name = next((c.name for c in coding_service.codes(self.store) if c.id == self.code_id), "")
            except VerbatimError as exc:
                show_error(self, exc)
        if not name:
            self.code_id = None
        self.model.set_extracts(found, self._speaker_names(found))
        self.export_button.setEnabled(bool(found))
        self.clips_button.setEnabled(bool(found) and not self.clips_button.running)
        count = f" · {len(found)} extract{'s' if len(found) != 1 else ''}" if name else ""
        hint = "" if name else " <span style='color:#777'>· select a code</span>"
        self.title.setText(f"<b>Extracts</b>{' of ' + name if name else ''}{count}{hint}")

    def _by_participants(self, found: list[Extract]) -> list[Extract]:
        pairs = self.participants.current()
        if not pairs or not found or self.code_id is None:
            return found
        wanted = [self.code_id]
        kept = attribute_filter.passing_codings(self.store, wanted, pairs, include_subcodes=self.subcodes.isChecked())
        return [e for e in found if e.coding.id in kept]

    def _speaker_names(self, found: list[Extract]) -> dict[tuple[int, str], str]:
        names = {}
        for document_id in {e.coding.document_id for e in found}:
            for label, info in edit_service.load_speakers(self.store, document_id).items():
                names[(document_id, label)] = info.participant or info.name
        return names

    def _clip_request(self) -> tuple[int, bool] | None:
        """The code whose clips the clip button exports, while it has extracts."""
        return (self.code_id, self.subcodes.isChecked()) if self.code_id is not None and self.model.extracts else None

    def _jump(self, index: QModelIndex) -> None:
        item: Extract | None = index.data(EXTRACT_ROLE)
        if item is not None:
            start = item.coding.start_time if item.coding.start_time is not None else -1.0
            self.jump_requested.emit(item.coding.document_id, item.coding.start.segment_id, start)

    def _ask_export(self) -> None:
        if self.code_id is None:
            return
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export extracts", "extracts.xlsx", "Excel (*.xlsx);;Word (*.docx);;CSV (*.csv)"
        )
        if path:
            fmt = Path(path).suffix.lstrip(".") or {"Word (*.docx)": "docx", "CSV (*.csv)": "csv"}.get(chosen, "xlsx")
            target = Path(path) if Path(path).suffix else Path(f"{path}.{fmt}")
            count = self.export(target, fmt)
            if count:
                announce_export(self, target, f"{count} extract{'s' if count != 1 else ''}")

    def export(self, path: Path, fmt: str) -> int:
        if self.code_id is None:
            return 0
        try:
            return extract_table_service.export_extracts(
                self.store,
                [self.code_id],
                path,
                fmt,
                include_subcodes=self.subcodes.isChecked(),
                attributes=self.participants.current(),
                layer=self.text_layer.layer(),
            )
        except VerbatimError as exc:
            show_error(self, exc)
            return 0


def extracts_table(model: QAbstractTableModel, *, code_width: int, source_width: int) -> QTableView:
    """A read-only table of extracts (text, code, source, time) with rows as tall as their text."""
    table = QTableView()
    table.setModel(model)
    table.setWordWrap(True)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = table.horizontalHeader()
    header.setSectionResizeMode(EXTRACT, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(CODE, QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(SOURCE, QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(TIME, QHeaderView.ResizeMode.ResizeToContents)
    table.setColumnWidth(CODE, code_width)
    table.setColumnWidth(SOURCE, source_width)
    model.modelReset.connect(table.resizeRowsToContents)
    return table
