"""The export dialogs' choice of text: the original words, their stored English, or both.

Offered only in a study where some turn has English (``visible_for``); "English" keeps the original
of turns without a translation, and "Both" writes "original (English)".
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from desktop_app.core.text.text_layer import TextLayer
from desktop_app.services.study.project_service import ProjectStore
from desktop_app.services.transcription import translation_layer

CHOICES = (
    ("Original words", TextLayer.ORIGINAL),
    ("English translation", TextLayer.ENGLISH),
    ("Both: original (English)", TextLayer.BOTH),
)


class TextLayerCombo(QComboBox):
    def __init__(self, prefix: str = "", parent: QWidget | None = None) -> None:
        """``prefix`` says what the choice is for where no form label does ("Table in: ")."""
        super().__init__(parent)
        for label, layer in CHOICES:
            self.addItem(f"{prefix}{label}", layer.value)
        self.setToolTip(
            "Which text to write: the original words, the English added with 'Add English translation', or both"
        )

    def layer(self) -> TextLayer:
        return TextLayer(self.currentData())

    @staticmethod
    def wanted(store: ProjectStore) -> bool:
        """Shown only where there is English to choose."""
        return translation_layer.study_has_translation(store)
