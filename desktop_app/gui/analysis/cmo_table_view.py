"""The realist evaluation's C–M–O table: one row per configuration and document, its tagged extracts
under Context, Mechanism (+), Mechanism (−) and Outcome, for the study or the selected document."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from desktop_app.gui.analysis.analysis_page import AnalysisPage
from desktop_app.gui.analysis.summary_table_model import SummaryTableModel, make_table_view
from desktop_app.services.analysis.analysis_tables import SummaryTable
from desktop_app.services.coding import realist_service
from desktop_app.services.study.project_service import ProjectStore

STUDY, DOCUMENT = "study", "document"
NAME_COLUMNS = 2  # Configuration, Document; the four C-M-O columns share the rest


class CmoTableView(AnalysisPage):
    activity = "read the configurations"
    export_file = "cmo-table.xlsx"
    export_hint = "Save the C–M–O table as Excel, CSV or Word"

    def __init__(self, store: ProjectStore, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.document_id: int | None = None
        self.scope = QComboBox()
        self.scope.addItem("Whole study", STUDY)
        self.scope.addItem("Selected document", DOCUMENT)
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.model = SummaryTableModel()
        self.table = make_table_view(self.model, wrap=True)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.model.modelReset.connect(self._fit)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Configurations in"))
        controls.addWidget(self.scope)
        controls.addStretch()
        controls.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def set_document(self, document_id: int | None) -> None:
        self.document_id = document_id
        if self.scope.currentData() == DOCUMENT and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        document_id = self.document_id if self.scope.currentData() == DOCUMENT else None
        if self.scope.currentData() == DOCUMENT and document_id is None:
            self._show(SummaryTable("C–M–O configurations", list(realist_service.CMO_HEADERS), []))
            self.summary.setText("Select a document to see its configurations.")
            return
        self.summary.setText("Reading configurations…")
        self.reader.request(lambda s: realist_service.cmo_table(s, document_id), self._show, self._failed)

    def _show(self, table: SummaryTable) -> None:
        self.summary_table = table
        self.model.set_table(table)
        configurations = len({r[0] for r in table.rows})
        self.summary.setText(
            f"{configurations} configuration{'s' if configurations != 1 else ''} in {len(table.rows)} "
            f"row{'s' if len(table.rows) != 1 else ''} (one per configuration and document)."
            if table.rows
            else "No configurations yet: codings tagged as Context, Mechanism or Outcome and linked into "
            "configurations appear here."
        )
        self.export_button.setEnabled(bool(table.rows))

    def _fit(self) -> None:
        header = self.table.horizontalHeader()
        for column in range(min(NAME_COLUMNS, self.model.columnCount())):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.resizeRowsToContents()
