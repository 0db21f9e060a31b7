"""The study workspace, as the coding workbench uses it: the study, who codes, the transcript editor and its
model, the document list, the player and the status bar.

The workbench is handed the workspace (a QWidget, the parent of its actions and dialogs) and reaches it
only through these members, named here instead of importing the workspace, which builds the workbench.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtWidgets import QStatusBar

from desktop_app.gui.shell.settings import AppSettings
from desktop_app.services.study.project_service import ProjectStore

if TYPE_CHECKING:
    from desktop_app.gui.documents.document_explorer import DocumentExplorer
    from desktop_app.gui.media.media_player import MediaPlayer
    from desktop_app.gui.transcript.transcript_editor import TranscriptEditor
    from desktop_app.gui.transcript.transcript_table_model import TranscriptTableModel


@runtime_checkable
class CodingHost(Protocol):
    store: ProjectStore
    settings: AppSettings
    view: TranscriptEditor
    transcript: TranscriptTableModel
    explorer: DocumentExplorer
    player: MediaPlayer
    status: QStatusBar

    @property
    def current_id(self) -> int | None: ...
