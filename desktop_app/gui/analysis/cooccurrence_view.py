"""The co-occurrence page: the heat map of codes × codes and, under it, the extracts of the chosen cell
(codings of either code that overlap the other), which open in the transcript on double-click."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.coding import Code
from desktop_app.gui.analysis.cooccurrence_heatmap import CooccurrenceHeatmap, HeatLegend
from desktop_app.gui.coding.extracts_panel import EXTRACT_ROLE, ExtractTableModel, extracts_table
from desktop_app.gui.common.study_reader import StudyReader, report_failure
from desktop_app.services.analysis import analysis_service
from desktop_app.services.analysis.analysis_service import AnalysisExtract, CodeQuery, CooccurrenceMatrix, ExtractFilter
from desktop_app.services.coding import coding_service
from desktop_app.services.coding.codebook_service import code_path
from desktop_app.services.coding.coding_service import Extract
from desktop_app.services.study.project_service import ProjectStore

STUDY, DOCUMENT = "study", "document"


def matrix_with_paths(store: ProjectStore, filters: ExtractFilter | None) -> tuple[CooccurrenceMatrix, dict[int, str]]:
    """The matrix of every used code and each code's "Theme > Sub-theme > Code" path for tooltips."""
    matrix = analysis_service.cooccurrence(store, None, filters)
    by_id = {c.id: c for c in coding_service.codes(store)}
    return matrix, {c.id: " > ".join(p.name for p in code_path(by_id, c.id)) for c in matrix.codes}


def cell_extracts(store: ProjectStore, first: int, second: int, filters: ExtractFilter | None) -> list[Extract]:
    """A cell's extracts as the extracts table shows them: the diagonal is a code's own codings."""
    if first == second:
        found = analysis_service.retrieve(store, CodeQuery(any_of=[first], include_subcodes=False), filters)
    else:
        found = analysis_service.cooccurring_extracts(store, first, second, filters)
    return [_as_extract(e) for e in found]


def _as_extract(item: AnalysisExtract) -> Extract:
    return Extract(item.coding, item.code, item.document_title, item.text, item.participant or item.speaker)


class CooccurrenceView(QWidget):
    jump_requested = Signal(int, int, float)  # document id, segment id, seconds (-1 when unknown)

    def __init__(self, store: ProjectStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.document_id: int | None = None
        self.chosen: tuple[Code, Code] | None = None
        self.reader = StudyReader(self, store)
        self.extract_reader = StudyReader(self, store)
        self.scope = QComboBox()
        self.scope.addItem("Whole study", STUDY)
        self.scope.addItem("Selected document", DOCUMENT)
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.summary = QLabel()
        self.heatmap = CooccurrenceHeatmap()
        self.heatmap.selectionModel().currentChanged.connect(self._cell_changed)
        self.legend = HeatLegend()
        self.extracts = ExtractTableModel()
        self.extracts_title = QLabel()
        self.extracts_table = self._extracts_table()
        self._build_layout()
        self._show_pair_title(0)

    def _build_layout(self) -> None:
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Codings in"))
        controls.addWidget(self.scope)
        controls.addWidget(self.summary, 1)
        top = QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(controls)
        column.addWidget(self.heatmap, 1)
        column.addWidget(self.legend)
        bottom = QWidget()
        lower = QVBoxLayout(bottom)
        lower.setContentsMargins(0, 4, 0, 0)
        lower.addWidget(self.extracts_title)
        lower.addWidget(self.extracts_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 2)  # the matrix first; the extracts get what is left
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _extracts_table(self) -> QTableView:
        table = extracts_table(self.extracts, code_width=150, source_width=270)
        table.doubleClicked.connect(self._jump)
        table.activated.connect(self._jump)
        return table

    def _filters(self) -> ExtractFilter | None:
        if self.scope.currentData() == DOCUMENT:
            return ExtractFilter(document_ids=[self.document_id] if self.document_id is not None else [])
        return None

    def set_document(self, document_id: int | None) -> None:
        self.document_id = document_id
        if self.scope.currentData() == DOCUMENT and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        filters = self._filters()
        self.summary.setText("Counting overlaps…")
        self.reader.request(lambda s: matrix_with_paths(s, filters), self._show_matrix, self._failed)

    def _show_matrix(self, found: tuple[CooccurrenceMatrix, dict[int, str]]) -> None:
        matrix, paths = found
        chosen = self.chosen
        self.heatmap.heat.set_matrix(matrix, paths)
        self.legend.set_largest(self.heatmap.heat.largest)
        pairs = sum(matrix.counts[i][j] for i in range(len(matrix.codes)) for j in range(i + 1, len(matrix.codes)))
        where = "the selected document" if self.scope.currentData() == DOCUMENT else "the study"
        self.summary.setText(
            f"{len(matrix.codes)} codes used in {where} · {pairs} overlapping pairs of codings. "
            "Click a cell to read its extracts."
            if matrix.codes
            else f"No codings in {where} yet."
        )
        ids = [c.id for c in matrix.codes]
        if chosen and chosen[0].id in ids and chosen[1].id in ids:
            self.heatmap.setCurrentIndex(self.heatmap.heat.index(ids.index(chosen[0].id), ids.index(chosen[1].id)))
        else:
            self.chosen = None
            self.extracts.set_extracts([])
            self._show_pair_title(0)

    def choose(self, first: int, second: int) -> None:
        """Select the cell of two code ids, as a click does."""
        ids = [c.id for c in self.heatmap.heat.codes]
        self.heatmap.setCurrentIndex(self.heatmap.heat.index(ids.index(first), ids.index(second)))

    def _cell_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        pair = self.heatmap.heat.pair(current)
        if pair is None:
            return
        self.chosen = pair
        first, second, filters = pair[0].id, pair[1].id, self._filters()
        self.extracts_title.setText(f"{self._pair_text()} · reading…")
        self.extract_reader.request(
            lambda s: cell_extracts(s, first, second, filters), self._show_extracts, self._failed
        )

    def _show_extracts(self, found: list[Extract]) -> None:
        self.extracts.set_extracts(found)
        self._show_pair_title(len(found))

    def _pair_text(self) -> str:
        if self.chosen is None:
            return "<b>Extracts</b> <span style='color:#777'>· click a cell of the matrix</span>"
        first, second = self.chosen
        if first.id == second.id:
            return f"<b>Extracts of {first.name}</b>"
        return f"<b>Extracts where {first.name} and {second.name} overlap</b>"

    def _show_pair_title(self, count: int) -> None:
        hint = " <span style='color:#777'>(double-click one to open it in the transcript)</span>" if count else ""
        suffix = f" · {count} extract{'s' if count != 1 else ''}{hint}" if self.chosen else ""
        self.extracts_title.setText(self._pair_text() + suffix)

    def _jump(self, index: QModelIndex) -> None:
        item: Extract | None = index.data(EXTRACT_ROLE)
        if item is not None:
            start = item.coding.start_time if item.coding.start_time is not None else -1.0
            self.jump_requested.emit(item.coding.document_id, item.coding.start.segment_id, start)

    def _failed(self, error: object) -> None:
        report_failure(self, self.summary, error, "count co-occurrence")
