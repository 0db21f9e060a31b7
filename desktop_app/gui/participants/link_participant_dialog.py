"""Link a speaker to a participant: pick one from the study's list, or make a new one on purpose.

A free-text box let "P1" typed for "P01" create an empty participant without a word; the list
makes the existing participants the easy choice and a new one a deliberate step ("New…").
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

NO_PARTICIPANT = "— none —"
NEW_PARTICIPANT = "New participant…"
_NEW = object()


class LinkParticipantDialog(QDialog):
    """The chosen label is :attr:`label` once accepted (None: unlink)."""

    def __init__(self, speaker: str, labels: list[str], current: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Link to participant")
        self._labels = labels
        self.choice = QComboBox()
        self.choice.addItem(NO_PARTICIPANT, None)
        for label in labels:
            self.choice.addItem(label, label)
        self.choice.insertSeparator(self.choice.count())
        self.choice.addItem(NEW_PARTICIPANT, _NEW)
        self.new_label = QLineEdit()
        self.new_label.setPlaceholderText("e.g. P05")
        self.warning = QLabel()
        self.warning.setStyleSheet("color: #a33")
        self.warning.setWordWrap(True)
        form = QFormLayout()
        form.addRow(f"Participant for {speaker}:", self.choice)
        form.addRow("New label:", self.new_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self.choice.currentIndexChanged.connect(self._update)
        self.new_label.textChanged.connect(self._update)
        self.choice.setCurrentIndex(max(0, self.choice.findData(current)) if current else 0)
        self._update()

    def creating(self) -> bool:
        return self.choice.currentData() is _NEW

    @property
    def label(self) -> str | None:
        if self.creating():
            return self.new_label.text().strip() or None
        data = self.choice.currentData()
        return str(data) if data is not None else None

    def _update(self) -> None:
        creating = self.creating()
        self.new_label.setEnabled(creating)
        typed = self.new_label.text().strip()
        same = next((x for x in self._labels if x.casefold() == typed.casefold()), None)
        close = [x for x in self._labels if _loose(x) == _loose(typed)] if typed else []
        if creating and same:
            self.warning.setText(f"{same} already exists: choose it from the list.")
        elif creating and close:
            self.warning.setText(f"Did you mean {close[0]}? A new participant {typed} will be created.")
        else:
            self.warning.setText("")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not creating or (bool(typed) and same is None))
        if creating:
            self.new_label.setFocus()


def _loose(label: str) -> str:
    """P01, p1 and "P 1" alike: letters and numbers without leading zeros."""
    parts = re.findall(r"[^\W\d_]+|\d+", label.casefold())
    return " ".join(str(int(p)) if p.isdigit() else p for p in parts)
