"""Start, watch and cancel transcription: model, language, fillers; progress with speed and ETA."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.timecode import format_hms
from desktop_app.services import model_service
from desktop_app.services.transcription_service import TranscriptionOptions

LANGUAGES = [
    ("auto", "Detect language"),
    ("en", "English"),
    ("sv", "Swedish"),
    ("de", "German"),
    ("sw", "Swahili"),
    ("he", "Hebrew"),
    ("hi", "Hindi"),
    ("mr", "Marathi"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("ar", "Arabic"),
    ("nl", "Dutch"),
    ("no", "Norwegian"),
    ("da", "Danish"),
    ("fi", "Finnish"),
    ("pt", "Portuguese"),
]


class TranscriptionPanel(QWidget):
    start_requested = Signal(object, bool)  # TranscriptionOptions, all pending documents?
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QComboBox()
        for entry in model_service.list_models():
            if entry.kind == "whisper":
                self.model.addItem(entry.name, entry.name)
        self.model.setCurrentIndex(max(0, self.model.findData("base")))
        self.model.setToolTip("base: multilingual (default) · tiny.en: English only, fastest")
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.speakers = QComboBox()
        for text, spec in (
            ("One voice", ""),
            ("Speakers: auto", "auto"),
            ("2 speakers", "2"),
            ("3 speakers", "3"),
            ("4 speakers", "4"),
            ("5 speakers", "5"),
            ("6 speakers", "6"),
            ("2–4 speakers", "2-4"),
            ("4–8 speakers", "4-8"),
        ):
            self.speakers.addItem(text, spec)
        self.speakers.setCurrentIndex(1)
        self.speakers.setToolTip("Split the talk into speaker turns (give the count when you know it)")
        self.fillers = QCheckBox("Keep um/uh")
        self.fillers.setToolTip("Verbatim style: keep fillers and false starts")
        self.start_button = QPushButton("Transcribe")
        self.start_button.setToolTip("Transcribe the selected document (resumes where it stopped)")
        self.start_all_button = QPushButton("Transcribe all")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.progress.setFormat("")
        self.status = QLabel("")
        self.start_button.clicked.connect(lambda: self.start_requested.emit(self.options(), False))
        self.start_all_button.clicked.connect(lambda: self.start_requested.emit(self.options(), True))
        self.cancel_button.clicked.connect(self.cancel_requested.emit)
        options_row = QHBoxLayout()
        for widget in (
            QLabel("Model"),
            self.model,
            QLabel("Language"),
            self.language,
            self.speakers,
            self.fillers,
        ):
            options_row.addWidget(widget)
        options_row.addStretch()
        for widget in (self.start_button, self.start_all_button, self.cancel_button):
            options_row.addWidget(widget)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addLayout(options_row)
        layout.addLayout(progress_row)
        self.set_running(False)

    def options(self) -> TranscriptionOptions:
        return TranscriptionOptions(
            model=str(self.model.currentData()),
            language=str(self.language.currentData()),
            keep_fillers=self.fillers.isChecked(),
        )

    def speakers_spec(self) -> str:
        return str(self.speakers.currentData() or "")

    def set_running(self, running: bool) -> None:
        for widget in (
            self.start_button,
            self.start_all_button,
            self.model,
            self.language,
            self.speakers,
            self.fillers,
        ):
            widget.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)  # the progress row shows only while a queue runs
        self.status.setVisible(running)
        if not running:
            self.progress.setValue(0)
            self.progress.setFormat("")

    def show_progress(self, title: str, done: float, total: float, speed: float) -> None:
        self.progress.setVisible(True)
        self.status.setVisible(True)
        fraction = done / total if total > 0 else 0.0
        self.progress.setValue(int(fraction * 1000))
        eta = (total - done) / speed if speed > 0 else 0.0
        self.progress.setFormat(f"{title}: {fraction:.0%}")
        self.status.setText(f"{speed:.1f}× real time · ETA {format_hms(eta)}")
