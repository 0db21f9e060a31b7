"""The window that holds the open study, as the Security menu and the backup dialog use it.

They are handed the window (a QWidget, so their dialogs have a parent) and need only these members of
it; naming them here, instead of importing the main window, keeps ``gui/security`` below ``gui/shell``'s
window with no import running back up to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from desktop_app.gui.shell.settings import AppSettings
from desktop_app.services.study.project_service import ProjectStore

if TYPE_CHECKING:
    from desktop_app.gui.shell.study_workspace import StudyWorkspace


@runtime_checkable
class StudyHost(Protocol):
    settings: AppSettings
    store: ProjectStore | None
    workspace: StudyWorkspace | None

    def open_study(self, path: Path, passphrase: str | None = None) -> None: ...

    def close_study(self) -> None: ...
