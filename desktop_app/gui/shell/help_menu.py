"""Help: every keyboard shortcut (remappable), what the marks in the transcript mean, where realist
tagging lives, and about. The walk-through found none of these without reading the code.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.gui.shell.shortcuts import GESTURES, GROUPS, SHORTCUTS, actions_bound_to, bind, key_sequences

MARKS_HELP = """
<h3>What the marks in the transcript mean</h3>
<p><span style="text-decoration: underline; text-decoration-style: dotted; color:#b07a00">Dotted amber
underline</span>: a word the recogniser was unsure of. Listen to it (Ctrl+click plays from there) and
correct it; the underline goes once the word is edited.</p>
<p><span style="color:#5b8bd6">Wavy blue underline</span>: overlapping talk — two voices at once, so the
words and the speaker may be mixed up.</p>
<p><b>Coloured tint, and a labelled stripe in the right margin</b>: coded text, in the code's colour;
hover the stripe for the code, the words and the memo; click it to select the coded words.</p>
<p><b>(.) (..) (3 s)</b>: pauses between words (Jefferson's notation), written into exports when
<i>Pauses</i> is ticked in File › Export: (.) 0.3 s to under 1 s, (..) 1 to 2 s, longer ones in
whole seconds.</p>
"""

REALIST_HELP = """
<h3>Realist evaluation: Context, Mechanism, Outcome</h3>
<p>Tag a <b>coding</b> (a coded extract) as Context, Mechanism (+ or −) or Outcome:</p>
<ul>
<li>Codes tab › Extracts: right-click an extract › <i>Tag for realist evaluation</i>;</li>
<li>Codes tab › Codebook: right-click a code › <i>Tag for realist evaluation</i> tags all its codings at once;</li>
<li>in the transcript: right-click coded words › <i>Tag for realist evaluation</i>.</li>
</ul>
<p>Link tagged extracts into C–M–O configurations from the same menu (<i>Link into a C–M–O
configuration…</i>). The table of configurations, per document or for the whole study, is on the
Analysis page › <i>C–M–O table</i>, and exports to Word or Excel. Every step is undone by Ctrl+Z.</p>
"""


class ShortcutsDialog(QDialog):
    """Every shortcut by group; click a key cell and press new keys to remap it. Mouse gestures below."""

    def __init__(self, settings: AppSettings, window: QWidget | None = None) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(720, 660)
        self._settings = settings
        self._window = window
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Action", "Key", "Also"])
        key_header = self.table.horizontalHeaderItem(1)
        assert key_header is not None  # set by setHorizontalHeaderLabels just above
        key_header.setToolTip("Click a key, then press the new keys (a foot pedal works too)")
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 190)
        self.table.setColumnWidth(2, 110)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.editors: dict[str, QKeySequenceEdit] = {}
        self._fill(settings)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_defaults)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def _fill(self, settings: AppSettings) -> None:
        """A row per shortcut under its group's heading (an editor for its main keys), then the mouse gestures."""
        for group in GROUPS:
            self._add_heading(group)
            for spec in (s for s in SHORTCUTS if s.group == group):
                row = self._add_row(spec.label)
                keys = key_sequences(settings, spec)
                editor = QKeySequenceEdit(keys[0] if keys else QKeySequence())
                self.editors[spec.name] = editor
                self.table.setCellWidget(row, 1, editor)
                self.table.setItem(row, 2, QTableWidgetItem(", ".join(k.toString() for k in keys[1:])))
        self._add_heading("Mouse, in the transcript")
        for gesture, meaning in GESTURES:
            row = self._add_row(meaning)
            self.table.setItem(row, 1, QTableWidgetItem(gesture))
            self.table.setSpan(row, 1, 1, 2)

    def _add_row(self, label: str) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(label))
        return row

    def _add_heading(self, text: str) -> None:
        row = self._add_row(text)
        item = self.table.item(row, 0)
        assert item is not None  # _add_row fills every cell
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        self.table.setSpan(row, 0, 1, 3)

    def restore_defaults(self) -> None:
        for spec in SHORTCUTS:
            self.editors[spec.name].setKeySequence(QKeySequence(spec.defaults[0]))

    def apply(self) -> None:
        """Store the keys; the window's actions take them at once."""
        for spec in SHORTCUTS:
            primary = self.editors[spec.name].keySequence().toString()
            extra = [k for k in spec.defaults[1:] if k != primary]
            keys = [primary, *extra] if primary else list(spec.defaults)
            self._settings.set_value(f"shortcuts/{spec.name}", ";".join(keys))
            for action in actions_bound_to(self._window, spec.name) if self._window is not None else []:
                action.setShortcuts([QKeySequence(k) for k in keys])
        self.accept()


def _text_dialog(parent: QWidget, title: str, html: str) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    text = QLabel(html)
    text.setWordWrap(True)
    text.setTextFormat(Qt.TextFormat.RichText)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    layout.addWidget(buttons)
    dialog.resize(560, dialog.sizeHint().height())
    return dialog


class HelpMenu(QMenu):
    """Help › Keyboard shortcuts…, What the marks mean, Realist evaluation, About Verbatim."""

    def __init__(self, window: QWidget, settings: AppSettings) -> None:
        super().__init__("&Help", window)
        self._window = window
        self._settings = settings
        self.dialog: QDialog | None = None  # the one shown last (kept for tests and to keep it alive)
        self.shortcuts_action = bind(QAction("&Keyboard shortcuts…", window), "shortcuts", settings)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.addAction(self.shortcuts_action)
        self.addAction("What the &marks in the transcript mean", self.show_marks)
        self.addAction("&Realist evaluation (C–M–O)", self.show_realist)
        self.addSeparator()
        self.addAction("&About Verbatim", self.show_about)

    def _show(self, dialog: QDialog) -> QDialog:
        self.dialog = dialog
        dialog.show()  # not modal: read it beside the transcript
        return dialog

    def show_shortcuts(self) -> QDialog:
        return self._show(ShortcutsDialog(self._settings, self._window))

    def show_marks(self) -> QDialog:
        return self._show(_text_dialog(self._window, "What the marks mean", MARKS_HELP))

    def show_realist(self) -> QDialog:
        return self._show(_text_dialog(self._window, "Realist evaluation", REALIST_HELP))

    def show_about(self) -> QDialog:
        about = (
            f"<h3>Verbatim {__version__}</h3><p>Transcribe interviews and focus groups on this computer, "
            "correct them against the audio, code them and export them. Nothing leaves the machine.</p>"
        )
        return self._show(_text_dialog(self._window, "About Verbatim", about))
