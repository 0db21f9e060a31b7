"""Passphrases: ask one to open an encrypted study (again after a wrong one), choose one for a new study.

The module-level functions are what the window calls (and what tests replace); the dialogs never
keep a passphrase after they close.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import ProjectError
from desktop_app.services.study import security_service
from desktop_app.services.study.security_service import FORGOTTEN_PASSPHRASE_WARNING

MIN_LENGTH = 8
WARNING_STYLE = (
    "QLabel#passphraseWarning { background: #fff4e5; color: #663c00; border: 1px solid #f0b25a;"
    " border-radius: 4px; padding: 8px 10px; }"
)
ERROR_STYLE = "QLabel#passphraseError { color: #b3261e; font-weight: bold; }"

T = TypeVar("T")


@dataclass(frozen=True)
class NewStudyChoice:
    """What the user chose for a new study: ``passphrase`` None means not encrypted."""

    passphrase: str | None = None


def _password_field(placeholder: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    field.setMinimumWidth(280)
    return field


def _warning_label() -> QLabel:
    label = QLabel("⚠  " + FORGOTTEN_PASSPHRASE_WARNING)
    label.setObjectName("passphraseWarning")
    label.setWordWrap(True)
    label.setStyleSheet(WARNING_STYLE)
    return label


class OpenPassphraseDialog(QDialog):
    """Asks for the passphrase of ``path``; shows ``error`` (a wrong passphrase) above the field."""

    def __init__(self, path: Path, error: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Encrypted study")
        intro = QLabel(f"<b>{Path(path).stem}</b> is encrypted. Enter its passphrase to open it.")
        intro.setWordWrap(True)
        self.error_label = QLabel(error)
        self.error_label.setObjectName("passphraseError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(bool(error))
        self.passphrase = _password_field("Passphrase")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.passphrase.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.error_label)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self._update()

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(bool(self.passphrase.text()))


class NewPassphraseForm(QWidget):
    """Passphrase and confirmation with a live hint; ``passphrase()`` is '' until both agree."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = _password_field(f"At least {MIN_LENGTH} characters")
        self.second = _password_field("Type it again")
        self.hint = QLabel()
        self.hint.setObjectName("passphraseHint")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Passphrase:", self.first)
        form.addRow("Confirm:", self.second)
        form.addRow("", self.hint)
        for field in (self.first, self.second):
            field.textChanged.connect(self._update_hint)
        self._update_hint()

    def problem(self) -> str:
        first, second = self.first.text(), self.second.text()
        if len(first) < MIN_LENGTH:
            return f"Use at least {MIN_LENGTH} characters."
        if first != second:
            return "The two passphrases differ." if second else "Type the passphrase again to confirm it."
        return ""

    def passphrase(self) -> str:
        return "" if self.problem() else self.first.text()

    def _update_hint(self) -> None:
        problem = self.problem()
        self.hint.setText(problem or "✓ The passphrases match.")
        self.hint.setStyleSheet("color: #6b6b6b;" if problem else "color: #1b7f3b;")


class NewStudyDialog(QDialog):
    """Before a new study is created: encrypt it or not; the warning is shown while encryption is on."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New study")
        title = QLabel(f"<b>{Path(path).stem}</b>")
        self.encrypt = QCheckBox("Encrypt this study")
        self.encrypt.setToolTip("Recordings embedded in the study, transcripts and codes are all kept encrypted")
        explain = QLabel(
            "An encrypted study can only be opened with its passphrase. Use it for recordings under "
            "an ethics approval or a data protection agreement."
        )
        explain.setWordWrap(True)
        explain.setObjectName("encryptExplain")
        self.form = NewPassphraseForm()
        self.warning = _warning_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create study")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.encrypt)
        layout.addWidget(explain)
        layout.addWidget(self.form)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.encrypt.toggled.connect(self._update)
        for field in (self.form.first, self.form.second):
            field.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        on = self.encrypt.isChecked()
        self.form.setVisible(on)
        self.warning.setVisible(on)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not on or bool(self.form.passphrase()))
        self.adjustSize()

    def choice(self) -> NewStudyChoice:
        return NewStudyChoice(self.form.passphrase() if self.encrypt.isChecked() else None)


class NewPassphraseDialog(QDialog):
    """Choose a passphrase for an existing study (encrypt it, or change its passphrase)."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        label = QLabel(intro)
        label.setWordWrap(True)
        self.form = NewPassphraseForm()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.form)
        layout.addWidget(_warning_label())
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        for field in (self.form.first, self.form.second):
            field.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.form.passphrase()))


# ----- what the window calls --------------------------------------------------------------
def ask_passphrase(parent: QWidget | None, path: Path, error: str = "") -> str | None:
    """The passphrase of the study at ``path``, or None if the user cancelled."""
    dialog = OpenPassphraseDialog(path, error, parent)
    dialog.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)
    return dialog.passphrase.text() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_new_study(parent: QWidget | None, path: Path) -> NewStudyChoice | None:
    """Encrypt the new study at ``path`` or not; None if the user cancelled."""
    dialog = NewStudyDialog(path, parent)
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_new_passphrase(parent: QWidget | None, title: str, intro: str) -> str | None:
    """A new passphrase, typed twice; None if the user cancelled."""
    dialog = NewPassphraseDialog(title, intro, parent)
    return dialog.form.passphrase() if dialog.exec() == QDialog.DialogCode.Accepted else None


def looks_encrypted(path: Path) -> bool:
    """Whether ``path`` looks like an encrypted study rather than some other file.

    An encrypted study starts with 16 random bytes (the salt); a text or other file mistaken for
    a study almost never starts with 16 bytes that are all printable text.
    """
    if not security_service.is_encrypted(Path(path)):
        return False
    with Path(path).open("rb") as handle:
        head = handle.read(16)
    return not all(32 <= b < 127 or b in (9, 10, 13) for b in head)


def needs_passphrase(path: Path, error: ProjectError) -> bool:
    """Whether opening failed for want of a (right) passphrase."""
    wanted = "encrypted" in error.problem or "wrong passphrase" in error.problem
    return wanted and looks_encrypted(path)


def open_asking_passphrase(
    parent: QWidget | None, path: Path, opener: Callable[[str | None], T], passphrase: str | None = None
) -> T | None:
    """``opener(passphrase)``, asking for the passphrase while it is missing or wrong; None if cancelled.

    Errors other than a missing or wrong passphrase are raised as they are.
    """
    error = ""
    while True:
        try:
            return opener(passphrase)
        except ProjectError as exc:
            if not needs_passphrase(path, exc):
                raise
            if passphrase is not None:
                error = "Wrong passphrase. Check the keyboard layout and Caps Lock, then try again."
        passphrase = ask_passphrase(parent, path, error)
        if passphrase is None:
            return None
