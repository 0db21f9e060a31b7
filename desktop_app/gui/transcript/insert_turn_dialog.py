"""Insert turn…: a turn the researcher types for talk the transcriber wrote nothing for.

A quiet remark Whisper dropped, or a voice the speaker step heard only in overlap: the researcher
listens to the stretch ("Play this stretch", as often as needed), sets who spoke and when, and types
what was said. OK (or Ctrl+Return from the text) stays off until there is text and the end comes after
the start.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

NEW_SPEAKER = "New speaker…"


class InsertTurnDialog(QDialog):
    play_requested = Signal(float, float)  # start, end of the stretch to hear

    def __init__(
        self,
        parent: QWidget,
        speakers: list[tuple[str, str]],
        speaker: str | None,
        span: tuple[float, float],
        duration: float | None,
    ) -> None:
        """``speakers``: (label, shown name) of the document's speakers; ``speaker``: the one chosen first;
        ``span``: the stretch offered (where the playhead is, or the talk without words found there)."""
        super().__init__(parent)
        self.setWindowTitle("Insert turn")
        self.speaker = QComboBox()
        for label, name in speakers:
            self.speaker.addItem(label if name == label else f"{name} ({label})", label)
        self.speaker.addItem(NEW_SPEAKER, None)
        chosen = self.speaker.findData(speaker) if speaker is not None else -1
        self.speaker.setCurrentIndex(max(0, chosen))
        self.start, self.end = QDoubleSpinBox(), QDoubleSpinBox()
        for box, value in ((self.start, span[0]), (self.end, span[1])):
            box.setRange(0.0, duration if duration else 10_000_000.0)
            box.setDecimals(2)
            box.setSingleStep(0.1)
            box.setSuffix(" s")
            box.setValue(value)
            box.valueChanged.connect(self._check)
        self.play = QPushButton("Play this stretch")
        self.play.setToolTip("Hear the stretch from Start to End (again as often as you need)")
        self.play.clicked.connect(lambda: self.play_requested.emit(self.start.value(), self.end.value()))
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("What was said, as you hear it")
        self.text.setTabChangesFocus(True)
        self.text.textChanged.connect(self._check)
        self.text.installEventFilter(self)  # Ctrl+Return in the text: OK
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Speaker", self.speaker)
        form.addRow("Start", self.start)
        form.addRow("End", self.end)
        form.addRow("", self.play)
        form.addRow("Said", self.text)
        form.addRow(self.warning)
        form.addRow(self.buttons)
        self.text.setFocus()
        self._check()

    def _check(self) -> None:
        problem = ""
        if self.end.value() <= self.start.value():
            problem = "The end must come after the start."
        elif not self.text.toPlainText().strip():
            problem = "Type what was said."
        self.warning.setText(problem)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problem)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.text
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            if self.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled():
                self.accept()
            return True
        return super().eventFilter(watched, event)

    def chosen_speaker(self) -> str | None:
        """The label chosen, or None for a new speaker."""
        data = self.speaker.currentData()
        return str(data) if data is not None else None

    def span(self) -> tuple[float, float]:
        return self.start.value(), self.end.value()

    def said(self) -> str:
        return self.text.toPlainText()
