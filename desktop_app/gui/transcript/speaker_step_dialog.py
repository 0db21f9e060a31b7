"""Find speakers again…: the speaker step run once more on a transcribed recording, with another count or engine.

The researcher who sees two speakers where six people talked gives the count, or switches to the
meetings engine, without transcribing again: the words, their corrections, codings and memos stay,
and voices found again keep their names and participant links (``speaker_turns``); the turns are
rebuilt, so splits, merges and speakers changed by hand are redone (the dialog says so). Choosing
four people or more picks the meetings engine, as in the transcription bar.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from desktop_app.gui.common.note_style import NOTE_STYLE
from desktop_app.gui.transcript.transcription_panel import ENGINE_TIP, ENGINES, SPEAKER_CHOICES
from desktop_app.services.speakers import diarization_service

EXPLAINED = (
    "The speaker step runs again on this recording and rebuilds its turns from the voices: turns you split, "
    "merged or gave another speaker by hand are redone. The words, your text corrections, codings and memos "
    "stay; voices found again keep their names and participant links. Edit › Undo takes it back."
)


class SpeakerStepDialog(QDialog):
    def __init__(
        self, parent: QWidget, title: str, speakers: str, meeting: bool, note: str | None = None, transcribed: int = 1
    ) -> None:
        """``speakers``: the count offered first (a ``--speakers`` value); ``note``: what the last step said;
        ``transcribed``: how many of the study's transcripts are not marked as checked (more than one: all may
        be chosen)."""
        super().__init__(parent)
        self.setWindowTitle("Find speakers again")
        self.speakers = QComboBox()
        for text, spec in SPEAKER_CHOICES:
            self.speakers.addItem(text, spec)
        self.speakers.setCurrentIndex(max(0, self.speakers.findData(speakers or "auto")))
        self.engine = QComboBox()
        for text, value in ENGINES:
            self.engine.addItem(text, value)
        self.engine.setCurrentIndex(self.engine.findData(meeting))
        self.engine.setToolTip(ENGINE_TIP)
        self.speakers.currentIndexChanged.connect(self._many_people)
        explained = QLabel(EXPLAINED)
        explained.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Find speakers")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        name = QLabel(title)
        name.setTextFormat(Qt.TextFormat.PlainText)  # a title is the researcher's text, not markup
        bold = name.font()
        bold.setBold(True)
        name.setFont(bold)
        form.addRow(name)
        form.addRow(explained)
        if note:
            said = QLabel(f"Last time: {note}.")
            said.setTextFormat(Qt.TextFormat.PlainText)
            said.setWordWrap(True)
            said.setStyleSheet(NOTE_STYLE)
            form.addRow(said)
        form.addRow("Speakers", self.speakers)
        form.addRow("Engine", self.engine)
        self.every = QCheckBox(f"Every transcribed recording not marked as checked ({transcribed}), one undo step each")
        self.every.setToolTip("The same count and engine for all: a study of focus groups transcribed as interviews")
        if transcribed > 1:
            form.addRow(self.every)
        form.addRow(buttons)
        self.setMinimumWidth(460)
        self.adjustSize()  # as tall as the wrapped text needs

    def _many_people(self) -> None:
        if diarization_service.suits_meeting_engine(self.speakers_spec()):
            self.engine.setCurrentIndex(self.engine.findData(True))

    def everything(self) -> bool:
        """Whether every transcribed recording is asked for, not only this one."""
        return self.every.isChecked()

    def speakers_spec(self) -> str:
        return str(self.speakers.currentData())

    def meeting(self) -> bool:
        return bool(self.engine.currentData())

    def options(self) -> diarization_service.DiarizationOptions:
        return diarization_service.DiarizationOptions.from_speakers(self.speakers_spec(), meeting=self.meeting())
