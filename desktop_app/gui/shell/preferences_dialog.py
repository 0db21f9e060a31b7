"""Preferences: default model and language, rewind and skip seconds, transcript font size, coder name,
how often the open study is backed up and how many backups are kept."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from desktop_app.gui.shell.settings import MAX_BACKUP_INTERVAL_MINUTES, MAX_BACKUPS_KEPT, AppSettings
from desktop_app.gui.transcript.transcription_panel import LANGUAGES
from desktop_app.services import model_service

DEFAULTS = {
    "default_model": "base",
    "default_language": "auto",
    "rewind_seconds": 2.0,
    "skip_seconds": 5.0,
    "font_size": 11,
}


def preference(settings: AppSettings, key: str) -> object:
    return settings.value(f"preferences/{key}", DEFAULTS[key])


class PreferencesDialog(QDialog):
    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Preferences")
        self.setMinimumWidth(460)  # room for the coder name's hint
        self.model = QComboBox()
        for entry in model_service.list_models():
            if entry.kind == "whisper":
                self.model.addItem(entry.name, entry.name)
        self.model.setCurrentIndex(max(0, self.model.findData(preference(settings, "default_model"))))
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(preference(settings, "default_language"))))
        self.rewind = self._seconds(float(preference(settings, "rewind_seconds")), 0.0, 5.0)  # type: ignore[arg-type]
        self.skip = self._seconds(float(preference(settings, "skip_seconds")), 1.0, 30.0)  # type: ignore[arg-type]
        self.font_size = QSpinBox()
        self.font_size.setRange(8, 28)
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(int(preference(settings, "font_size")))  # type: ignore[call-overload]
        self.coder = QLineEdit(settings.coder_name())
        self.coder.setPlaceholderText("Your name or initials, recorded with each coding")
        self.backup_interval = self._count(settings.backup_interval_minutes(), MAX_BACKUP_INTERVAL_MINUTES, " min")
        self.backup_interval.setToolTip(
            "The open study is copied when it opens, then this often while it changes "
            "(into the “.verbatim-backups” folder beside it)."
        )
        self.backups_kept = self._count(settings.backups_kept(), MAX_BACKUPS_KEPT, " backups")
        self.backups_kept.setToolTip("The oldest backups beyond this many are deleted. File ▸ Restore from backup…")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Default model", self.model)
        form.addRow("Default language", self.language)
        form.addRow("Rewind on resume", self.rewind)
        form.addRow("Skip back / forward", self.skip)
        form.addRow("Transcript font size", self.font_size)
        form.addRow("Coder name", self.coder)
        form.addRow("Back up every", self.backup_interval)
        form.addRow("Keep the last", self.backups_kept)
        form.addRow(buttons)

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
        values = {
            "default_model": self.model.currentData(),
            "default_language": self.language.currentData(),
            "rewind_seconds": self.rewind.value(),
            "skip_seconds": self.skip.value(),
            "font_size": self.font_size.value(),
        }
        for key, value in values.items():
            self.settings.set_value(f"preferences/{key}", value)
        self.settings.set_coder_name(self.coder.text().strip())
        self.settings.set_backup_interval_minutes(self.backup_interval.value())
        self.settings.set_backups_kept(self.backups_kept.value())
        self.accept()
