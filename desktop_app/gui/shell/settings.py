"""One typed wrapper over QSettings. Study data never lives here; it belongs in the project file."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

from desktop_app.services.study.backup_service import DEFAULT_INTERVAL_MINUTES, DEFAULT_KEEP

MAX_RECENT = 10
BACKUP_INTERVAL_KEY = "backups/interval_minutes"
BACKUP_KEEP_KEY = "backups/keep"
MAX_BACKUP_INTERVAL_MINUTES = 24 * 60
MAX_BACKUPS_KEPT = 999


class AppSettings:
    def __init__(self) -> None:
        folder = os.environ.get("VERBATIM_CONFIG_DIR")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            self._qs = QSettings(str(Path(folder) / "verbatim.ini"), QSettings.Format.IniFormat)
        else:
            self._qs = QSettings("Verbatim", "Verbatim")

    def recent_projects(self) -> list[Path]:
        value = self._qs.value("recent_projects", [])
        items = [value] if isinstance(value, str) else list(value) if isinstance(value, list | tuple) else []
        return [Path(p) for p in items if p]

    def add_recent_project(self, path: Path) -> None:
        resolved = str(Path(path).resolve())
        items = [str(p) for p in self.recent_projects() if str(p) != resolved]
        self._qs.setValue("recent_projects", [resolved, *items][:MAX_RECENT])
        self._qs.sync()

    def last_folder(self) -> str:
        return str(self._qs.value("last_folder", str(Path.home())))

    def set_last_folder(self, folder: Path) -> None:
        self._qs.setValue("last_folder", str(folder))

    def coder_name(self) -> str:
        """The name stored with each coding ("" when the user chose none)."""
        return str(self._qs.value("coder_name", ""))

    def has_coder_name(self) -> bool:
        """Whether the user was asked (and answered, even with nothing): the first coding asks otherwise."""
        return bool(self._qs.contains("coder_name"))

    def set_coder_name(self, name: str) -> None:
        self._qs.setValue("coder_name", name)
        self._qs.sync()

    def forget_coder_name(self) -> None:
        self._qs.remove("coder_name")
        self._qs.sync()

    def backup_interval_minutes(self) -> int:
        """How often the open study is backed up while it changes (1 minute to a day)."""
        return _clamp(self.value(BACKUP_INTERVAL_KEY, DEFAULT_INTERVAL_MINUTES), 1, MAX_BACKUP_INTERVAL_MINUTES)

    def set_backup_interval_minutes(self, minutes: int) -> None:
        self._qs.setValue(BACKUP_INTERVAL_KEY, _clamp(minutes, 1, MAX_BACKUP_INTERVAL_MINUTES))

    def backups_kept(self) -> int:
        """How many backups of a study are kept (the oldest beyond this are deleted)."""
        return _clamp(self.value(BACKUP_KEEP_KEY, DEFAULT_KEEP), 1, MAX_BACKUPS_KEPT)

    def set_backups_kept(self, count: int) -> None:
        self._qs.setValue(BACKUP_KEEP_KEY, _clamp(count, 1, MAX_BACKUPS_KEPT))

    def value(self, key: str, default: object) -> object:
        raw = self._qs.value(key, default)
        if isinstance(default, bool):
            return raw in (True, "true", "1", 1)
        if isinstance(default, int):
            return int(raw)  # type: ignore[call-overload]  # QSettings gives text or a number
        if isinstance(default, float):
            return float(raw)  # type: ignore[arg-type]
        return raw

    def set_value(self, key: str, value: object) -> None:
        self._qs.setValue(key, value)


def _clamp(value: object, low: int, high: int) -> int:
    """An int within [low, high]; a value edited by hand into something else falls back to ``low``."""
    try:
        number: int = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return low
    return max(low, min(high, number))
