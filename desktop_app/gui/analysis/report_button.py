"""The Analysis page's Reports button: Word documents for the write-up, made by the report service.

"Quotes by theme" lists every coded extract as a labelled quote under its theme and code;
"Member-checking report" gives each theme's description, sub-themes and a few quotes, for
participants to read. "Pseudonymise" passes quotes and labels through the study's pseudonym table
first (the choice is remembered while the study is open).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QFileDialog, QMenu, QToolButton, QWidget

from desktop_app.core.errors import VerbatimError
from desktop_app.core.text.text_layer import TextLayer
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.common.export_notice import announce_export
from desktop_app.gui.common.slots import call
from desktop_app.gui.common.text_layer_combo import CHOICES, TextLayerCombo
from desktop_app.services.analysis import report_service
from desktop_app.services.analysis.report_service import ReportOptions
from desktop_app.services.study.project_service import ProjectStore

Writer = Callable[[ProjectStore, Path, ReportOptions], int]
# kind: menu label, file name suffix, writer, what the count counts
REPORTS: dict[str, tuple[str, str, Writer, str]] = {
    "quotes": ("Quotes by theme (Word)…", "quotes by theme", report_service.write_quote_list, "quote"),
    "member_check": (
        "Member-checking report (Word)…",
        "member-checking report",
        report_service.write_member_check,
        "illustrative quote",
    ),
}


class ReportButton(QToolButton):
    message = Signal(str)  # where the report went, for a label or status bar

    def __init__(self, store: ProjectStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setText("Reports")
        self.setToolTip("Write the quote list per theme or the member-checking report as a Word document")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        self.actions_by_kind = {}
        for kind, (label, _suffix, _writer, _unit) in REPORTS.items():
            self.actions_by_kind[kind] = menu.addAction(label, call(self.ask_write, kind))
        menu.addSeparator()
        self.pseudonymise = menu.addAction("Pseudonymise quotes and labels")
        self.pseudonymise.setCheckable(True)
        self.pseudonymise.setToolTip("Replace names and places with the study's pseudonyms (Pseudonyms tab)")
        self.quote_text = menu.addMenu("Quotes in")  # shown once some turn has English
        self.quote_layers = QActionGroup(self)
        for label, layer in CHOICES:
            action = self.quote_text.addAction(label)
            action.setCheckable(True)
            action.setData(layer.value)
            action.setChecked(layer is TextLayer.ORIGINAL)
            self.quote_layers.addAction(action)
        menu.aboutToShow.connect(lambda: self.quote_text.menuAction().setVisible(TextLayerCombo.wanted(store)))
        self.setMenu(menu)

    def layer(self) -> TextLayer:
        checked = self.quote_layers.checkedAction()
        return TextLayer(checked.data()) if checked is not None else TextLayer.ORIGINAL

    def ask_write(self, kind: str) -> Path | None:
        label, suffix, _writer, _unit = REPORTS[kind]
        suggested = self.store.path.parent / f"{self.store.path.stem} {suffix}.docx"
        path, _chosen = QFileDialog.getSaveFileName(self, label.rstrip("…"), str(suggested), "Word (*.docx)")
        if not path:
            return None
        target = Path(path) if Path(path).suffix else Path(path + ".docx")
        return target if self.write(kind, target) is not None else None

    def write(self, kind: str, path: Path) -> int | None:
        """Write one report; the number of quotes in it, or None after showing what went wrong."""
        _label, _suffix, writer, unit = REPORTS[kind]
        try:
            options = ReportOptions(pseudonymise=self.pseudonymise.isChecked(), text_layer=self.layer())
            count = writer(self.store, path, options)
        except VerbatimError as exc:
            show_error(self, exc, title="Reports")
            return None
        note = " (pseudonymised)" if self.pseudonymise.isChecked() else ""
        announce_export(self, path, f"{count} {unit}{'s' if count != 1 else ''}{note}")
        return count
