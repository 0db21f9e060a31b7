"""The transcription bar's model list: the installed Whisper models, read again whenever it may be stale.

A model downloaded or removed in Preferences ▸ Models shows up the next time the list opens, and a
default model chosen there is found even if it arrived after the bar was built.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from desktop_app.services.transcription import model_service


class ModelCombo(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.refresh()

    def installed(self) -> list[str]:
        return [self.itemData(i) for i in range(self.count())]

    def refresh(self) -> None:
        current = self.currentData()
        names = [e.name for e in model_service.list_models() if e.kind == "whisper"]
        if names == self.installed():
            return
        self.blockSignals(True)
        self.clear()
        for name in names:
            self.addItem(name, name)
        self.blockSignals(False)
        index = self.findData(current) if current is not None else -1
        self.setCurrentIndex(index if index >= 0 else max(0, super().findData("base")))

    def showPopup(self) -> None:
        self.refresh()
        super().showPopup()

    def findData(
        self,
        data: object,
        role: int = Qt.ItemDataRole.UserRole,
        flags: Qt.MatchFlag = Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchCaseSensitive,
    ) -> int:
        """Like QComboBox's, but a model installed since the list was read is found too."""
        index = super().findData(data, role, flags)
        if index < 0 and data:
            self.refresh()
            index = super().findData(data, role, flags)
        return index
