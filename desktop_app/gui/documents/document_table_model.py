"""The study's documents as a Qt table model (title, duration, status, language)."""

from __future__ import annotations

from desktop_app.core.document import DocumentInfo
from desktop_app.core.languages import language_name
from desktop_app.core.timecode import format_hms
from desktop_app.gui.common.row_table_model import RowTableModel

COLUMNS = ("Title", "Duration", "Status", "Language")


class DocumentTableModel(RowTableModel[DocumentInfo]):
    columns = COLUMNS
    right_aligned = frozenset({1})

    def set_documents(self, documents: list[DocumentInfo]) -> None:
        self.set_rows(documents)

    def document(self, row: int) -> DocumentInfo:
        return self.rows[row]

    def row_of(self, document_id: int) -> int:
        return self.find(lambda doc: doc.id == document_id)

    def text(self, doc: DocumentInfo, column: int) -> str:
        if column == 0:
            return doc.title
        if column == 1:
            return format_hms(doc.duration) if doc.duration is not None else ""
        if column == 2:
            return doc.status.value.capitalize()
        return language_name(doc.language)  # "German", not "de"

    def tooltip(self, doc: DocumentInfo, column: int) -> str:
        return doc.media_path or doc.title

    def key(self, doc: DocumentInfo) -> int:
        return doc.id
