"""Realist evaluation in the GUI: tag a coding as Context, Mechanism (+/−) or Outcome from its
right-click menu, and link tagged codings into a C–M–O configuration with a small dialog.

Everything goes through the realist service, so each tag and configuration is one journaled,
undoable step, and the Analysis page's C–M–O table shows it on its next refresh.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import VerbatimError
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.common.slots import call
from desktop_app.services.analysis import analysis_service
from desktop_app.services.coding import realist_service
from desktop_app.services.coding.realist_service import Polarity, Role
from desktop_app.services.study.project_service import ProjectStore

# menu label, role, polarity
ROLE_CHOICES: list[tuple[str, Role, Polarity | None]] = [
    ("Context", Role.CONTEXT, None),
    ("Mechanism (+)", Role.MECHANISM, Polarity.POSITIVE),
    ("Mechanism (−)", Role.MECHANISM, Polarity.NEGATIVE),
    ("Outcome", Role.OUTCOME, None),
]
NONE_CHOSEN = "(none)"
REALIST_MENU = "Tag for realist evaluation"
LABEL_LIMIT = 70


def add_realist_actions(
    menu: QMenu, parent: QWidget, store: ProjectStore, coding_id: int, changed: Callable[[str], None]
) -> QMenu:
    """A "Tag for realist evaluation" submenu for one coding: its role (checked), removing it, and linking.

    ``changed`` gets a one-line report after each change (for the status bar). The transcript editor's
    right-click menu calls this with the coding under the cursor, as the extracts panel does."""
    submenu = menu.addMenu(REALIST_MENU)
    current = realist_service.tags(store).get(coding_id)
    for label, role, polarity in ROLE_CHOICES:
        action = submenu.addAction(
            f"Mark as {label}", call(_tag, parent, store, coding_id, role, polarity, label, changed)
        )
        action.setCheckable(True)
        action.setChecked(current is not None and (current.role, current.polarity) == (role, polarity))
    remove = submenu.addAction("Remove realist tag", lambda: _untag(parent, store, coding_id, changed))
    remove.setEnabled(current is not None)
    submenu.addSeparator()
    link = submenu.addAction(
        "Link into a C–M–O configuration…", lambda: open_configuration_dialog(parent, store, changed)
    )
    link.setEnabled(current is not None)
    return submenu


def add_code_realist_actions(
    menu: QMenu, parent: QWidget, store: ProjectStore, code_id: int, changed: Callable[[str], None]
) -> QMenu:
    """The codebook's "Tag for realist evaluation" submenu: every coding of the code in one step."""
    submenu = menu.addMenu(REALIST_MENU)
    for label, role, polarity in ROLE_CHOICES:
        submenu.addAction(
            f"Mark all its codings as {label}",
            call(_tag_code, parent, store, code_id, role, polarity, label, changed),
        )
    submenu.addSeparator()
    submenu.addAction(
        "Link codings into a C–M–O configuration…", lambda: open_configuration_dialog(parent, store, changed)
    )
    return submenu


def _tag_code(
    parent: QWidget,
    store: ProjectStore,
    code_id: int,
    role: Role,
    polarity: Polarity | None,
    label: str,
    changed: Callable[[str], None],
) -> None:
    def step() -> str:
        count = realist_service.tag_codings_of_code(store, code_id, role, polarity)
        return f"Marked {count} coding{'s' if count != 1 else ''} as {label} (Ctrl+Z undoes)"

    _report(parent, step, changed)


def _tag(
    parent: QWidget,
    store: ProjectStore,
    coding_id: int,
    role: Role,
    polarity: Polarity | None,
    label: str,
    changed: Callable[[str], None],
) -> None:
    def step() -> str:
        realist_service.tag_coding(store, coding_id, role, polarity)
        return f"Marked the coding as {label} (Ctrl+Z undoes)"

    _report(parent, step, changed)


def _untag(parent: QWidget, store: ProjectStore, coding_id: int, changed: Callable[[str], None]) -> None:
    def step() -> str:
        realist_service.untag_coding(store, coding_id)
        return "Removed the coding's realist tag (Ctrl+Z brings it back)"

    _report(parent, step, changed)


def _report(parent: QWidget, step: Callable[[], str], changed: Callable[[str], None]) -> None:
    """Run one realist tagging step; its one-line report goes to ``changed``, an error to a dialog."""
    try:
        message = step()
    except VerbatimError as exc:
        show_error(parent, exc, title="Realist evaluation")
        return
    changed(message)


def open_configuration_dialog(parent: QWidget, store: ProjectStore, changed: Callable[[str], None]) -> RealistDialog:
    """Show the dialog without blocking (window-modal); ``changed`` hears of a saved configuration."""
    dialog = RealistDialog(store, parent)
    dialog.saved.connect(changed)
    dialog.open()
    return dialog


class RealistDialog(QDialog):
    """Pick a context, a mechanism and an outcome among the study's tagged codings, name the
    configuration and optionally write a memo; OK saves it (one undo step)."""

    saved = Signal(str)  # a one-line report

    def __init__(self, store: ProjectStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.configuration_id: int | None = None
        self.setWindowTitle("New C–M–O configuration")
        self.name = QLineEdit(f"Configuration {len(realist_service.configurations(store)) + 1}")
        self.context = QComboBox()
        self.mechanism = QComboBox()
        self.outcome = QComboBox()
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Memo: how the mechanism works in this context to give the outcome")
        self.notes.setFixedHeight(80)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #666")
        self._fill()
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Context", self.context)
        form.addRow("Mechanism", self.mechanism)
        form.addRow("Outcome", self.outcome)
        form.addRow("Memo", self.notes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _fill(self) -> None:
        """Each box lists the codings tagged with its role ((none) first: a configuration may lack a part)."""
        tags = realist_service.tags(self.store)
        extracts = analysis_service.extracts_of(self.store, sorted(tags))
        boxes = {Role.CONTEXT: self.context, Role.MECHANISM: self.mechanism, Role.OUTCOME: self.outcome}
        for box in boxes.values():
            box.addItem(NONE_CHOSEN, None)
        for extract in extracts:
            tag = tags[extract.coding.id]
            box = boxes[tag.role]
            text = " ".join(extract.text.split())
            text = text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1] + "…"
            sign = {Polarity.POSITIVE: "(+) ", Polarity.NEGATIVE: "(−) "}.get(tag.polarity, "") if tag.polarity else ""
            box.addItem(f"{sign}“{text}” · {extract.code.name} · {extract.document_title}", extract.coding.id)
            box.setItemData(
                box.count() - 1, extract.text, Qt.ItemDataRole.ToolTipRole
            )  # the whole extract as the item's tooltip
        for box in boxes.values():
            box.setCurrentIndex(1 if box.count() > 1 else 0)
        counts = [box.count() - 1 for box in boxes.values()]
        self.hint.setText(
            f"Tagged codings in this study: {counts[0]} context, {counts[1]} mechanism, {counts[2]} outcome. "
            "Tag more from an extract's right-click menu (Realist evaluation)."
        )

    def choose(self, box: QComboBox, coding_id: int | None) -> None:
        box.setCurrentIndex(box.findData(coding_id))

    def chosen(self) -> list[int]:
        return [box.currentData() for box in (self.context, self.mechanism, self.outcome) if box.currentData()]

    def accept(self) -> None:
        """Save the configuration; on a problem say so and stay open, so nothing typed is lost."""
        try:
            coding_ids = self.chosen()
            if not coding_ids:
                raise VerbatimError(None, "Choose at least one tagged coding (context, mechanism or outcome).")
            name = self.name.text().strip()
            self.configuration_id = realist_service.add_configuration(
                self.store, name, coding_ids, self.notes.toPlainText().strip()
            )
        except VerbatimError as exc:
            show_error(self, exc, title="C–M–O configuration")
            return
        self.saved.emit(f"Added the configuration {name} (Ctrl+Z undoes; see Analysis › C–M–O table)")
        super().accept()
