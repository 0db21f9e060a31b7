"""The workspace's Analysis page: speaking time, code co-occurrence, code frequencies, intercoder
agreement and the C–M–O table, each a tab that counts in the background; a Reports button writes
the quote list per theme and the member-checking report.

Pages count only when seen: showing the Analysis page (or one of its tabs) recounts what the user
may have changed meanwhile (codings, participants, links), and Refresh does it on demand.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from desktop_app.gui.analysis.cmo_table_view import CmoTableView
from desktop_app.gui.analysis.code_frequency_view import CodeFrequencyView
from desktop_app.gui.analysis.cooccurrence_view import CooccurrenceView
from desktop_app.gui.analysis.intercoder_view import IntercoderView
from desktop_app.gui.analysis.report_button import ReportButton
from desktop_app.gui.analysis.speaking_time_view import SpeakingTimeView
from desktop_app.services.study.project_service import ProjectStore


class AnalysisPanel(QWidget):
    jump_requested = Signal(int, int, float)  # an extract to open: document id, segment id, seconds (-1 unknown)
    message = Signal(str)  # a one-line report for the status bar (a report written)

    def __init__(self, store: ProjectStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.speaking = SpeakingTimeView(store)
        self.cooccurrence = CooccurrenceView(store)
        self.cooccurrence.jump_requested.connect(self.jump_requested)
        self.frequencies = CodeFrequencyView(store)
        self.agreement = IntercoderView(store)
        self.cmo = CmoTableView(store)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.speaking, "Speaking time")
        self.tabs.addTab(self.cooccurrence, "Co-occurrence")
        self.tabs.addTab(self.frequencies, "Frequencies")
        self.tabs.addTab(self.agreement, "Intercoder agreement")
        self.tabs.addTab(self.cmo, "C–M–O table")
        refresh = QPushButton("Refresh")
        refresh.setToolTip("Count again (after coding, linking speakers or editing participants)")
        refresh.clicked.connect(self.refresh_current)
        self.reports = ReportButton(store)
        self.reports.message.connect(self.message)
        corner = QWidget()
        buttons = QHBoxLayout(corner)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.reports)
        buttons.addWidget(refresh)
        self.tabs.setCornerWidget(corner)
        self._stale: set[QWidget] = set()
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.tabs)

    def pages(self) -> list[QWidget]:
        return [page for i in range(self.tabs.count()) if (page := self.tabs.widget(i)) is not None]

    def show_document(self, document_id: int) -> None:
        """The explorer's selection, for the pages that can show one document."""
        current = document_id if document_id >= 0 else None
        for page in (self.speaking, self.cooccurrence, self.cmo):
            page.set_document(current)

    def refresh_current(self) -> None:
        page = self.tabs.currentWidget()
        self._stale.discard(page)
        page.refresh()  # type: ignore[attr-defined]

    def study_changed(self) -> None:
        """Something was coded, linked or edited: every page counts again when next seen, the shown one now."""
        self._stale = set(self.pages())
        if self.isVisible():
            self.refresh_current()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if event.spontaneous():  # the window came back from being minimised: nothing changed
            return
        self._stale = set(self.pages())
        self.refresh_current()

    def _tab_changed(self, _index: int) -> None:
        if self.isVisible() and self.tabs.currentWidget() in self._stale:
            self.refresh_current()
