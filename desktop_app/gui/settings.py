"""One typed wrapper over QSettings. Study data never lives here; it belongs in the project file."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

MAX_RECENT = 10


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
        items = [value] if isinstance(value, str) else list(value or [])
        return [Path(p) for p in items if p]

    def add_recent_project(self, path: Path) -> None:
        resolved = str(Path(path).resolve())
        items = [str(p) for p in self.recent_projects() if str(p) != resolved]
        self._qs.setValue("recent_projects", [resolved, *items][:MAX_RECENT])
        self._qs.sync()

    def remove_recent_project(self, path: Path) -> None:
        items = [str(p) for p in self.recent_projects() if p != Path(path)]
        self._qs.setValue("recent_projects", items)
        self._qs.sync()

    def last_folder(self) -> str:
        return str(self._qs.value("last_folder", str(Path.home())))

    def set_last_folder(self, folder: Path) -> None:
        self._qs.setValue("last_folder", str(folder))

    def coder_name(self) -> str:
        return str(self._qs.value("coder_name", os.environ.get("USER", "")))

    def set_coder_name(self, name: str) -> None:
        self._qs.setValue("coder_name", name)

    def value(self, key: str, default: object) -> object:
        raw = self._qs.value(key, default)
        if isinstance(default, bool):
            return raw in (True, "true", "1", 1)
        if isinstance(default, int):
            return int(raw)  # type: ignore[arg-type]
        if isinstance(default, float):
            return float(raw)  # type: ignore[arg-type]
        return raw

    def set_value(self, key: str, value: object) -> None:
        self._qs.setValue(key, value)
