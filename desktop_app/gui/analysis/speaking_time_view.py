"""Speaking time as horizontal bars: per speaker of the selected document, or per participant across
the study (optionally grouped by a participant attribute), in minutes and share of all talk."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop_app.gui.analysis.bar_chart import CATEGORY_COLORS, Bar, BarChart
from desktop_app.gui.common.speaker_colors import speaker_color
from desktop_app.gui.common.study_reader import StudyReader, report_failure
from desktop_app.services.analysis.analysis_tables import SpeakingTime
from desktop_app.services.participants import participant_service
from desktop_app.services.speakers.speaker_service import SpeakerStats, speaker_stats
from desktop_app.services.speakers.speaking_time_service import SpeakingGroup, grouped_speaking_time
from desktop_app.services.study.project_service import ProjectStore

UNLINKED_COLOR = "#a5a5a5"
MAX_UNLINKED_ROWS = 8  # more speakers linked to nobody show as one bar
DOCUMENT, STUDY = "document", "study"


def minutes_text(seconds: float) -> str:
    """Short: "95 s" under two minutes (as the axis), else minutes with one decimal ("12.3 min")."""
    return f"{seconds:.0f} s" if seconds < 119.5 else f"{seconds / 60:.1f} min"


def duration_text(seconds: float) -> str:
    """Long, for tooltips: "12 min 20 s"."""
    whole = int(round(seconds))
    return f"{whole // 60} min {whole % 60} s" if whole >= 60 else f"{whole} s"


def share_text(part: float, whole: float) -> str:
    return f"{part / whole:.0%}" if whole > 0 else "–"


def in_minutes_or_seconds(bars: list[Bar]) -> tuple[list[Bar], str]:
    """Bars measured in seconds, rescaled to minutes unless the longest is under two minutes."""
    if max((b.total for b in bars), default=0.0) < 120:
        return bars, "seconds"
    return [replace(b, parts=[(v / 60, c) for v, c in b.parts]) for b in bars], "minutes"


def document_bars(speakers: list[SpeakerStats]) -> list[Bar]:
    """Speakers who spoke, most talk first, in their transcript colours."""
    total = sum(s.speaking_seconds for s in speakers)
    bars = []
    for s in sorted((s for s in speakers if s.speaking_seconds > 0), key=lambda s: -s.speaking_seconds):
        label = (
            s.name if s.participant is None else s.participant if s.name == s.label else f"{s.name} · {s.participant}"
        )
        tip = (
            f"{label}\n{duration_text(s.speaking_seconds)} · {share_text(s.speaking_seconds, total)} of the talk "
            "in this document\n"
            f"{s.turns} turns · {s.words:,} words"
        )
        color = speaker_color(s.label or None, s.color)
        text = f"{minutes_text(s.speaking_seconds)} · {share_text(s.speaking_seconds, total)}"
        bars.append(Bar(label, [(s.speaking_seconds, color)], text, tip))
    return bars


def study_bars(groups: list[SpeakingGroup], grouped: bool) -> list[Bar]:
    total = sum(g.seconds for g in groups)
    bars: list[Bar] = []
    for index, group in enumerate(groups):
        color = CATEGORY_COLORS[index % len(CATEGORY_COLORS)] if group.linked and grouped else UNLINKED_COLOR
        if group.linked and not grouped:
            color = CATEGORY_COLORS[0]
        people = (
            f"{len(group.rows)} {'participant' if group.linked else 'speaker'}{'s' if len(group.rows) != 1 else ''}"
        )
        summary = f"{people} · {minutes_text(group.seconds)} · {share_text(group.seconds, total)}"
        bars.append(Bar(group.name, text=summary, heading=True))
        if not group.linked and len(group.rows) > MAX_UNLINKED_ROWS:
            bars.append(_unlinked_bar(group, total))
            continue
        bars.extend(_participant_bar(row, color, total) for row in group.rows)
    return bars


def _participant_bar(row: SpeakingTime, color: str, total: float) -> Bar:
    where = f"in {row.documents} document{'s' if row.documents != 1 else ''}"
    tip = (
        f"{row.name}\n{duration_text(row.seconds)} · {share_text(row.seconds, total)} of all talk in the study\n"
        f"{row.turns} turns · {row.words:,} words · {where}"
    )
    return Bar(row.name, [(row.seconds, color)], f"{minutes_text(row.seconds)} · {share_text(row.seconds, total)}", tip)


def _unlinked_bar(group: SpeakingGroup, total: float) -> Bar:
    seconds = group.seconds
    tip = (
        f"{len(group.rows)} speakers linked to no participant (often the interviewer)\n"
        f"{duration_text(seconds)} · {share_text(seconds, total)} of all talk. Link them in the Speakers tab."
    )
    text = f"{minutes_text(seconds)} · {share_text(seconds, total)}"
    return Bar(f"{len(group.rows)} speakers", [(seconds, UNLINKED_COLOR)], text, tip)


class SpeakingTimeView(QWidget):
    def __init__(self, store: ProjectStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.document_id: int | None = None
        self.reader = StudyReader(self, store)
        self.scope = QComboBox()
        self.scope.addItem("Selected document", DOCUMENT)
        self.scope.addItem("Whole study", STUDY)
        self.scope.currentIndexChanged.connect(self._scope_changed)
        self.group_by = QComboBox()
        self.group_by.setMinimumContentsLength(14)
        self.group_by.currentIndexChanged.connect(lambda _i: self.refresh())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.chart = BarChart()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Show"))
        controls.addWidget(self.scope)
        self.group_label = QLabel("Group participants by")
        controls.addWidget(self.group_label)
        controls.addWidget(self.group_by)
        controls.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        self._fill_attributes()
        self._scope_changed()

    def _fill_attributes(self) -> None:
        chosen = self.group_by.currentData()
        self.group_by.blockSignals(True)
        self.group_by.clear()
        self.group_by.addItem("(no grouping)", None)
        for attribute in participant_service.attributes(self.store):
            self.group_by.addItem(attribute.name, attribute.name)
        self.group_by.setCurrentIndex(max(0, self.group_by.findData(chosen)))
        self.group_by.blockSignals(False)

    def _scope_changed(self, _index: int = 0) -> None:
        study = self.scope.currentData() == STUDY
        self.group_by.setVisible(study)
        self.group_label.setVisible(study)
        self.refresh()

    def set_document(self, document_id: int | None) -> None:
        self.document_id = document_id
        if self.scope.currentData() == DOCUMENT and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if self.scope.currentData() == STUDY:
            self._fill_attributes()
            attribute = self.group_by.currentData()
            self.summary.setText("Counting…")
            self.reader.request(lambda s: grouped_speaking_time(s, attribute), self._show_study, self._failed)
        elif self.document_id is None:
            self.chart.empty_text = "Select a document to see who spoke how long."
            self.chart.set_bars([])
            self.summary.setText("")
        else:
            document_id = self.document_id
            self.summary.setText("Counting…")
            self.reader.request(lambda s: speaker_stats(s, document_id), self._show_document, self._failed)

    def _show_document(self, found: list[SpeakerStats]) -> None:
        speakers = [s for s in found if s.speaking_seconds > 0]
        total = sum(s.speaking_seconds for s in speakers)
        self.chart.empty_text = "No transcribed speech in this document yet."
        self.chart.set_bars(*in_minutes_or_seconds(document_bars(speakers)))
        wordless = [s.name for s in speakers if s.heard_without_words]
        heard = f"; {', '.join(wordless)}: heard without words, the speaker step's time" if wordless else ""
        self.summary.setText(
            f"{minutes_text(total)} of talk by {len(speakers)} speaker{'s' if len(speakers) != 1 else ''} "
            f"in the selected document (time from the first to the last word of each turn{heard})."
        )

    def _show_study(self, groups: list[SpeakingGroup]) -> None:
        total = sum(g.seconds for g in groups)
        people = sum(len(g.rows) for g in groups if g.linked)
        others = sum(len(g.rows) for g in groups if not g.linked)
        self.chart.empty_text = "No transcribed speech in this study yet."
        self.chart.set_bars(*in_minutes_or_seconds(study_bars(groups, self.group_by.currentData() is not None)))
        more = f" and {others} speaker{'s' if others != 1 else ''} linked to no participant" if others else ""
        self.summary.setText(f"{minutes_text(total)} of talk across the study by {people} participants{more}.")

    def _failed(self, error: object) -> None:
        report_failure(self, self.summary, error, "count speaking time")
