"""File › Merge study…: bring a second coder's copy into the open study, after showing what will happen.

The dialog shows what the merge service's preview found (documents matched by recording, new ones,
codes to add, conflicts, whose codings come) and asks, for each document whose transcripts differ,
which to keep: ours, theirs, or both as versions. The merge itself is one undo step with a backup
taken first, as the service does it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from desktop_app.core.errors import VerbatimError
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.services.interchange import merge_service
from desktop_app.services.interchange.merge_service import MergeOptions, MergePreview, MergeResult, TranscriptChoice
from desktop_app.services.study import security_service
from desktop_app.services.study.project_service import ProjectStore

CHOICES = (
    (TranscriptChoice.OURS, "Keep ours (their codings move onto it)"),
    (TranscriptChoice.THEIRS, "Take theirs (our codings move onto it)"),
    (TranscriptChoice.BOTH, "Keep both (theirs as another version)"),
)


def _summary(preview: MergePreview) -> str:
    matched = [m for m in preview.documents if m.ours is not None]
    coders = ", ".join(c or "(no name)" for c in preview.their_coders) or "nobody"
    return (
        f"{len(matched)} document(s) have the same recording here; {len(preview.documents) - len(matched)} are new.\n"
        f"{preview.their_codings} coding(s) by {coders}; {len(preview.codebook.added)} code(s) to add.\n"
        "A backup of this study is taken first; Edit › Undo takes the whole merge back."
    )


class MergeDialog(QDialog):
    def __init__(self, other: Path, preview: MergePreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Merge {other.name}")
        self.preview = preview
        form = QFormLayout(self)
        summary = QLabel(_summary(preview))
        summary.setWordWrap(True)
        form.addRow(summary)
        self.conflicts = QPlainTextEdit("\n".join(preview.codebook.conflicts) or "No conflicts in the codebooks.")
        self.conflicts.setReadOnly(True)
        self.conflicts.setMaximumHeight(90)
        form.addRow("Conflicts (ours kept)", self.conflicts)
        self.choices: dict[int, QComboBox] = {}
        for match in preview.differing:
            box = QComboBox()
            for choice, label in CHOICES:
                box.addItem(label, choice)
            assert match.ours is not None
            self.choices[match.ours.id] = box
            form.addRow(f"Transcripts differ: {match.ours.title}", box)
        self.their_coder = QLineEdit(next((c for c in preview.their_coders if c), other.stem))
        self.their_coder.setToolTip("The coder name for their codings that were made without one")
        form.addRow("Their coder name", self.their_coder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def options(self, passphrase: str | None) -> MergeOptions:
        per_document = {doc: TranscriptChoice(box.currentData()) for doc, box in self.choices.items()}
        return MergeOptions(per_document=per_document, their_coder=self.their_coder.text(), passphrase=passphrase)


def _passphrase(parent: QWidget, path: Path) -> str | None:
    if not security_service.is_encrypted(path):
        return None
    text, ok = QInputDialog.getText(
        parent, "Passphrase", f"{path.name} is encrypted. Its passphrase:", QLineEdit.EchoMode.Password
    )
    return text if ok else ""


def ask_merge(parent: QWidget, store: ProjectStore) -> MergeResult | None:
    """Pick the other copy, preview, ask, merge; says what was merged. None when nothing was done."""
    name, _ = QFileDialog.getOpenFileName(parent, "Merge study", str(store.folder), "Verbatim studies (*.verbatim)")
    if not name:
        return None
    other = Path(name)
    try:
        passphrase = _passphrase(parent, other)
        if passphrase == "":
            return None
        preview = merge_service.preview_merge(store, other, passphrase)
        dialog = MergeDialog(other, preview, parent)
        if not dialog.exec():
            return None
        result = merge_service.merge_study(store, other, dialog.options(passphrase))
    except VerbatimError as exc:
        show_error(parent, exc)
        return None
    QMessageBox.information(parent, "Merge", f"Merged {other.name}:\n• " + "\n• ".join(result.lines()))
    return result
