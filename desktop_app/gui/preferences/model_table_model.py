"""The Models page's table: one row per Whisper model, installed or not, over the service's catalogue."""

from __future__ import annotations

from PySide6.QtGui import QColor

from desktop_app.gui.common.row_table_model import RowTableModel
from desktop_app.services.transcription.model_service import CatalogueRow

COLUMNS = ("Model", "Languages", "Size", "RAM", "Published accuracy", "Speed here", "State")


def _size(count: int) -> str:
    return f"{count / 1e9:.2f} GB" if count >= 1e9 else f"{count / 1e6:.0f} MB"


class ModelTableModel(RowTableModel[CatalogueRow]):
    columns = COLUMNS
    right_aligned = frozenset({2, 3, 5})

    def row_named(self, name: str) -> int:
        return self.find(lambda row: row.name == name)

    def text(self, row: CatalogueRow, column: int) -> str:
        return self._text(row, column)

    def tooltip(self, row: CatalogueRow, column: int) -> str:
        return self._tooltip(row, column)

    def foreground(self, row: CatalogueRow, column: int) -> QColor | None:
        return QColor("#b00020") if column == 6 and row.state == "HASH MISMATCH" else None

    @staticmethod
    def _text(row: CatalogueRow, column: int) -> str:
        if column == 0:
            return row.name
        if column == 1:
            return row.languages
        if column == 2:
            return _size(row.size_bytes) if row.size_bytes else "-"
        if column == 3:
            return f"{row.ram_gb:.1f} GB" if row.ram_gb else "-"
        if column == 4:
            return row.accuracy or "-"
        if column == 5:
            return f"{row.speed:.1f}× real time" if row.speed else "-"
        if row.partial_bytes and row.installed is None:
            return f"partly downloaded ({_size(row.partial_bytes)})"
        return row.state

    @staticmethod
    def _tooltip(row: CatalogueRow, column: int) -> str:
        if column == 4 and row.accuracy_source:
            return f"Source: {row.accuracy_source}. Lower word error rate (WER) is better."
        if column == 5:
            return "Measured on this computer on the bundled sample (Measure speed). Above 1× is faster than real time."
        if column == 6 and row.installed is not None:
            return f"{row.origin}\n{row.installed.path}"
        return row.description
