"""File › Export: the current document (or all) in any transcript format, or the study as REFI-QDA."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QRadioButton,
    QWidget,
)

from desktop_app.core.errors import VerbatimError
from desktop_app.core.text.text_layer import TextLayer
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.common.export_notice import announce_export
from desktop_app.gui.common.text_layer_combo import TextLayerCombo
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.services.exports import export_service
from desktop_app.services.interchange import interchange_service
from desktop_app.services.participants import pseudonym_service
from desktop_app.services.study import project_service
from desktop_app.services.study.project_service import ProjectStore

REFI_PROJECT, REFI_CODEBOOK = "qdpx", "qdc"
OVERLAP_MARKS_KEY = "export/overlap_marks"  # remembered between exports
OVERLAP_CHOICES = (("None", ""), ("//…//", "slashes"), ("[overlapping]", "brackets"))
MARKED_FORMATS = ("docx", "txt", "txt-maxqda", "txt-nvivo")  # the formats whose text carries the marks


class ExportDialog(QDialog):
    def __init__(
        self,
        store: ProjectStore,
        document_id: int | None,
        parent: QWidget | None = None,
        settings: AppSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.store, self.document_id = store, document_id
        self.settings = settings or AppSettings()
        self.setWindowTitle("Export")
        self.format = QComboBox()
        for fmt in export_service.FORMATS.values():
            self.format.addItem(f"{fmt.description} ({fmt.extension})", fmt.name)
        self.format.addItem("REFI-QDA project for QualCoder, MAXQDA, NVivo, ATLAS.ti… (.qdpx)", REFI_PROJECT)
        self.format.addItem("REFI-QDA codebook (.qdc)", REFI_CODEBOOK)
        self.this_document = QRadioButton("This document")
        self.all_documents = QRadioButton("All transcribed documents (one file each)")
        (self.this_document if document_id is not None else self.all_documents).setChecked(True)
        self.this_document.setEnabled(document_id is not None)
        self.timestamps = QCheckBox("Timestamps")
        self.timestamps.setChecked(True)
        self.line_numbers = QCheckBox("Line numbers (DOCX)")
        self.pauses = QCheckBox("Pauses as (.) (..) (3 s)")
        self.text_layer = TextLayerCombo()  # only where some turn has English
        self._make_overlap_choice()
        self._has_english = TextLayerCombo.wanted(store)
        self.pseudonymised = QCheckBox("Pseudonymised (as verbatim export --pseudonymised)")
        self.pseudonymised.setToolTip(
            "Names and places replaced by their pseudonyms (Participants › Pseudonyms), speakers named by "
            "their participant label; the key is not written. On by default once speakers are linked to participants."
        )
        self.pseudonymised.setChecked(export_service.linked_to_participants(store))
        self._make_project_choices()
        self.note = QLabel("")
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.run)
        buttons.rejected.connect(self.reject)
        self._build_form(buttons)
        self.format.currentIndexChanged.connect(self._format_changed)
        self._format_changed()

    def _make_overlap_choice(self) -> None:
        """How talk spoken over someone else is marked in DOCX and TXT (as ``export --overlap-marks``)."""
        self.overlap_marks = QComboBox()
        for text, style in OVERLAP_CHOICES:
            self.overlap_marks.addItem(text, style)
        remembered = str(self.settings.value(OVERLAP_MARKS_KEY, ""))
        self.overlap_marks.setCurrentIndex(max(0, self.overlap_marks.findData(remembered)))
        self.overlap_marks.setToolTip(
            "Words spoken while another person talks (found by the speaker step), marked in the usual "
            "transcription convention: //so I think// or [overlapping] so I think. "
            "Only words still as transcribed carry the mark; a turn whose text you retyped is written as it is."
        )

    def _make_project_choices(self) -> None:
        """For a .qdpx: the recordings inside or not, and each coding once (for other tools) or complete."""
        self.embed_media = QCheckBox("Put the recordings inside the .qdpx")
        self.embed_media.setChecked(True)
        self.for_qda_tool = QRadioButton("For another QDA tool (QualCoder, MAXQDA, NVivo, ATLAS.ti)")
        self.for_qda_tool.setToolTip(
            "Each coding once, on the transcript as a text document. Opens cleanly elsewhere; "
            "word timings are not included."
        )
        self.complete = QRadioButton("Complete, to open again in Verbatim")
        self.complete.setToolTip(
            "Adds the transcript linked to the recording with word times, and each coding as transcript, "
            "audio and text selections. Other tools show every coding three times."
        )
        self.for_qda_tool.setChecked(True)
        representation = QButtonGroup(self)
        representation.addButton(self.for_qda_tool)
        representation.addButton(self.complete)
        self.representation_note = QLabel(
            "<i>For another QDA tool</i>: each coding once, as text; word timings left out.<br>"
            "<i>Complete</i>: also the timed transcript and each coding three ways; other tools show duplicates."
        )
        self.representation_note.setWordWrap(True)

    def _build_form(self, buttons: QDialogButtonBox) -> None:
        form = QFormLayout(self)
        form.addRow("Format", self.format)
        form.addRow(self.this_document)
        form.addRow(self.all_documents)
        form.addRow("Text", self.text_layer)
        form.addRow("Mark overlapping talk", self.overlap_marks)
        for box in (self.pseudonymised, self.timestamps, self.line_numbers, self.pauses, self.embed_media):
            form.addRow(box)
        for widget in (self.for_qda_tool, self.complete, self.representation_note):
            form.addRow(widget)
        form.addRow(self.note)
        form.addRow(buttons)

    def _format_changed(self) -> None:
        refi = self.format.currentData() in (REFI_PROJECT, REFI_CODEBOOK)
        transcript_only = (self.this_document, self.all_documents, self.timestamps)
        for widget in (*transcript_only, self.line_numbers, self.pauses):
            widget.setVisible(not refi)
        row = self.layout()
        if isinstance(row, QFormLayout):
            row.setRowVisible(self.text_layer, self._has_english and not refi)
            row.setRowVisible(self.overlap_marks, self.format.currentData() in MARKED_FORMATS)
        self.pseudonymised.setVisible(self.format.currentData() != REFI_CODEBOOK)  # a .qdpx too, recordings left out
        project_only: tuple[QWidget, ...] = (
            self.embed_media,
            self.for_qda_tool,
            self.complete,
            self.representation_note,
        )
        for item in project_only:
            item.setVisible(self.format.currentData() == REFI_PROJECT)
        self.note.setText("The whole study: codes, codings, participants, memos and transcripts." if refi else "")

    def representation(self) -> interchange_service.Representation:
        if self.complete.isChecked():
            return interchange_service.Representation.COMPLETE
        return interchange_service.Representation.FOR_QDA_TOOL

    def options(self) -> export_service.ExportOptions:
        return export_service.ExportOptions(
            timestamps=self.timestamps.isChecked(),
            line_numbers=self.line_numbers.isChecked(),
            include_pauses=self.pauses.isChecked(),
            overlap_marks=self.overlap_style(),
            text_layer=self.text_layer.layer() if self._has_english else TextLayer.ORIGINAL,
        )

    def overlap_style(self) -> str:
        """The style for ``ExportOptions.overlap_marks``: "slashes", "brackets" or "" (also for other formats)."""
        if self.format.currentData() not in MARKED_FORMATS:
            return ""
        return str(self.overlap_marks.currentData() or "")

    def run(self) -> None:
        if self.format.currentData() in MARKED_FORMATS:
            self.settings.set_value(OVERLAP_MARKS_KEY, self.overlap_marks.currentData())
        try:
            written = self._export()
        except VerbatimError as exc:
            show_error(self, exc)
            return
        if written:
            self.accept()

    def _export(self) -> str | None:
        name = str(self.format.currentData())
        folder = str(self.store.folder)
        if name in (REFI_PROJECT, REFI_CODEBOOK):
            return self._export_refi(name, folder)
        fmt = export_service.FORMATS[name]
        if self.this_document.isChecked() and self.document_id is not None:
            title = project_service.list_documents(self.store)
            stem = next((d.title for d in title if d.id == self.document_id), "transcript")
            path, _ = QFileDialog.getSaveFileName(
                self, "Export", str(fmt.default_path(Path(folder), stem)), f"*{fmt.extension}"
            )
            if not path:
                return None
            if self.pseudonymised.isChecked():
                pseudonym_service.export_pseudonymised(self.store, self.document_id, name, Path(path), self.options())
            else:
                export_service.export_document(self.store, self.document_id, name, Path(path), self.options())
            announce_export(self, Path(path), "pseudonymised" if self.pseudonymised.isChecked() else "")
            return path
        target_folder = QFileDialog.getExistingDirectory(self, "Export into folder", folder)
        if not target_folder:
            return None
        written = self._export_all(name, Path(target_folder))
        how = " (pseudonymised)" if self.pseudonymised.isChecked() else ""
        announce_export(self, Path(target_folder), f"{len(written)} file{'s' if len(written) != 1 else ''}{how}")
        return target_folder

    def _export_refi(self, name: str, folder: str) -> str | None:
        """The whole study as a REFI-QDA project or codebook; the file written, or None if none was chosen."""
        suffix = f".{name}"
        path, _ = QFileDialog.getSaveFileName(self, "Export", f"{folder}/{self.store.path.stem}{suffix}", f"*{suffix}")
        if not path:
            return None
        target = Path(path).with_suffix(suffix)
        if name == REFI_PROJECT:
            report = interchange_service.export_project(
                self.store,
                target,
                embed_media=self.embed_media.isChecked(),
                representation=self.representation(),
                pseudonymised=self.pseudonymised.isChecked(),
            )
        else:
            report = interchange_service.export_codebook(self.store, target)
        self._report(target, report)
        announce_export(self, target, "the whole study")
        return str(target)

    def _export_all(self, name: str, folder: Path) -> list[Path]:
        if self.pseudonymised.isChecked():
            return pseudonym_service.export_all_pseudonymised(self.store, name, folder, self.options())
        ids = [d.id for d in project_service.list_documents(self.store) if d.status.value in ("transcribed", "checked")]
        return export_service.export_documents(self.store, ids, name, folder, self.options())

    def _report(self, target: Path, report: list[str]) -> None:
        if report:
            QMessageBox.information(
                self, "Export", f"Wrote {target}.\n\nWhat the format could not carry:\n• " + "\n• ".join(report[:30])
            )
