"""Below the speakers: voices of this recording that sound like people named in the study's other recordings.

Each proposal reads "S2 sounds like Moderator (P01) — confidence 0.78 — heard in “FG 1”", with
Listen (a sample of S2), Accept and Reject; Accept all takes every proposal left. Non-modal: the
researcher goes on working, and the proposals stay with their document until answered.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from desktop_app.gui.common.note_style import NOTE_STYLE
from desktop_app.services.speakers.known_voices import KnownVoices
from desktop_app.services.speakers.voice_identification import VoiceMatch

MAX_LIST_HEIGHT = 260  # pixels of proposals before they scroll
LOW_CONFIDENCE = 0.6  # below this a proposal is shown as a guess (measured: wrong people 0.25-0.58)


class ProposalRow(QWidget):
    """One proposal: what it says, and its buttons."""

    def __init__(self, text: str, match: VoiceMatch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.match = match
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        if match.confidence < LOW_CONFIDENCE:
            self.text.setStyleSheet(NOTE_STYLE)
            self.text.setToolTip("A low confidence: listen before accepting; it may be someone else")
        self.listen = QPushButton("Listen")
        self.listen.setToolTip(f"Play a few seconds of {match.label}")
        self.accept = QPushButton("Accept")
        who = f"{match.name} and link to {match.participant}" if match.participant else match.name
        self.accept.setToolTip(f"Name {match.label} {who} (Edit ▸ Undo takes it back)")
        self.reject = QPushButton("Reject")
        self.reject.setToolTip("Not this person: the proposal goes, the speaker stays as it is")
        buttons = QHBoxLayout()  # under the text: the panel is narrow
        buttons.addStretch(1)
        for button in (self.listen, self.accept, self.reject):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 6)
        layout.setSpacing(2)
        layout.addWidget(self.text)
        layout.addLayout(buttons)


class KnownVoicesBox(QFrame):
    """The proposals of one document (or why there are none, or that the voices are being compared)."""

    accept_requested = Signal(list)  # [VoiceMatch]: name these speakers as proposed
    listen_requested = Signal(str)  # speaker label
    rejected = Signal(str)  # speaker label: not this person

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.found: KnownVoices | None = None
        self.rows: list[ProposalRow] = []
        self.title = QLabel("<b>Voices known from other recordings</b>")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.accept_all = QPushButton("Accept all")
        self.accept_all.setToolTip("Name every speaker proposed here as proposed (one step for Undo)")
        self.accept_all.clicked.connect(lambda: self.accept_requested.emit([row.match for row in self.rows]))
        self.close_button = QPushButton("Close")
        self.close_button.setToolTip("Hide this box; the proposals are offered again by Find known voices…")
        self.close_button.clicked.connect(self.clear)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.accept_all)
        buttons.addWidget(self.close_button)
        rows = QWidget()
        self.list = QVBoxLayout(rows)
        self.list.setContentsMargins(0, 0, 0, 0)
        self.list.addStretch(1)
        self.proposal_area = QScrollArea()  # a focus group's eight proposals scroll; the speakers above stay in view
        self.proposal_area.setWidget(rows)
        self.proposal_area.setWidgetResizable(True)
        self.proposal_area.setFrameShape(QFrame.Shape.NoFrame)
        self.proposal_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.proposal_area.setMaximumHeight(MAX_LIST_HEIGHT)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.proposal_area)
        layout.addLayout(buttons)
        self.hide()

    def show_busy(self) -> None:
        self._clear_rows()
        self.found = None
        self.message.setText("Comparing the voices with those named in the study's other recordings…")
        self.message.show()
        self.proposal_area.hide()
        self.accept_all.hide()
        self.close_button.hide()
        self.show()

    def show_found(self, found: KnownVoices, note: str = "") -> None:
        """The proposals (``note``: what was named at once, above the user's threshold)."""
        self._clear_rows()
        self.found = found
        for match in found.matches:
            if not match.applied:
                self._add_row(found.describe(match), match)
        self._update_message(note or found.why)
        self.close_button.show()
        self.show()

    def drop(self, labels: set[str]) -> None:
        """Proposals for speakers named or linked meanwhile are answered: they go."""
        for row in [r for r in self.rows if r.match.label in labels]:
            self._remove(row)

    def clear(self) -> None:
        self._clear_rows()
        self.found = None
        self.hide()

    def _add_row(self, text: str, match: VoiceMatch) -> None:
        row = ProposalRow(text, match)
        row.accept.clicked.connect(lambda: self.accept_requested.emit([row.match]))
        row.reject.clicked.connect(lambda: self._reject(row))
        row.listen.clicked.connect(lambda: self.listen_requested.emit(row.match.label))
        self.list.insertWidget(len(self.rows), row)  # above the stretch
        self.rows.append(row)
        self.proposal_area.setVisible(True)

    def _reject(self, row: ProposalRow) -> None:
        self._remove(row)
        self.rejected.emit(row.match.label)

    def _remove(self, row: ProposalRow) -> None:
        self.rows.remove(row)
        self.list.removeWidget(row)
        row.deleteLater()
        self._update_message("")

    def _clear_rows(self) -> None:
        for row in list(self.rows):
            self.list.removeWidget(row)
            row.deleteLater()
        self.rows = []

    def _update_message(self, text: str) -> None:
        if not self.rows and not text:
            text = "All proposals answered."
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.proposal_area.setVisible(bool(self.rows))
        rows = sum(row.sizeHint().height() for row in self.rows[:1])  # one in view at least (the speakers stay too)
        self.proposal_area.setMinimumHeight(min(rows, MAX_LIST_HEIGHT))
        self.accept_all.setVisible(len(self.rows) > 1)
