"""The main window: the start screen until a study is open, then the study workspace."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMainWindow, QStackedWidget

from desktop_app.core.errors import VerbatimError
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.security import passphrase_dialog
from desktop_app.gui.security.security_menu import SecurityMenu
from desktop_app.gui.shell.help_menu import HelpMenu
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.gui.shell.shortcuts import bind
from desktop_app.gui.shell.start_screen import StartScreen
from desktop_app.gui.shell.study_workspace import StudyWorkspace
from desktop_app.services.study import document_service, import_service, project_service
from desktop_app.services.study.project_service import ProjectStore

MEDIA_FILTER = "Recordings and REFI-QDA projects ({} *.qdpx *.qdc);;All files (*)".format(
    " ".join(f"*{s}" for s in sorted(import_service.MEDIA_SUFFIXES))
)


class MainWindow(QMainWindow):
    def __init__(self, settings: AppSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or AppSettings()
        self.store: ProjectStore | None = None
        self.setWindowTitle("Verbatim")
        self.resize(1200, 780)
        self.start_screen = StartScreen(self.settings)
        self.start_screen.create_requested.connect(self.ask_create_study)
        self.start_screen.open_requested.connect(self.open_study)
        self.workspace: StudyWorkspace | None = None
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start_screen)
        self.setCentralWidget(self.stack)
        self._build_menus()
        self.setAcceptDrops(True)
        geometry = self.settings.value("window/geometry", None)
        if geometry is not None:
            self.restoreGeometry(geometry)  # type: ignore[arg-type]

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_action = self._action("&New study…", "new_study", self.start_screen._ask_new)
        self.open_action = self._action("&Open study…", "open_study", self.start_screen._ask_open)
        self.import_action = self._action("&Import recordings…", "import", self.ask_import)
        self.export_action = self._action("&Export…", "export", self.show_export)
        self.merge_action = self._action("&Merge study…", "", self.show_merge)
        self.close_action = self._action("&Close study", "close_study", self.close_study)
        self.backup_action = self._action("Restore from &backup…", "", self.show_backups)
        self.quit_action = self._action("&Quit", "quit", self.close)
        for action in (self.new_action, self.open_action, self.import_action, self.export_action, self.close_action):
            file_menu.addAction(action)
        file_menu.insertAction(self.close_action, self.merge_action)
        file_menu.insertAction(self.close_action, self.backup_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = self._action("&Undo", "undo", lambda: self._workspace_undo(False))
        self.redo_action = self._action("&Redo", "redo", lambda: self._workspace_undo(True))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.find_action = self._action("&Find and replace…", "find_replace", self.show_find_replace)
        edit_menu.addAction(self.find_action)
        self.preferences_action = self._action("&Preferences…", "preferences", self.show_preferences)
        edit_menu.addAction(self.preferences_action)
        self.turn_menu = self.menuBar().addMenu("&Turn")
        self.security_menu = SecurityMenu(self)
        self.menuBar().addMenu(self.security_menu)
        self.help_menu = HelpMenu(self, self.settings)  # keyboard shortcuts, the transcript's marks, realist tagging
        self.shortcuts_action = self.help_menu.shortcuts_action
        self.menuBar().addMenu(self.help_menu)
        self._update_actions()

    def _action(self, text: str, shortcut: str, slot: object) -> QAction:
        """A menu action; ``shortcut`` names its keys in the one shortcuts table (gui/shell/shortcuts), "" none."""
        action = QAction(text, self)
        if shortcut:
            bind(action, shortcut, self.settings)
        action.triggered.connect(slot)
        return action

    def _update_actions(self) -> None:
        if hasattr(self, "security_menu"):
            self.security_menu.update_actions()
        self.turn_menu.setEnabled(self.store is not None)
        if self.store is None:
            self.turn_menu.clear()
        for action in (
            self.import_action,
            self.export_action,
            self.close_action,
            self.undo_action,
            self.redo_action,
            self.find_action,
            self.backup_action,
        ):
            action.setEnabled(self.store is not None)
        self._name_undo_actions()

    def _workspace_undo(self, redo: bool) -> None:
        if self.workspace is not None:
            self.workspace.undo(redo)

    def _name_undo_actions(self) -> None:
        """ "Undo rename code Night shifts": the menu says what Ctrl+Z will take back."""
        for action, redo, verb in ((self.undo_action, False, "Undo"), (self.redo_action, True, "Redo")):
            label = document_service.next_undo_label(self.store, redo=redo) if self.store is not None else None
            action.setText(f"&{verb} {label.replace('&', '&&')}" if label else f"&{verb}")
            action.setEnabled(label is not None)

    def show_export(self) -> None:
        if self.workspace is not None and self.store is not None:
            from desktop_app.gui.shell.export_dialog import ExportDialog

            ExportDialog(self.store, self.workspace.current_id, self, self.settings).exec()

    def show_merge(self) -> None:
        """File › Merge study…: a second coder's copy into this study (one undo step, backup first)."""
        if self.workspace is not None and self.store is not None:
            from desktop_app.gui.interchange.merge_dialog import ask_merge

            if ask_merge(self, self.store) is not None:
                self.workspace.refresh()
                self._name_undo_actions()

    def show_backups(self) -> None:
        from desktop_app.gui.security.backup_dialog import show_backup_dialog

        show_backup_dialog(self)

    def show_find_replace(self) -> None:
        if self.workspace is not None:
            from desktop_app.gui.transcript.find_replace_dialog import show_find_replace

            show_find_replace(self.workspace)

    def show_preferences(self) -> None:
        from desktop_app.gui.preferences.preferences_dialog import PreferencesDialog
        from desktop_app.gui.security.backup_timer import backup_policy

        if PreferencesDialog(self.settings, self).exec() and self.workspace is not None:
            self.workspace.apply_preferences()
            self.workspace.backups.set_policy(backup_policy(self.settings))

    def show_shortcuts(self) -> None:
        self.help_menu.show_shortcuts()

    def ask_create_study(self, path: Path) -> None:
        """New study from the start screen or File menu: encrypt it or not, then create it."""
        choice = passphrase_dialog.ask_new_study(self, path)
        if choice is not None:
            self.create_study(path, choice.passphrase)

    def create_study(self, path: Path, passphrase: str | None = None) -> None:
        self._switch_to(lambda: project_service.create_project(path, passphrase=passphrase))

    def open_study(self, path: Path, passphrase: str | None = None) -> None:
        """Open a study, asking for its passphrase (again after a wrong one) if it is encrypted."""
        self._switch_to(
            lambda: passphrase_dialog.open_asking_passphrase(
                self, path, lambda given: project_service.open_project(path, passphrase=given), passphrase
            )
        )

    def _switch_to(self, opener: object) -> None:
        try:
            store = opener()  # type: ignore[operator]
        except VerbatimError as exc:
            show_error(self, exc)
            return
        if store is None:  # the user cancelled
            return
        self.close_study()
        self.store = store
        self.settings.add_recent_project(store.path)
        self.settings.set_last_folder(store.path.parent)
        self.workspace = StudyWorkspace(store, self.settings)
        self.stack.addWidget(self.workspace)
        self.stack.setCurrentWidget(self.workspace)
        self.setWindowTitle(f"{store.study()['name']} — Verbatim")
        self.turn_menu.clear()
        for action in self.workspace.turn_actions.all:
            self.turn_menu.addAction(action)
        self.workspace.changes.changed.connect(self._name_undo_actions)
        self._update_actions()

    def close_study(self) -> None:
        if self.workspace is not None:
            self.workspace.shutdown()
            self.stack.removeWidget(self.workspace)
            self.workspace.deleteLater()
            self.workspace = None
        if self.store is not None:
            self.store.close()
            self.store = None
        self.start_screen.refresh()
        self.stack.setCurrentWidget(self.start_screen)
        self.setWindowTitle("Verbatim")
        self._update_actions()

    def ask_import(self) -> None:
        if self.workspace is None:
            return
        files, _ = QFileDialog.getOpenFileNames(self, "Import recordings", self.settings.last_folder(), MEDIA_FILTER)
        if files:
            self.workspace.import_files([Path(f) for f in files])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.workspace is not None and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.workspace is not None:
            paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
            self.workspace.import_files(import_service.expand_media_paths(paths))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.set_value("window/geometry", self.saveGeometry())
        self.close_study()
        super().closeEvent(event)
