"""What every Analysis page with a table has, written once: the study, a reader that runs its counting off
the GUI thread, a one-line summary above the result (where failures are reported too), and an Export…
button that saves the page's table as Excel, CSV or Word.

A page names what it does (``activity``, for "Could not count codings: …") and its export's file name,
puts ``export_button`` and ``summary`` in its layout, and keeps ``summary_table`` up to date.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from desktop_app.gui.analysis.summary_table_model import export_table
from desktop_app.gui.common.study_reader import StudyReader, report_failure
from desktop_app.services.analysis.analysis_tables import SummaryTable
from desktop_app.services.study.project_service import ProjectStore


class AnalysisPage(QWidget):
    activity = "count"
    export_file = "table.xlsx"
    export_hint = "Save this table as Excel, CSV or Word"

    def __init__(self, store: ProjectStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.reader = StudyReader(self, store)
        self.summary_table = SummaryTable("", [], [])
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip(self.export_hint)
        self.export_button.clicked.connect(self.ask_export)

    def export_name(self) -> str:
        """The file name the save dialog suggests."""
        return self.export_file

    def ask_export(self) -> None:
        export_table(self, self.summary_table, self.export_name())

    def _failed(self, error: object) -> None:
        report_failure(self, self.summary, error, self.activity)
