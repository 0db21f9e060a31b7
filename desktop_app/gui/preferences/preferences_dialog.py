"""Preferences: default model and language, whether voices known from other recordings are named at once,
rewind and skip seconds, transcript font size, coder name, how often the open study is backed up and how
many backups are kept; the Models tab manages models."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.preferences.compute_page import ComputePage
from desktop_app.gui.preferences.models_page import ModelsPage
from desktop_app.gui.shell.settings import MAX_BACKUP_INTERVAL_MINUTES, MAX_BACKUPS_KEPT, AppSettings
from desktop_app.gui.transcript.transcription_panel import LANGUAGES
from desktop_app.services.transcription import model_service

DEFAULTS = {
    "default_model": "base",
    "default_language": "auto",
    "rewind_seconds": 2.0,
    "skip_seconds": 5.0,
    "font_size": 11,
    "follow_idle_seconds": 4.0,
    "name_known_voices": False,  # off: voices known from other recordings are proposed, never named unasked
    "known_voice_confidence": 0.8,
}


def known_voice_threshold(settings: AppSettings) -> float | None:
    """The confidence at or above which a voice known from another recording is named at once; None: propose only."""
    if not preference(settings, "name_known_voices"):
        return None
    return float(preference(settings, "known_voice_confidence"))  # type: ignore[arg-type]


def preference(settings: AppSettings, key: str) -> object:
    return settings.value(f"preferences/{key}", DEFAULTS[key])


class PreferencesDialog(QDialog):
    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Preferences")
        self.setMinimumWidth(460)  # room for the coder name's hint
        self.model = QComboBox()
        self._fill_models(str(preference(settings, "default_model")))
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(preference(settings, "default_language"))))
        self.rewind = self._seconds(float(preference(settings, "rewind_seconds")), 0.0, 5.0)  # type: ignore[arg-type]
        self.skip = self._seconds(float(preference(settings, "skip_seconds")), 1.0, 30.0)  # type: ignore[arg-type]
        self.follow_idle = self._seconds(float(preference(settings, "follow_idle_seconds")), 0.0, 30.0)  # type: ignore[arg-type]
        self.follow_idle.setToolTip(
            "While you type or move the cursor, the transcript does not scroll with the playback; "
            "it follows again once the cursor has rested this long (0: always follow)."
        )
        self.font_size = QSpinBox()
        self.font_size.setRange(8, 28)
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(int(preference(settings, "font_size")))  # type: ignore[call-overload]
        self._make_known_voice_fields(settings)
        self.coder = QLineEdit(settings.coder_name())
        self.coder.setPlaceholderText("Your name or initials, recorded with each coding")
        self._make_backup_fields(settings)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        general = self._general_page()
        self.models_page = ModelsPage()
        self.tabs = QTabWidget()
        self.compute_page = ComputePage(settings)
        self.tabs.addTab(general, "General")
        self.tabs.addTab(self.compute_page, "Transcription")
        self.tabs.addTab(self.models_page, "Models")
        self.tabs.currentChanged.connect(self._tab_shown)
        self.resize(980, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def _make_known_voice_fields(self, settings: AppSettings) -> None:
        """After the speaker step: name at once the voices known from other recordings, above a confidence."""
        self.name_known_voices = QCheckBox("Name known voices automatically at confidence ≥")
        self.name_known_voices.setChecked(bool(preference(settings, "name_known_voices")))
        self.known_voice_confidence = QDoubleSpinBox()
        self.known_voice_confidence.setRange(0.5, 1.0)
        self.known_voice_confidence.setSingleStep(0.05)
        self.known_voice_confidence.setDecimals(2)
        self.known_voice_confidence.setValue(float(preference(settings, "known_voice_confidence")))  # type: ignore[arg-type]
        self.known_voice_confidence.setEnabled(self.name_known_voices.isChecked())
        self.name_known_voices.toggled.connect(self.known_voice_confidence.setEnabled)
        tip = (
            "After a transcription with speakers, each unnamed voice is compared with the people named in the "
            "study's other recordings. Off: the names are only proposed (Speakers tab). On: a proposal at or above "
            "this confidence is accepted at once (Edit ▸ Undo takes it back), the rest proposed. "
            "Same person, clear recordings: about 0.6–0.85; far-field meeting audio is less certain."
        )
        self.name_known_voices.setToolTip(tip)
        self.known_voice_confidence.setToolTip(tip)

    def _make_backup_fields(self, settings: AppSettings) -> None:
        """How often the open study is copied, and how many copies are kept."""
        self.backup_interval = self._count(settings.backup_interval_minutes(), MAX_BACKUP_INTERVAL_MINUTES, " min")
        self.backup_interval.setToolTip(
            "The open study is copied when it opens, then this often while it changes "
            "(into the “.verbatim-backups” folder beside it)."
        )
        self.backups_kept = self._count(settings.backups_kept(), MAX_BACKUPS_KEPT, " backups")
        self.backups_kept.setToolTip("The oldest backups beyond this many are deleted. File ▸ Restore from backup…")

    def _general_page(self) -> QWidget:
        """The General tab: defaults for transcribing, the player, the transcript, coding and backups."""
        general = QWidget()
        form = QFormLayout(general)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)  # the dialog is wide for Models
        self.coder.setMinimumWidth(320)
        form.addRow("Default model", self.model)
        form.addRow("Default language", self.language)
        known = QHBoxLayout()
        known.addWidget(self.name_known_voices)
        known.addWidget(self.known_voice_confidence)
        form.addRow("Known voices", known)
        form.addRow("Rewind on resume", self.rewind)
        form.addRow("Skip back / forward", self.skip)
        form.addRow("Follow playback after the cursor rests", self.follow_idle)
        form.addRow("Transcript font size", self.font_size)
        form.addRow("Coder name", self.coder)
        form.addRow("Back up every", self.backup_interval)
        form.addRow("Keep the last", self.backups_kept)
        return general

    def _fill_models(self, current: str) -> None:
        """The installed Whisper models (the Models tab may have added or removed one)."""
        self.model.clear()
        for entry in model_service.list_models():
            if entry.kind == "whisper":
                self.model.addItem(entry.name, entry.name)
        self.model.setCurrentIndex(max(0, self.model.findData(current)))

    def _tab_shown(self, index: int) -> None:
        if self.tabs.widget(index) is self.models_page:
            self.models_page.refresh()
        else:
            self._fill_models(str(self.model.currentData()))

    def show_models(self) -> None:
        self.tabs.setCurrentWidget(self.models_page)

    def done(self, result: int) -> None:
        self.models_page.shutdown()  # a running download stops; it resumes next time
        super().done(result)

    @staticmethod
    def _seconds(value: float, low: float, high: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(low, high)
        box.setSingleStep(0.5)
        box.setSuffix(" s")
        box.setValue(value)
        return box

    @staticmethod
    def _count(value: int, high: int, suffix: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(1, high)
        box.setSuffix(suffix)
        box.setValue(value)
        return box

    def save(self) -> None:
        if not self.compute_page.save():  # an address that would send recordings in the clear: say why, stay open
            self.tabs.setCurrentWidget(self.compute_page)
            return
        values = {
            "default_model": self.model.currentData(),
            "default_language": self.language.currentData(),
            "rewind_seconds": self.rewind.value(),
            "skip_seconds": self.skip.value(),
            "font_size": self.font_size.value(),
            "follow_idle_seconds": self.follow_idle.value(),
            "name_known_voices": self.name_known_voices.isChecked(),
            "known_voice_confidence": self.known_voice_confidence.value(),
        }
        for key, value in values.items():
            self.settings.set_value(f"preferences/{key}", value)
        if self.coder.text().strip() or self.settings.has_coder_name():  # left empty: the first coding still asks
            self.settings.set_coder_name(self.coder.text().strip())
        self.settings.set_backup_interval_minutes(self.backup_interval.value())
        self.settings.set_backups_kept(self.backups_kept.value())
        self.accept()
