"""The Security menu: encrypt the study, change its passphrase, a decrypted copy, embed recordings, pseudonyms."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox, QWidget

from desktop_app.core.errors import VerbatimError
from desktop_app.core.text.plural import plural
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.common.export_notice import announce_export
from desktop_app.gui.security import passphrase_dialog
from desktop_app.gui.security.study_host import StudyHost
from desktop_app.services.study import security_service

PROJECT_FILTER = "Verbatim studies (*.verbatim)"


class EmbedBeforeEncrypting(QMessageBox):
    """Encrypting a study encrypts the file; recordings kept beside it stay as readable as before.

    Says so plainly, names them, and offers to copy them into the study first (the default).
    """

    def __init__(self, parent: QWidget | None, separate: list[security_service.SeparateRecording]) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle("Encrypt study")
        megabytes = sum(r.size for r in separate) / 1e6
        self.setText(
            f"{plural(len(separate), 'recording')} of this study {'is a file' if len(separate) == 1 else 'are files'} "
            "outside it. Encrypting the study does not encrypt them: anyone who can open those files can "
            "hear the interviews."
        )
        names = "\n".join(f"• {r.file_name} ({r.title})" for r in separate[:12])
        more = f"\n… and {len(separate) - 12} more" if len(separate) > 12 else ""
        self.setInformativeText(
            f"Embed them in the study first ({megabytes:,.0f} MB), so that they are encrypted with it? "
            "The original files stay where they are: delete them yourself once you have checked the "
            f"encrypted study.\n\n{names}{more}"
        )
        self.embed_button = self.addButton("Embed them, then encrypt", QMessageBox.ButtonRole.AcceptRole)
        self.skip_button = self.addButton("Encrypt without them", QMessageBox.ButtonRole.DestructiveRole)
        self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.embed_button)


def ask_embed_before_encrypting(
    parent: QWidget | None, separate: list[security_service.SeparateRecording]
) -> bool | None:
    """True: embed them first; False: encrypt without them; None: cancel."""
    box = EmbedBeforeEncrypting(parent, separate)
    box.exec()
    clicked = box.clickedButton()
    if clicked is box.embed_button:
        return True
    return False if clicked is box.skip_button else None


class SecurityMenu(QMenu):
    """Acts on the window's open study; ``update_actions()`` after a study opens or closes."""

    def __init__(self, window: QWidget) -> None:
        super().__init__("&Security", window)
        assert isinstance(window, StudyHost), "a window that holds a study"
        self.window_ = window
        self.encrypt_action = self._add("&Encrypt study…", self.encrypt_study)
        self.change_action = self._add("&Change passphrase…", self.change_passphrase)
        self.decrypted_copy_action = self._add("Make a &decrypted copy…", self.decrypted_copy)
        self.addSeparator()
        self.embed_on_import_action = self._add("Embed recordings when &importing", self._embed_on_import)
        self.embed_on_import_action.setCheckable(True)
        self.embed_one_action = self._add("Embed this document's &recording in the study", self.embed_current)
        self.embed_all_action = self._add("Embed &all recordings in the study", self.embed_all)
        self.addSeparator()
        self.pseudonyms_action = self._add("&Pseudonyms…", self.show_pseudonyms)
        self._pseudonyms_dialog: object | None = None
        self.update_actions()

    def _add(self, text: str, slot: object) -> QAction:
        action = self.addAction(text)
        action.triggered.connect(slot)
        return action

    def update_actions(self) -> None:
        store = self.window_.store
        encrypted = store is not None and store.passphrase is not None
        self.encrypt_action.setEnabled(store is not None and not encrypted)
        for action in (self.change_action, self.decrypted_copy_action):
            action.setEnabled(encrypted)
        for action in (self.embed_on_import_action, self.embed_one_action, self.embed_all_action):
            action.setEnabled(store is not None)
        self.pseudonyms_action.setEnabled(store is not None)
        workspace = self.window_.workspace
        self.embed_on_import_action.setChecked(workspace is not None and workspace.embed_on_import)

    # ----- encryption -------------------------------------------------------------------
    def encrypt_study(self) -> None:
        store = self.window_.store
        if store is None:
            return
        separate = security_service.separate_recordings(store)
        embed = ask_embed_before_encrypting(self.window_, separate) if separate else False
        if embed is None:
            return
        passphrase = passphrase_dialog.ask_new_passphrase(
            self.window_, "Encrypt study", f"Encrypt “{store.path.stem}” in place. Choose its passphrase."
        )
        if passphrase is None:
            return
        if embed:
            self.embed([r.document_id for r in separate])
        left_out = security_service.separate_recordings(store)  # declined, or a file that could not be read
        path = store.path
        self.window_.close_study()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            done = security_service.encrypt_study(path, passphrase)
        except VerbatimError as exc:
            QApplication.restoreOverrideCursor()
            show_error(self.window_, exc)
            self.window_.open_study(path, passphrase if security_service.is_encrypted(path) else None)
            return
        QApplication.restoreOverrideCursor()
        self.window_.open_study(path, passphrase)
        message = "Study encrypted" + (f"; {done.backups.summary()}" if done.backups is not None else "")
        if left_out:
            message += f". {plural(len(left_out), 'recording')} stayed outside it, NOT encrypted"
        if done.backups is not None or left_out:
            self._status(message)

    def change_passphrase(self) -> None:
        store = self.window_.store
        if store is None or store.passphrase is None:
            return
        passphrase = passphrase_dialog.ask_new_passphrase(
            self.window_, "Change passphrase", f"Choose a new passphrase for “{store.path.stem}”."
        )
        if passphrase is None:
            return
        workspace = self.window_.workspace
        if workspace is not None:
            workspace.backups.stop()  # a backup written meanwhile would keep the old passphrase
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            done = security_service.change_passphrase(store, passphrase)
        except VerbatimError as exc:
            QApplication.restoreOverrideCursor()
            show_error(self.window_, exc)
            return
        else:
            QApplication.restoreOverrideCursor()
        finally:
            if workspace is not None:
                workspace.backups.resume(store.passphrase)
        self._status(f"Passphrase changed; {done.summary()}")

    def decrypted_copy(self) -> None:
        store = self.window_.store
        if store is None or store.passphrase is None:
            return
        suggested = str(store.path.with_name(f"{store.path.stem} (decrypted).verbatim"))
        answer = QMessageBox.warning(
            self.window_,
            "Make a decrypted copy",
            "The copy will not be encrypted: anyone who can read the file can read the study, "
            "embedded recordings included. Continue?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        target, _ = QFileDialog.getSaveFileName(self.window_, "Decrypted copy", suggested, PROJECT_FILTER)
        if target:
            self.write_decrypted_copy(Path(target))

    def write_decrypted_copy(self, target: Path) -> Path | None:
        store = self.window_.store
        if store is None or store.passphrase is None:
            return None
        try:
            result = security_service.decrypt_study(store.path, store.passphrase, target)
        except VerbatimError as exc:
            show_error(self.window_, exc)
            return None
        announce_export(self.window_, result.path, "decrypted copy: NOT encrypted")
        return result.path

    # ----- embedding --------------------------------------------------------------------
    def _embed_on_import(self, on: bool) -> None:
        if self.window_.workspace is not None:
            self.window_.workspace.embed_on_import = on

    def embed_current(self) -> None:
        workspace = self.window_.workspace
        if workspace is not None and workspace.current_id is not None:
            self.embed([workspace.current_id])

    def embed_all(self) -> None:
        workspace = self.window_.workspace
        if workspace is not None:
            documents = workspace.documents
            self.embed([documents.document(r).id for r in range(documents.rowCount())])

    def embed(self, document_ids: list[int]) -> int:
        """Copy the recordings into the study; return the bytes stored."""
        store = self.window_.store
        if store is None:
            return 0
        stored, errors = 0, []
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            for document_id in document_ids:
                try:
                    stored += security_service.embed_document_media(store, document_id)
                except VerbatimError as exc:
                    errors.append(exc.message)
        finally:
            QApplication.restoreOverrideCursor()
        if errors:
            QMessageBox.warning(self.window_, "Embed recordings", "\n".join(errors))
        self._status(f"Embedded {stored / 1e6:.1f} MB of recordings in the study")
        return stored

    # ----- pseudonyms -------------------------------------------------------------------
    def show_pseudonyms(self) -> None:
        from desktop_app.gui.participants.pseudonyms_panel import PseudonymsDialog

        store = self.window_.store
        if store is None:
            return
        dialog = PseudonymsDialog(store, self.window_)
        self._pseudonyms_dialog = dialog
        dialog.show()

    def _status(self, message: str) -> None:
        if self.window_.workspace is not None:
            self.window_.workspace.status.showMessage(message, 6000)
