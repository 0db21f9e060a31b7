"""The codebook panel: the code tree, a toolbar to shape it, and the recently used codes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QToolBar,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.coding import Code
from desktop_app.core.errors import VerbatimError
from desktop_app.gui.coding.codebook_model import CODINGS, DOCUMENTS, NAME, CodebookModel, swatch
from desktop_app.gui.coding.realist_dialog import add_code_realist_actions
from desktop_app.gui.coding.span_drag import SPAN_MIME_TYPE
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.common.export_notice import announce_export
from desktop_app.gui.common.flow_layout import FlowLayout
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.gui.shell.shortcuts import bind
from desktop_app.services.coding import codebook_import, codebook_service, coding_service
from desktop_app.services.study.project_service import ProjectStore

RECENT_LIMIT = 6
RECENT_CHARS = 14  # a recent-code button shows this much of the name (the tooltip has it all)
IMPORT_TIP = (
    "Add codes from a codebook in CSV, Excel or Word (a table, or themes and codes as headings); "
    "codes already here are updated, not duplicated (Ctrl+Z undoes the whole import)"
)


def _ask_color(parent: QWidget, current: str) -> str | None:
    color = QColorDialog.getColor(QColor(current), parent, "Code colour")
    return color.name() if color.isValid() else None


def _ask_text(parent: QWidget, title: str, label: str, current: str) -> str | None:
    text, ok = QInputDialog.getMultiLineText(parent, title, label, current)
    return text if ok else None


def _ask_name(parent: QWidget, title: str, label: str) -> str | None:
    text, ok = QInputDialog.getText(parent, title, label)
    return text if ok and text.strip() else None


def _ask_import_file(parent: QWidget, folder: str) -> str | None:
    path, _chosen = QFileDialog.getOpenFileName(parent, "Import codebook", folder, codebook_import.FILE_FILTER)
    return path or None


def _ask_export_file(parent: QWidget, suggested: str) -> str | None:
    path, chosen = QFileDialog.getSaveFileName(parent, "Export codebook", suggested, "Word (*.docx);;CSV (*.csv)")
    if path and not Path(path).suffix:
        path += ".csv" if chosen.startswith("CSV") else ".docx"
    return path or None


def _confirm(parent: QWidget, title: str, question: str) -> bool:
    answer = QMessageBox.question(parent, title, question)
    return answer == QMessageBox.StandardButton.Yes


class CodeTree(QTreeView):
    """The code tree: codes are dragged within it to reorganise them, and words dragged from the
    transcript are dropped on a code to code them (wherever on the row they land, with a frame
    around the code that will be applied)."""

    def __init__(self) -> None:
        super().__init__()
        self.drop_target = QModelIndex()

    def _span_target(self, event: QDragMoveEvent | QDropEvent) -> QModelIndex | None:
        """The code under a dragged span, when the model would code it; None for other drags."""
        data = event.mimeData()
        if not data.hasFormat(SPAN_MIME_TYPE):
            return None
        index = self.indexAt(event.position().toPoint()).siblingAtColumn(NAME)
        model = self.model()
        if model is not None and model.canDropMimeData(data, Qt.DropAction.CopyAction, -1, 0, index):
            return index
        return QModelIndex()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(SPAN_MIME_TYPE):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()  # the move events that follow decide code by code
            return
        super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        target = self._span_target(event)
        if target is None:
            super().dragMoveEvent(event)
            return
        self._show_target(target)
        if target.isValid():
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept(self.visualRect(target))
        else:
            event.ignore()

    def dragLeaveEvent(self, event: object) -> None:
        self._show_target(QModelIndex())
        super().dragLeaveEvent(event)  # type: ignore[arg-type]

    def dropEvent(self, event: QDropEvent) -> None:
        target = self._span_target(event)
        if target is None:
            super().dropEvent(event)
            return
        self._show_target(QModelIndex())
        model = self.model()
        if target.isValid() and model.dropMimeData(event.mimeData(), Qt.DropAction.CopyAction, -1, 0, target):
            event.setDropAction(Qt.DropAction.CopyAction)  # never Move: the editor would cut the words
            event.accept()
        else:
            event.ignore()

    def _show_target(self, index: QModelIndex) -> None:
        if index != self.drop_target:
            self.drop_target = index
            self.viewport().update()

    def paintEvent(self, event: object) -> None:
        super().paintEvent(event)  # type: ignore[arg-type]
        if self.drop_target.isValid():
            rect = self.visualRect(self.drop_target).adjusted(1, 1, -2, -2)
            painter = QPainter(self.viewport())
            painter.setPen(QPen(self.palette().highlight().color(), 2))
            painter.drawRoundedRect(rect, 3, 3)
            painter.end()


class CodebookPanel(QWidget):
    current_code_changed = Signal(int)  # -1 when none
    apply_requested = Signal(int)  # code the transcript selection with this code
    in_vivo_requested = Signal()  # make a code from the selected words and apply it
    span_dropped = Signal(int, object)  # code id, DraggedSpan: transcript words dropped on a code
    changed = Signal()  # the codebook or codings changed
    message = Signal(str)  # a one-line report for the status bar

    def __init__(self, store: ProjectStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.recent: list[int] = []
        # dialogs, replaceable in tests
        self.ask_color: Callable[[QWidget, str], str | None] = _ask_color
        self.ask_text: Callable[[QWidget, str, str, str], str | None] = _ask_text
        self.ask_name: Callable[[QWidget, str, str], str | None] = _ask_name
        self.confirm: Callable[[QWidget, str, str], bool] = _confirm
        self.ask_import_file: Callable[[QWidget, str], str | None] = _ask_import_file
        self.ask_export_file: Callable[[QWidget, str], str | None] = _ask_export_file
        self.model = CodebookModel(store)
        self.model.failed.connect(lambda exc: show_error(self, exc))
        self.model.changed.connect(self._after_change)
        self.model.span_dropped.connect(self.span_dropped)
        self.tree = self._make_tree()
        self.toolbar = QToolBar()
        self.actions_by_name = self._make_actions()
        self.recent_bar = FlowLayout()  # recent codes wrap: the bar never widens the window
        self._build_layout()
        self.refresh()

    def _make_tree(self) -> QTreeView:
        tree = CodeTree()
        tree.setModel(self.model)
        tree.setHeaderHidden(False)
        tree.setUniformRowHeights(True)
        tree.setAlternatingRowColors(True)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)  # CodeTree also takes transcript words
        tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        tree.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.SelectedClicked
        )
        tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        tree.customContextMenuRequested.connect(self._context_menu)
        tree.doubleClicked.connect(lambda index: self._apply(self.model.code(index)))
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column in (CODINGS, DOCUMENTS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        tree.selectionModel().currentChanged.connect(self._current_changed)
        return tree

    def _make_actions(self) -> dict[str, QAction]:
        specs = [
            ("add", "+ Code", "Add a code at the top level (a theme)", "new_code", self.add_code),
            ("add_child", "+ Sub-code", "Add a code inside the selected one", "", lambda: self.add_code(child=True)),
            ("rename", "Rename", "Rename the selected code (F2)", "rename_code", self.rename),
            ("color", "Colour", "Change the selected code's colour", "", self.recolor),
            ("describe", "Describe", "Write the code's description (definition, when to use it)", "", self.describe),
            ("codable", "Codable", "Whether the code can be applied to text (off for groupings)", "", None),
            ("merge", "Merge into…", "Move every coding of this code to another code, then remove it", "", self.merge),
            ("delete", "Delete", "Delete the code, its sub-codes and codings (Ctrl+Z undoes)", "", self.delete),
            ("in_vivo", "In vivo", "Make a code from the selected words and apply it", "in_vivo", None),
            ("import", "Import codebook…", IMPORT_TIP, "", self.ask_import),
            ("export", "Export codebook…", "Write the codebook as a Word table (.docx) or CSV", "", self.ask_export),
        ]
        actions = {}
        for name, label, tip, keys, slot in specs:
            action = QAction(label, self)
            action.setToolTip(tip)
            if keys:  # the name of its keys in the one shortcuts table
                bind(action, keys, AppSettings())
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            if slot is not None:
                action.triggered.connect(slot)
            actions[name] = action
        actions["codable"].setCheckable(True)
        actions["codable"].toggled.connect(self.set_codable)
        actions["in_vivo"].triggered.connect(self.in_vivo_requested)
        self._place_actions(actions)
        return actions

    def _place_actions(self, actions: dict[str, QAction]) -> None:
        """The everyday actions on the toolbar, the rarer ones under More; all of them on the tree's keys."""
        for name in ("add", "add_child", "color", "describe", "codable"):
            self.toolbar.addAction(actions[name])
        more = QToolButton()
        more.setText("More")
        more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(more)
        for name in ("rename", "merge", "delete"):
            menu.addAction(actions[name])
        menu.addSeparator()
        menu.addAction(actions["in_vivo"])
        menu.addSeparator()
        menu.addAction(actions["import"])
        menu.addAction(actions["export"])
        more.setMenu(menu)
        self.toolbar.addWidget(more)
        for action in actions.values():
            self.tree.addAction(action)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

    def _build_layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(
            "<b>Codebook</b> <span style='color:#777'>· drag to reorganise, Shift+drop to merge, "
            "drop selected words on a code to code them</span>"
        )
        title.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.tree, 1)
        recent = QWidget()
        recent.setLayout(self.recent_bar)
        layout.addWidget(recent)

    # ----- state --------------------------------------------------------------------------
    def refresh(self) -> None:
        current = self.current_code()
        expanded = self._expanded_ids()
        self.model.refresh()
        for code_id in expanded | ({current.parent_id} if current and current.parent_id else set()):
            self.tree.setExpanded(self.model.index_of(code_id), True)
        if not expanded and self.model.rowCount() < 30:
            self.tree.expandAll()
        if current is not None and current.id in self.model.codes:
            self.select(current.id)
        self.recent = [c for c in self.recent if c in self.model.codes]
        self._show_recent()
        self._update_actions()

    def refresh_counts(self) -> None:
        """The codings and documents columns only (cheap; keeps the tree, its selection and any open editor)."""
        self.model.usage = codebook_service.subtree_usage(self.store)
        self.tree.viewport().update()

    def _expanded_ids(self) -> set[int]:
        return {cid for cid in self.model.codes if self.tree.isExpanded(self.model.index_of(cid))}

    def current_code(self) -> Code | None:
        return self.model.code(self.tree.currentIndex())

    def select(self, code_id: int) -> None:
        self.tree.setCurrentIndex(self.model.index_of(code_id))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        code = self.model.code(current)
        self._update_actions()
        self.current_code_changed.emit(code.id if code else -1)

    def _update_actions(self) -> None:
        code = self.current_code()
        for name in ("add_child", "rename", "color", "describe", "codable", "merge", "delete"):
            self.actions_by_name[name].setEnabled(code is not None)
        codable = self.actions_by_name["codable"]
        codable.blockSignals(True)
        codable.setChecked(bool(code and code.codable))
        codable.blockSignals(False)

    def _after_change(self) -> None:
        self.refresh()
        self.changed.emit()

    def _run(self, change: Callable[[], object]) -> object | None:
        try:
            result = change()
        except VerbatimError as exc:
            show_error(self, exc)
            return None
        self._after_change()
        return result

    # ----- recent codes -------------------------------------------------------------------
    def note_used(self, code_id: int) -> None:
        self.recent = [code_id, *[c for c in self.recent if c != code_id]][:RECENT_LIMIT]
        self._show_recent()

    def _show_recent(self) -> None:
        while self.recent_bar.count():
            widget = item.widget() if (item := self.recent_bar.takeAt(0)) is not None else None
            if widget is not None:
                widget.deleteLater()
        if not self.recent:
            return
        self.recent_bar.addWidget(QLabel("Recent:"))
        for code_id in self.recent:
            code = self.model.codes[code_id]
            button = QToolButton()
            button.setText(code.name if len(code.name) <= RECENT_CHARS else code.name[: RECENT_CHARS - 1] + "…")
            button.setIcon(swatch(code.color))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setToolTip(f"Code the selection with {code.name}")
            button.clicked.connect(lambda _=False, cid=code_id: self.apply_requested.emit(cid))
            self.recent_bar.addWidget(button)

    def _apply(self, code: Code | None) -> None:
        if code is not None:
            self.apply_requested.emit(code.id)

    # ----- actions ------------------------------------------------------------------------
    def add_code(self, child: bool = False, name: str | None = None) -> int | None:
        parent = self.current_code() if child else None
        where = f" inside {parent.name!r}" if parent else ""
        name = name or self.ask_name(self, "New code", f"Name of the new code{where}:")
        if not name:
            return None
        code_id = self._run(lambda: coding_service.add_code(self.store, name, parent.id if parent else None))
        if isinstance(code_id, int):
            self.select(code_id)
            return code_id
        return None

    def rename(self) -> None:
        index = self.tree.currentIndex()
        if index.isValid():
            self.tree.edit(index.siblingAtColumn(NAME))

    def recolor(self) -> None:
        code = self.current_code()
        color = self.ask_color(self, code.color) if code else None
        if code and color:
            self._run(lambda: coding_service.update_code(self.store, code.id, color=color))

    def describe(self) -> None:
        code = self.current_code()
        if code is None:
            return
        text = self.ask_text(self, f"Describe {code.name}", "Definition, when to use it, examples:", code.description)
        if text is not None:
            self._run(lambda: coding_service.update_code(self.store, code.id, description=text))

    def set_codable(self, codable: bool) -> None:
        code = self.current_code()
        if code is not None and code.codable != codable:
            self._run(lambda: coding_service.update_code(self.store, code.id, codable=codable))

    def merge(self) -> None:
        code = self.current_code()
        if code is None:
            return
        others = [c for c in self.model.codes.values() if c.id != code.id]
        labels = [" › ".join(self.model.path_names(c.id)) for c in others]
        if not others:
            return
        label, ok = QInputDialog.getItem(self, "Merge", f"Merge {code.name!r} into:", labels, 0, False)
        if ok:
            self.merge_into(code.id, others[labels.index(label)].id)

    def merge_into(self, source_id: int, target_id: int) -> None:
        self._run(lambda: coding_service.merge_codes(self.store, source_id, target_id))
        self.select(target_id)

    def delete(self) -> None:
        code = self.current_code()
        if code is None:
            return
        usage = self.model.usage.get(code.id)
        count = f" and its {usage.codings} codings" if usage and usage.codings else ""
        question = f"Delete {code.name!r}{count}, with any sub-codes?\nEdit › Undo (Ctrl+Z) brings it back."
        if self.confirm(self, "Delete code", question):
            self._run(lambda: coding_service.delete_code(self.store, code.id))

    def ask_import(self) -> None:
        path = self.ask_import_file(self, str(self.store.path.parent))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> codebook_import.CodebookImportSummary | None:
        """Merge the codebook at ``path`` into the study (one undo step) and say what changed."""
        summary = self._run(lambda: codebook_import.import_codebook(self.store, path))
        if not isinstance(summary, codebook_import.CodebookImportSummary):
            return None
        self.tree.expandAll()
        self.message.emit(summary.describe(path.name) + " (Ctrl+Z undoes it)")
        return summary

    def ask_export(self) -> None:
        path = self.ask_export_file(self, str(self.store.path.parent / f"{self.store.path.stem} codebook.docx"))
        if path:
            self.export_file(Path(path))

    def export_file(self, path: Path) -> int:
        try:
            count = codebook_service.export_codebook(self.store, path)
        except VerbatimError as exc:
            show_error(self, exc)
            return 0
        announce_export(self, path, f"{count} codes")
        return count

    def _context_menu(self, point: QPoint) -> None:
        self.context_menu().popup(self.tree.viewport().mapToGlobal(point))

    def context_menu(self) -> QMenu:
        """The right-click menu for the current code: code with it, edit it, tag its codings, import/export."""
        menu = QMenu(self)
        code = self.current_code()
        if code is not None and code.codable:
            menu.addAction(f"Code the selection with {code.name}", lambda: self.apply_requested.emit(code.id))
            menu.addSeparator()
        for name in ("add", "add_child", "rename", "color", "describe", "codable", "merge", "delete"):
            menu.addAction(self.actions_by_name[name])
        if code is not None:
            menu.addSeparator()
            add_code_realist_actions(menu, self, self.store, code.id, self.message.emit)
        menu.addSeparator()
        menu.addAction(self.actions_by_name["import"])
        menu.addAction(self.actions_by_name["export"])
        return menu
