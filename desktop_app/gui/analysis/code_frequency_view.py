"""Code frequencies by document or by a participant attribute: a table (codings or distinct
participants per code), an optional stacked bar chart, and Export… to XLSX, CSV or DOCX."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.analysis.analysis_page import AnalysisPage
from desktop_app.gui.analysis.bar_chart import CATEGORY_COLORS, Bar, BarChart
from desktop_app.gui.analysis.summary_table_model import SummaryTableModel, fit_columns, make_table_view
from desktop_app.services.analysis import analysis_service
from desktop_app.services.analysis.analysis_service import FrequencyTable
from desktop_app.services.analysis.analysis_summaries import code_depths, frequency_summary
from desktop_app.services.participants import participant_service
from desktop_app.services.study.project_service import ProjectStore

MAX_STACKED = len(CATEGORY_COLORS)  # more columns than colours: the chart shows totals only
TOTAL_COLOR = "#4e79a7"


def frequency_bars(table: FrequencyTable, cases: bool) -> tuple[list[Bar], list[tuple[str, str]]]:
    """One bar per code with any count, stacked by column when there are few columns; and the legend."""
    stacked = len(table.columns) <= MAX_STACKED
    bars = []
    for row in table.rows:
        counts = row.cases if cases else row.codings
        if not any(counts):
            continue
        parts = (
            [(float(n), CATEGORY_COLORS[i]) for i, n in enumerate(counts)]
            if stacked
            else [(float(sum(counts)), TOTAL_COLOR)]
        )
        detail = "\n".join(f"{column}: {n}" for column, n in zip(table.columns, counts, strict=True) if n)
        what = "participants" if cases else "codings"
        bars.append(Bar(row.code.name, parts, str(sum(counts)), f"{row.code.name}: {sum(counts)} {what}\n{detail}"))
    legend = [(c, CATEGORY_COLORS[i]) for i, c in enumerate(table.columns)] if stacked else []
    return bars, legend


class CodeFrequencyView(AnalysisPage):
    activity = "count codings"

    def __init__(self, store: ProjectStore, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.found: FrequencyTable | None = None
        self.summary.setWordWrap(False)
        self.by = QComboBox()
        self.by.setMinimumContentsLength(12)
        self.by.currentIndexChanged.connect(lambda _i: self.refresh())
        self.counting = QComboBox()
        self.counting.addItem("Codings", False)
        self.counting.addItem("Participants", True)
        self.counting.setToolTip("Codings: how many times a code was applied. Participants: how many different people.")
        self.counting.currentIndexChanged.connect(lambda _i: self._show())
        self.chart_box = QCheckBox("Show chart")
        self.chart_box.setChecked(True)
        self.chart_box.toggled.connect(self._chart_toggled)
        self.model = SummaryTableModel()
        self.table = make_table_view(self.model)
        self.chart = BarChart()
        self.chart_area = QScrollArea()
        self.chart_area.setWidgetResizable(True)
        self.chart_area.setWidget(self.chart)
        self._build_layout()
        self._fill_attributes()

    def _build_layout(self) -> None:
        controls = QHBoxLayout()
        for widget in (QLabel("Count"), self.counting, QLabel("by"), self.by, self.chart_box):
            controls.addWidget(widget)
        controls.addStretch()
        controls.addWidget(self.export_button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart_area)
        splitter.setSizes([300, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

    def _fill_attributes(self) -> None:
        chosen = self.by.currentData()
        self.by.blockSignals(True)
        self.by.clear()
        self.by.addItem("document", "document")
        for attribute in participant_service.attributes(self.store):
            self.by.addItem(attribute.name, attribute.name)
        self.by.setCurrentIndex(max(0, self.by.findData(chosen)))
        self.by.blockSignals(False)

    def refresh(self) -> None:
        self._fill_attributes()
        by = str(self.by.currentData())
        self.summary.setText("Counting…")
        self.reader.request(lambda s: analysis_service.frequencies(s, by), self._found, self._failed)

    def _found(self, table: FrequencyTable) -> None:
        self.found = table
        self._show()

    def _show(self) -> None:
        if self.found is None:
            return
        cases = bool(self.counting.currentData())
        self.summary_table = frequency_summary(self.found, cases=cases)
        depths = code_depths([r.code for r in self.found.rows])
        themes = {i for i, r in enumerate(self.found.rows) if depths[r.code.id] == 0}
        self.model.set_table(self.summary_table, themes)
        fit_columns(self.table)
        bars, legend = frequency_bars(self.found, cases)
        self.chart.empty_text = "No codings yet."
        self.chart.set_bars(bars, "participants" if cases else "codings", legend)
        total = sum(sum(r.codings) for r in self.found.rows)
        note = f" {self.summary_table.notes[0]}" if self.summary_table.notes else ""
        stacked = "" if legend or not bars else " The chart shows totals: too many columns to stack."
        self.summary.setText(f"{total} codings on {len(self.found.rows)} codes.{note}{stacked}")
        self.export_button.setEnabled(bool(self.found.rows))

    def _chart_toggled(self, on: bool) -> None:
        self.chart_area.setVisible(on)

    def export_name(self) -> str:
        by = str(self.by.currentData()).replace(" ", "-")
        return f"code-frequencies-by-{by}.xlsx"
