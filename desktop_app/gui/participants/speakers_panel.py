"""The speakers of the open document: speaking-time bars, rename, recolour, merge, link, play a sample;
find the voices named in the study's other recordings (proposals in a box below, answered one by one)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import VerbatimError
from desktop_app.core.timecode import format_hms
from desktop_app.gui.common.background_task import counting_pool, run_in_background
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.common.flow_layout import flow_row
from desktop_app.gui.common.note_style import NOTE_STYLE
from desktop_app.gui.common.speaker_colors import speaker_color
from desktop_app.gui.common.study_reader import read_study
from desktop_app.gui.participants.known_voices_box import KnownVoicesBox
from desktop_app.gui.participants.link_participant_dialog import LinkParticipantDialog
from desktop_app.services.participants import participant_service
from desktop_app.services.speakers import known_voices, speaker_service
from desktop_app.services.speakers.known_voices import KnownVoices
from desktop_app.services.speakers.speaker_service import SpeakerStats
from desktop_app.services.speakers.voice_identification import VoiceMatch
from desktop_app.services.study.project_service import ProjectStore

Index = QModelIndex | QPersistentModelIndex
NAME, TIME, SHARE, PARTICIPANT = 0, 1, 2, 3
STATS_ROLE = Qt.ItemDataRole.UserRole + 1


class SpeakerTableModel(QAbstractTableModel):
    rename_requested = Signal(str, str)  # label, new name

    def __init__(self) -> None:
        super().__init__()
        self.stats: list[SpeakerStats] = []

    def set_stats(self, stats: list[SpeakerStats]) -> None:
        self.beginResetModel()
        self.stats = stats
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.stats)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Speaker", "Time", "Words", "Participant")[section]  # short: the panel is narrow
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return ("Speaker (double-click to rename)", "Speaking time", "Share of all words", "Linked participant")[
                section
            ]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() == NAME else flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        s = self.stats[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            share = "no words" if s.heard_without_words else f"{s.word_share:.0%}"
            return (s.name, format_hms(s.speaking_seconds), share, s.participant or "")[index.column()]
        if role == Qt.ItemDataRole.EditRole and index.column() == NAME:
            return s.name
        if role == Qt.ItemDataRole.DecorationRole and index.column() == NAME:
            return QColor(self.color(index.row()))
        if role == Qt.ItemDataRole.ToolTipRole and s.heard_without_words:
            return (
                f"{s.label}: heard only without words (talking over someone, or talk nothing was transcribed for)."
                " Listen to it, then name it, merge it into the person it is, or type what it said"
                " (Turn › Insert turn…)."
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{s.label}: {s.turns} turns, {s.words} words"
        if role == STATS_ROLE:
            return s
        return None

    def color(self, row: int) -> str:
        s = self.stats[row]
        return speaker_color(s.label, s.color, sorted(x.label for x in self.stats))

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if index.column() == NAME and role == Qt.ItemDataRole.EditRole and str(value).strip():
            self.rename_requested.emit(self.stats[index.row()].label, str(value).strip())
            return True
        return False


class TimeBarDelegate(QStyledItemDelegate):
    """Speaking time as a bar in the speaker's colour, scaled to the longest speaker."""

    def __init__(self, model: SpeakerTableModel, parent: QWidget) -> None:
        super().__init__(parent)
        self.model = model

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        longest = max((s.speaking_seconds for s in self.model.stats), default=0.0) or 1.0
        s = self.model.stats[index.row()]
        rect: QRect = option.rect.adjusted(4, 6, -4, -6)
        width = int(rect.width() * s.speaking_seconds / longest)
        painter.save()
        painter.fillRect(QRect(rect.left(), rect.top(), width, rect.height()), QColor(self.model.color(index.row())))
        painter.setPen(option.palette.text().color())
        painter.drawText(
            option.rect.adjusted(6, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter, format_hms(s.speaking_seconds)
        )
        painter.restore()


class SpeakersPanel(QWidget):
    changed = Signal()  # speakers were renamed/merged/recoloured: the transcript should reload
    play_requested = Signal(float, float)  # a sample of the voice: start, end
    voices_reported = Signal(str)  # what finding known voices after a transcription did, for the status bar
    find_again_requested = Signal()  # Find speakers again…: the speaker step once more, another count or engine

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: ProjectStore | None = None
        # the study the proposals belong to; stays while no document is selected (``store`` is None then)
        self._study: ProjectStore | None = None
        self.document_id: int | None = None
        self.model = SpeakerTableModel()
        self.model.rename_requested.connect(lambda label, name: self._run(speaker_service.rename_speaker, label, name))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(TIME, TimeBarDelegate(self.model, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()  # every column in view in the narrow left panel
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TIME, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(TIME, 84)  # the bar and "00:12:05"
        header.setSectionResizeMode(PARTICIPANT, QHeaderView.ResizeMode.Stretch)  # a long label elides
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        buttons = []
        for text, slot, tip in (
            ("Rename", self._rename, "Rename the speaker everywhere (double-click the name works too)"),
            ("Colour…", self._recolor, "Choose the speaker's colour"),
            ("Merge into…", self._merge, "Everything this speaker said becomes another speaker's"),
            ("Participant…", self._link, "Link the speaker to one of the study's participants, or a new one"),
            ("Play sample", self._play, "Play a few seconds of this voice"),
            (
                "Find known voices…",
                self.find_known_voices,
                "Compare this recording's unnamed speakers with the people named in the study's other recordings "
                "(the interviewer, the moderator, a participant interviewed twice) and propose their names",
            ),
            (
                "Find speakers again…",
                self.find_again_requested.emit,
                "Run the speaker step again with another count or engine (four people or more: the meetings "
                "engine); the words, text corrections, codings and names stay, the turns are rebuilt",
            ),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            buttons.append(button)
        self.find_button, self.again_button = buttons[-2], buttons[-1]
        self.count_notes: dict[int, str] = {}  # per document: what its last speaker step said of the count
        self.count_note = QLabel()  # shown above the table for the document shown
        self.count_note.setWordWrap(True)
        self.count_note.setTextFormat(Qt.TextFormat.PlainText)
        self.count_note.setStyleSheet(NOTE_STYLE)
        self.count_note.hide()
        self.known = KnownVoicesBox()
        self.known.accept_requested.connect(self._accept_voices)
        self.known.listen_requested.connect(self._play_label)
        self.known.rejected.connect(lambda label: self._answered({label}))
        self.known.close_button.clicked.connect(lambda: self.proposals.pop(self.document_id or -1, None))
        self.proposals: dict[int, KnownVoices] = {}  # unanswered, per document (a queue may finish several)
        self._finding: set[int] = set()  # documents whose voices are being compared
        self._notes: dict[int, str] = {}  # what was named at once, per document
        self.link_dialog: LinkParticipantDialog | None = None
        self.stale = False  # the counts wait for the tab to be shown
        self._requests = 0  # each count is numbered; only the latest one's answer is shown
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.count_note)
        layout.addWidget(self.table)
        layout.addWidget(flow_row(*buttons))  # wraps in a narrow panel instead of widening the window
        layout.addWidget(self.known)

    def show_document(self, store: ProjectStore | None, document_id: int | None) -> None:
        if store is not None and store is not self._study:  # another study: its own proposals
            self.proposals.clear()
            self._finding.clear()
            self.count_notes.clear()
            self._study = store
        if (store, document_id) != (self.store, self.document_id):
            self.model.set_stats([])  # not the last document's speakers while this one's are counted
        self.store, self.document_id = store, document_id
        self._show_proposals()
        self._show_count_note()
        self.refresh()

    def note_count(self, document_id: int, hint: str) -> None:
        """What a speaker step said of the document's count ("": nothing, which clears an older note)."""
        if hint:
            self.count_notes[document_id] = hint
        else:
            self.count_notes.pop(document_id, None)
        self._show_count_note()

    def _show_count_note(self) -> None:
        hint = self.count_notes.get(self.document_id) if self.document_id is not None else None
        self.count_note.setText(f"{hint[0].upper()}{hint[1:]} (Find speakers again… below)." if hint else "")
        self.count_note.setVisible(bool(hint))

    def refresh(self) -> None:
        """Count again on the thread pool (a connection of its own) if the tab can be seen, else when it is
        next shown: behind another tab it would count for nobody on every document opened and every typing
        pause stored; in view, the window goes on answering keys while it counts."""
        if self._hidden():
            self.stale = True
            return
        self.stale = False
        if self.store is None or self.document_id is None:
            self.model.set_stats([])
            return
        store, document_id = self.store, self.document_id
        self._requests += 1
        number = self._requests
        run_in_background(
            self,
            lambda: read_study(store, lambda reader: speaker_service.speaker_stats(reader, document_id)),
            lambda stats: self._show_stats(number, stats),
            lambda error: self._count_failed(number, error),
            pool=counting_pool(),
        )

    def _show_stats(self, number: int, stats: list[SpeakerStats]) -> None:
        if number != self._requests:  # overtaken: a newer count (another document, a later edit) is coming
            return
        chosen = self.selected()
        self.table.setToolTip("")
        self.model.set_stats(stats)
        self._answered({s.label for s in stats if s.participant or s.name != s.label})
        row = next((r for r, s in enumerate(self.model.stats) if chosen and s.label == chosen.label), -1)
        if row >= 0:  # still the speaker the user was working on
            self.table.selectRow(row)

    def _count_failed(self, number: int, error: object) -> None:
        """A known problem (the study locked by a backup) waits for the next count; anything else is a bug."""
        if number != self._requests:
            return
        if isinstance(error, VerbatimError):
            self.table.setToolTip(f"Not counted again: {error.problem}")
        elif isinstance(error, BaseException):
            show_error(self, error)

    def _hidden(self) -> bool:
        """Behind another tab (or hidden on purpose); a window not yet shown still counts for its visible tab."""
        window = self.window()
        return window is not self and not self.isVisibleTo(window)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.refresh()

    def selected(self) -> SpeakerStats | None:
        index = self.table.currentIndex()
        return self.model.stats[index.row()] if index.isValid() else None

    def _run(self, action: Any, *args: Any) -> None:
        if self.store is None or self.document_id is None:
            return
        try:
            action(self.store, self.document_id, *args)
        except VerbatimError as exc:
            show_error(self, exc)
            return
        self.refresh()
        self.changed.emit()

    def _rename(self) -> None:
        if (s := self.selected()) is not None:
            name, ok = QInputDialog.getText(self, "Rename speaker", f"New name for {s.label}:", text=s.name)
            if ok and name.strip():
                self._run(speaker_service.rename_speaker, s.label, name.strip())

    def _recolor(self) -> None:
        if (s := self.selected()) is not None:
            color = QColorDialog.getColor(QColor(self.model.color(self.table.currentIndex().row())), self)
            if color.isValid():
                self._run(speaker_service.recolor_speaker, s.label, color.name())

    def _merge(self) -> None:
        s = self.selected()
        others = [x for x in self.model.stats if s is not None and x.label != s.label]
        if s is None or not others:
            return
        names = [f"{x.name} ({x.label})" for x in others]
        choice, ok = QInputDialog.getItem(self, "Merge speaker", f"Merge {s.name} into:", names, 0, False)
        if ok:
            self._run(speaker_service.merge_speakers, s.label, others[names.index(choice)].label)

    def _link(self) -> None:
        """Choose the participant from the study's list (or "New participant…"), in a window-modal dialog."""
        if (s := self.selected()) is None or self.store is None:
            return
        labels = [p.label for p in participant_service.participants(self.store)]
        self.link_dialog = LinkParticipantDialog(s.name, labels, s.participant, self)
        self.link_dialog.accepted.connect(lambda: self._linked(s.label))
        self.link_dialog.open()

    def _linked(self, speaker: str) -> None:
        if self.link_dialog is not None:
            self._run(speaker_service.link_participant, speaker, self.link_dialog.label)
            self.link_dialog = None

    def _play(self) -> None:
        if (s := self.selected()) is not None:
            self._play_label(s.label)

    def _play_label(self, label: str) -> None:
        if self.store is not None and self.document_id is not None:
            span = speaker_service.voice_sample(self.store, self.document_id, label)
            if span is not None:
                self.play_requested.emit(*span)

    # Voices known across interviews

    def find_known_voices(self) -> None:
        """Find known voices…: compare in the background (audio is decoded: seconds), then propose."""
        if self.store is not None and self.document_id is not None:
            self._find(self.document_id, None)

    def identify_after_transcription(self, document_id: int, apply_above: float | None) -> None:
        """After the speaker step: propose names for the document's voices, naming at once those at or above
        ``apply_above`` (None: propose only). Silent when nobody is named in the other recordings."""
        self._find(document_id, apply_above, after_transcription=True)

    def _find(self, document_id: int, apply_above: float | None, after_transcription: bool = False) -> None:
        store = self._study  # not ``store``: a transcription may end while no document is selected
        if store is None or document_id in self._finding:
            return
        self._finding.add(document_id)
        self.proposals.pop(document_id, None)
        self._show_proposals()
        path, passphrase, readonly = store.path, store.passphrase, store.readonly
        run_in_background(
            self,
            lambda: known_voices.find_in_study(path, passphrase, readonly, document_id),
            lambda found: self._found(store, found, apply_above, after_transcription),
            lambda error: self._find_failed(store, document_id, error, after_transcription),
        )

    def _found(
        self, store: ProjectStore, found: KnownVoices, apply_above: float | None, after_transcription: bool
    ) -> None:
        if store is not self._study:  # another study was opened meanwhile
            return
        self._finding.discard(found.document_id)
        if after_transcription and not found.matches:
            self._show_proposals()
            return  # nothing to compare (or all named): nothing to say after every transcription
        sure = [m for m in found.matches if apply_above is not None and m.confidence >= apply_above]
        note = ""
        if sure and not store.readonly and self._name(found.document_id, sure):
            found = replace(found, matches=[replace(m, applied=m in sure) for m in found.matches])
            named = ", ".join(f"{m.label} {m.name}" for m in sure)
            note = f"Named at once (confidence ≥ {apply_above:.2f}): {named}. Edit ▸ Undo takes it back."
            self.refresh()
            self.changed.emit()  # the transcript shows the names
        left = [m for m in found.matches if not m.applied]
        self.proposals[found.document_id] = found
        self._notes[found.document_id] = note
        self._show_proposals()
        if after_transcription:
            title = found.titles.get(found.document_id, "")
            self.voices_reported.emit(_report(title, len(sure) if note else 0, len(left)))

    def _find_failed(self, store: ProjectStore, document_id: int, error: object, after_transcription: bool) -> None:
        if store is not self._study:
            return
        self._finding.discard(document_id)
        self._show_proposals()
        if isinstance(error, VerbatimError):
            if after_transcription:
                self.voices_reported.emit(f"Known voices not compared: {error.problem}")
            elif document_id == self.document_id:
                self.known.show_found(KnownVoices(document_id, why=f"Could not compare the voices: {error.problem}"))
        elif isinstance(error, BaseException):
            show_error(self, error)

    def _show_proposals(self) -> None:
        """The box shows the current document's proposals, or that its voices are being compared, or nothing."""
        document_id = self.document_id
        self.find_button.setEnabled(document_id is not None and document_id not in self._finding)
        if document_id in self._finding:
            self.known.show_busy()
        elif document_id is not None and document_id in self.proposals:
            self.known.show_found(self.proposals[document_id], self._notes.get(document_id, ""))
        else:
            self.known.clear()

    def _accept_voices(self, matches: list[VoiceMatch]) -> None:
        found = self.known.found
        if found is not None and matches and self._name(found.document_id, matches):
            self._answered({m.label for m in matches})
            self.refresh()
            self.changed.emit()

    def _name(self, document_id: int, matches: list[VoiceMatch]) -> bool:
        """Name (and link) as proposed, one journal action; False (and the problem shown) if refused."""
        if self._study is None:
            return False
        try:
            known_voices.accept(self._study, document_id, matches)
        except VerbatimError as exc:
            show_error(self, exc)
            return False
        return True

    def _answered(self, labels: set[str]) -> None:
        """Proposals for speakers of the current document named or linked meanwhile are answered."""
        found = self.proposals.get(self.document_id or -1)
        if found is None or not labels & {m.label for m in found.matches}:
            return
        self.proposals[found.document_id] = replace(found, matches=[m for m in found.matches if m.label not in labels])
        self.known.drop(labels)


def _report(title: str, named: int, proposed: int) -> str:
    """The status bar's line after a transcription: what was named at once, what waits in the Speakers tab."""
    parts = []
    if named:
        parts.append(f"{named} speaker{'s' if named != 1 else ''} named from voices known in other recordings")
    if proposed:
        parts.append(f"{proposed} name{'s' if proposed != 1 else ''} proposed in the Speakers tab")
    return f"{title}: {'; '.join(parts) or 'no known voice'}"
