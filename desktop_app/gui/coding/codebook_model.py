"""The codebook as a Qt tree model: name with colour swatch, codings and documents per code.

Names are edited in place; codes are moved by drag and drop (dropped on a code: becomes its
sub-code; dropped between codes: placed there; with Shift held: merged into the code). Words
dragged from the transcript and dropped on a codable code ask for that code to be applied
(``span_dropped``: the workbench codes it, as Ctrl+K does). Every change goes through the coding
service, so it is journaled and can be undone.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPainter, QPixmap

from desktop_app.core.coding import Code
from desktop_app.core.errors import VerbatimError
from desktop_app.gui.coding.span_drag import SPAN_MIME_TYPE, read_span
from desktop_app.services.coding import codebook_service, coding_service
from desktop_app.services.coding.codebook_service import CodeUsage
from desktop_app.services.study.project_service import ProjectStore

Index = QModelIndex | QPersistentModelIndex
NAME, CODINGS, DOCUMENTS = 0, 1, 2
CODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
MIME_TYPE = "application/x-verbatim-code-ids"


def swatch(color: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(color).darker(140))
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)


class CodebookModel(QAbstractItemModel):
    failed = Signal(object)  # a VerbatimError from the service
    changed = Signal()  # the codebook changed (after a rename, move or merge)
    span_dropped = Signal(int, object)  # code id, DraggedSpan: transcript words dropped on the code

    def __init__(self, store: ProjectStore) -> None:
        super().__init__()
        self.store = store
        self.codes: dict[int, Code] = {}
        self.child_ids: dict[int | None, list[int]] = {}
        self.usage: dict[int, CodeUsage] = {}
        self._icons: dict[str, QIcon] = {}

    # ----- data ---------------------------------------------------------------------------
    def refresh(self) -> None:
        codes = coding_service.codes(self.store)
        self.beginResetModel()
        self.codes = {c.id: c for c in codes}
        self.child_ids = {}
        for depth_code in codebook_service.ordered_tree(codes):
            code = depth_code[1]
            parent = code.parent_id if code.parent_id in self.codes else None
            self.child_ids.setdefault(parent, []).append(code.id)
        self.usage = codebook_service.subtree_usage(self.store)
        self.endResetModel()

    def code(self, index: Index) -> Code | None:
        return self.codes.get(index.internalId()) if index.isValid() else None

    def index_of(self, code_id: int, column: int = NAME) -> QModelIndex:
        code = self.codes.get(code_id)
        if code is None:
            return QModelIndex()
        parent = code.parent_id if code.parent_id in self.codes else None
        return self.createIndex(self.child_ids[parent].index(code_id), column, code_id)

    def path_names(self, code_id: int) -> list[str]:
        return [c.name for c in codebook_service.code_path(self.codes, code_id)]

    # ----- tree structure -----------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        siblings = self.child_ids.get(parent.internalId() if parent.isValid() else None, [])
        if 0 <= row < len(siblings) and 0 <= column < 3:
            return self.createIndex(row, column, siblings[row])
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        code = self.code(index)
        if code is None or code.parent_id not in self.codes:
            return QModelIndex()
        return self.index_of(code.parent_id)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != NAME:
            return 0
        return len(self.child_ids.get(parent.internalId() if parent.isValid() else None, []))

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Code", "Codings", "Docs")[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return ("Code (theme › sub-theme › code)", "Coded extracts", "Documents with codings")[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        code = self.code(index)
        if code is None:
            return None
        column = index.column()
        usage = self.usage.get(code.id, CodeUsage())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (code.name, usage.codings or "", usage.documents or "")[column]
        if role == CODE_ID_ROLE:
            return code.id
        if role == Qt.ItemDataRole.DecorationRole and column == NAME:
            return self._icons.setdefault(code.color, swatch(code.color))
        if role == Qt.ItemDataRole.FontRole and column == NAME and not code.codable:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column != NAME:
            return QColor("#6b6b6b")
        if role == Qt.ItemDataRole.TextAlignmentRole and column != NAME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(code, usage)
        return None

    def _tooltip(self, code: Code, usage: CodeUsage) -> str:
        lines = [" › ".join(self.path_names(code.id))]
        if code.description:
            lines.append(code.description)
        lines.append(f"{usage.codings} codings in {usage.documents} documents")
        if usage.own != usage.codings:
            lines.append(f"({usage.own} on {code.name} itself, {usage.codings - usage.own} in its sub-codes)")
        if not code.codable:
            lines.append("A grouping: not applied to text itself")
        return "\n".join(lines)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        base |= Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == NAME else base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        code = self.code(index)
        name = str(value).strip()
        if code is None or role != Qt.ItemDataRole.EditRole or index.column() != NAME or name == code.name:
            return False
        return self._run(lambda: self._rename(code, name))

    def _rename(self, code: Code, name: str) -> None:
        siblings = (
            self.codes[c] for c in self.child_ids.get(code.parent_id if code.parent_id in self.codes else None, [])
        )
        if not name or any(c.id != code.id and c.name.casefold() == name.casefold() for c in siblings):
            problem = "a code needs a name" if not name else f"a code named {name!r} already exists there"
            raise VerbatimError(self.store.path, problem)
        coding_service.update_code(self.store, code.id, name=name)

    def _run(self, change: Any) -> bool:
        try:
            change()
        except VerbatimError as exc:
            self.failed.emit(exc)
            return False
        self.refresh()
        self.changed.emit()
        return True

    # ----- drag and drop ------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction  # copy: transcript words stay where they are

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE, SPAN_MIME_TYPE]

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        if data.hasFormat(SPAN_MIME_TYPE):
            code = self.code(parent)
            return code is not None and code.codable and read_span(data) is not None
        return data.hasFormat(MIME_TYPE)

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        ids = sorted({i.internalId() for i in indexes if i.isValid()})
        data = QMimeData()
        data.setData(MIME_TYPE, QByteArray(",".join(map(str, ids)).encode()))
        return data

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return False
        if data.hasFormat(SPAN_MIME_TYPE):
            return self._drop_span(data, parent)
        if not data.hasFormat(MIME_TYPE):
            return False
        raw = bytes(data.data(MIME_TYPE).data()).decode()
        ids = [int(i) for i in raw.split(",") if i]
        target = self.code(parent)
        merge = bool(QGuiApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier)
        if merge and target is not None and row < 0:
            return self.merge(ids, target.id)
        return self.move(ids, target.id if target else None, None if row < 0 else row)

    def _drop_span(self, data: QMimeData, parent: Index) -> bool:
        """Transcript words dropped on a code: ask for them to be coded with it (not a grouping)."""
        code, span = self.code(parent), read_span(data)
        if code is None or span is None:
            return False
        if not code.codable:
            self.failed.emit(VerbatimError(None, f"{code.name!r} is a grouping: drop the words on one of its codes."))
            return False
        self.span_dropped.emit(code.id, span)
        return True

    def move(self, ids: list[int], parent_id: int | None, position: int | None) -> bool:
        def change() -> None:
            for offset, code_id in enumerate(ids):
                coding_service.move_code(
                    self.store, code_id, parent_id, self._slot(code_id, parent_id, position, offset)
                )

        return self._run(change)

    def _slot(self, code_id: int, parent_id: int | None, position: int | None, offset: int) -> int | None:
        """Qt's drop row counts the dragged code itself when it stays under the same parent."""
        if position is None:
            return None
        siblings = self.child_ids.get(parent_id, [])
        moving_down = code_id in siblings and siblings.index(code_id) < position
        return position + offset - (1 if moving_down else 0)

    def merge(self, ids: list[int], target_id: int) -> bool:
        def change() -> None:
            for code_id in ids:
                if code_id != target_id:
                    coding_service.merge_codes(self.store, code_id, target_id)

        return self._run(change)
