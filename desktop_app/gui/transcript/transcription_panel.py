"""Start, watch and cancel transcription: model, language, fillers; progress with speed and ETA.

The engine reports progress only when a batch of audio is done (a recording shorter than a batch
reports once, at its end), so the time left is estimated by an :class:`EtaClock` that counts down
between reports, from the speed measured so far or, before the first report, from the speed of
this model's earlier runs in the study. While the model loads, the line says so.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QTimer, Signal
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
from desktop_app.gui.common.flow_layout import flow_row
from desktop_app.gui.common.note_style import NOTE_STYLE
from desktop_app.gui.transcript.model_combo import ModelCombo
from desktop_app.services.speakers import diarization_service
from desktop_app.services.transcription import model_service
from desktop_app.services.transcription.transcription_service import TranscriptionOptions

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


# how many people talk: the choices of the transcription bar (after "One voice") and of Find speakers again
SPEAKER_CHOICES = (
    ("Speakers: auto", "auto"),
    ("2 speakers", "2"),
    ("3 speakers", "3"),
    ("4 speakers", "4"),
    ("5 speakers", "5"),
    ("6 speakers", "6"),
    ("2–4 speakers", "2-4"),
    ("4–8 speakers", "4-8"),
)
ENGINES = (("Interviews", False), ("Meetings and focus groups", True))

ENGINE_TIP = (
    "How the speaker step tells voices apart.\n"
    "Interviews: the most exact turns when two or three people talk in turn (one-to-one interviews, calls).\n"
    "Meetings and focus groups: a speaker-segmentation model and stronger voice prints (CAM++) count and tell "
    "apart more voices, 4 to 8 around a table; it takes a little longer, and on a two-person interview "
    "the Interviews engine does better. Choosing four speakers or more picks it for you."
)


class EtaClock:
    """Seconds left in a run: counted down between the engine's reports, from the best speed known."""

    def __init__(self) -> None:
        self.start(0.0, None)

    def start(self, total: float, prior_speed: float | None, now: float | None = None) -> None:
        self.total, self.prior = total, prior_speed
        self.began = time.monotonic() if now is None else now
        self.done: float | None = None
        self.speed: float | None = None
        self.at = self.began

    def report(self, done: float, total: float, speed: float, now: float | None = None) -> None:
        self.done, self.total, self.at = done, total or self.total, time.monotonic() if now is None else now
        self.speed = speed if speed > 0 else self.speed

    def remaining(self, now: float | None = None) -> float | None:
        """None while nothing is known to estimate from (no report yet, no earlier run)."""
        now = time.monotonic() if now is None else now
        if self.done is not None and self.speed:
            return max(0.0, (self.total - self.done) / self.speed - (now - self.at))
        if self.prior and self.total > 0:
            return max(0.0, self.total / self.prior - (now - self.began))
        return None


class TranscriptionPanel(QWidget):
    start_requested = Signal(object, bool)  # TranscriptionOptions, all pending documents?
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._make_choices()
        self._make_run_controls()
        self.eta = EtaClock()
        self.prior_speed: float | None = None  # this model's speed in earlier runs of the study
        self._title = ""
        self._titles: dict[int, str] = {}
        self._ticker = QTimer(self, interval=1000)
        self._ticker.timeout.connect(self._tick)
        self._build_layout()
        self.set_running(False)
        self._advise()

    def _make_choices(self) -> None:
        """What the researcher chooses before a run: model, language, device, speakers, fillers."""
        self.model = ModelCombo()
        self.model.setToolTip("base: multilingual (default) · tiny.en: English only, fastest")
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.device = QComboBox()
        for text, value in (("Auto", "auto"), ("CPU", "cpu"), ("GPU", "cuda")):
            self.device.addItem(text, value)
        gpus = model_service.gpu_count()
        self.device.setToolTip(
            f"Where Whisper runs. Auto uses the GPU when there is one ({gpus} CUDA device{'' if gpus == 1 else 's'} "
            "found here); GPU falls back to the CPU, and says so, when none can be used"
        )
        self._device_label = ""  # what the running queue uses, shown in the progress line
        self.model_hint = QLabel("")  # which model for which language ("Swedish: base is weak; …")
        self.model_hint.setStyleSheet(NOTE_STYLE)
        self.model.currentIndexChanged.connect(self._advise)
        self.language.currentIndexChanged.connect(self._advise)
        self.speakers = QComboBox()
        for text, spec in (("One voice", ""), *SPEAKER_CHOICES):
            self.speakers.addItem(text, spec)
        self.speakers.setCurrentIndex(1)
        self.speakers.setToolTip("Split the talk into speaker turns (give the count when you know it)")
        self.engine = QComboBox()
        for text, meeting in ENGINES:
            self.engine.addItem(text, meeting)
        self.engine.setToolTip(ENGINE_TIP)
        self.engine_label = QLabel("Speaker engine")
        self.engine_label.setToolTip(ENGINE_TIP)
        self.speakers.currentIndexChanged.connect(self._engine_applies)
        self.fillers = QCheckBox("Keep um/uh")
        self.fillers.setToolTip("Verbatim style: keep fillers and false starts")

    def _make_run_controls(self) -> None:
        """Start, start all, cancel, and the progress a run reports."""
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

    def _build_layout(self) -> None:
        # Wraps onto a second line in a narrow window (a 1024-pixel screen) instead of widening it.
        options_row = flow_row(
            QLabel("Model"),
            self.model,
            QLabel("Language"),
            self.language,
            self.device,
            self.speakers,
            self.engine_label,
            self.engine,
            self.fillers,
            self.start_button,
            self.start_all_button,
            self.cancel_button,
        )
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(options_row)
        layout.addWidget(self.model_hint)
        layout.addLayout(progress_row)

    def _advise(self) -> None:
        text = model_service.model_advice(
            str(self.language.currentData()),
            str(self.model.currentData()),
            self.language.currentText(),
            self.model.installed(),
        )
        self.model_hint.setText(text)
        self.model_hint.setVisible(bool(text))

    def options(self) -> TranscriptionOptions:
        return TranscriptionOptions(
            model=str(self.model.currentData()),
            language=str(self.language.currentData()),
            keep_fillers=self.fillers.isChecked(),
            device=str(self.device.currentData()),
        )

    def speakers_spec(self) -> str:
        return str(self.speakers.currentData() or "")

    def meeting_engine(self) -> bool:
        """Whether the speaker step uses the meetings engine (``DiarizationOptions.meeting``)."""
        return bool(self.engine.currentData()) and bool(self.speakers_spec())

    def choose_engine(self, meeting: bool) -> None:
        self.engine.setCurrentIndex(self.engine.findData(meeting))

    def _engine_applies(self) -> None:
        """One voice: there is no speaker step, so no engine to choose. Four people or more: the meetings
        engine is chosen for the researcher (who may choose Interviews again), as it tells them apart better."""
        on = bool(self.speakers_spec()) and self.speakers.isEnabled()
        self.engine.setEnabled(on)
        self.engine_label.setEnabled(on)
        if on and diarization_service.suits_meeting_engine(self.speakers_spec()):
            self.choose_engine(True)

    def set_running(self, running: bool) -> None:
        for widget in (
            self.start_button,
            self.start_all_button,
            self.model,
            self.language,
            self.device,
            self.speakers,
            self.fillers,
        ):
            widget.setEnabled(not running)
        self._engine_applies()
        self._device_label = model_service.device_label(str(self.device.currentData())) if running else ""
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)  # the progress row shows only while a queue runs
        self.status.setVisible(running)
        if not running:
            self._ticker.stop()
            self.progress.setRange(0, 1000)
            self.progress.setValue(0)
            self.progress.setFormat("")

    def watch(self, worker: Any, titles: dict[int, str]) -> None:
        """Follow a TranscriptionWorker's stages: loading the model, started, transcribed again."""
        self._titles = titles
        worker.loading.connect(self.show_loading)
        worker.engine_started.connect(self.show_started)

    def show_loading(self, document_id: int) -> None:
        self._title = self._titles.get(document_id, "")
        self.progress.setRange(0, 0)  # busy: nothing to measure until the engine runs
        self.progress.setFormat("Loading model…")
        self.status.setText(f"{self._title}: loading model…" if self._title else "Loading model…")
        self._ticker.stop()

    def show_started(self, document_id: int, total: float) -> None:
        self._title = self._titles.get(document_id, "")
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setFormat(f"{self._title}: 0%")
        self.eta.start(total, self.prior_speed)
        self._ticker.start()
        self._tick()

    def show_progress(self, title: str, done: float, total: float, speed: float) -> None:
        self.progress.setVisible(True)
        self.status.setVisible(True)
        self.progress.setRange(0, 1000)
        fraction = done / total if total > 0 else 0.0
        self.progress.setValue(int(fraction * 1000))
        self.progress.setFormat(f"{title}: {fraction:.0%}")
        self.eta.report(done, total, speed)
        if not self._ticker.isActive():
            self._ticker.start()
        self._tick()

    def _tick(self) -> None:
        left = self.eta.remaining()
        speed = self.eta.speed or self.prior_speed
        pace = (f"{self._device_label} · " if self._device_label else "") + (
            f"{speed:.1f}× real time · " if speed else ""
        )
        if left is None:
            self.status.setText(f"{pace or 'Transcribing · '}estimating time left…")
        elif left < 1:
            self.status.setText(f"{pace}finishing…")
        else:
            self.status.setText(f"{pace}about {format_hms(left)} left")
