"""Ask who is coding, the first time someone codes: every coding keeps its coder's name.

Intercoder agreement compares coders by that name; taken silently from the login (or nothing,
where the app was started without one) it read "(no coder name)" for everyone. Asked once,
stored in the settings, changed in Preferences.
"""

from __future__ import annotations

import getpass

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop_app.gui.shell.settings import AppSettings

EXPLANATION = (
    "Verbatim stores your name or initials with every coding, so that co-authors' coding can be "
    "compared (Analysis › Intercoder agreement). You can change it later in Edit › Preferences."
)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in this environment
        return ""


class CoderNameDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is coding?")
        intro = QLabel(EXPLANATION)
        intro.setWordWrap(True)
        self.name_edit = QLineEdit(_login_name())
        self.name_edit.setPlaceholderText("Your name or initials, e.g. AB")
        self.name_edit.selectAll()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Code without a name")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.name_edit)
        layout.addWidget(buttons)
        self.resize(440, self.sizeHint().height())


def coder_name(parent: QWidget, settings: AppSettings) -> str:
    """The coder's name, asked for the first time (an answer, even none, is remembered)."""
    if settings.has_coder_name():
        return settings.coder_name()
    dialog = CoderNameDialog(parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    name = dialog.name_edit.text().strip() if accepted else ""
    settings.set_coder_name(name)
    return name
