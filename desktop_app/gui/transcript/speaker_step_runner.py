"""Find speakers again… in the window: the dialog, the speaker step in the background, and what it found.

The step rewrites the document's turns from its stored words, so nothing may be typed into the
transcript meanwhile (it would be overwritten): the editor's last typing is stored first, and a
modal progress dialog holds the window until the step ends (seconds per audio minute). What the
step said of the count (``DiarizationOutcome.hint``) is passed on (``noted``): the Speakers tab
keeps it beside the document's speakers, and the dialog repeats it next time.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QProgressDialog, QStatusBar, QWidget

from desktop_app.core.text.plural import plural
from desktop_app.gui.common.background_task import run_in_background
from desktop_app.gui.common.error_dialogs import show_error
from desktop_app.gui.transcript.speaker_step_dialog import SpeakerStepDialog
from desktop_app.services.speakers import diarization_service
from desktop_app.services.study import document_service
from desktop_app.services.study.project_service import ProjectStore

NOTE_SECONDS = 30  # how long the status bar shows what the step found


class SpeakerStepRunner(QObject):
    progressed = Signal(float)  # seconds of audio the step has read (emitted from the pool thread)
    finished = Signal(int)  # document id: its turns and speakers changed
    noted = Signal(int, str)  # document id, what the step said of the count ("" for nothing)

    def __init__(
        self,
        parent: QWidget,
        store: ProjectStore,
        status: QStatusBar,
        busy: Callable[[], bool],
        before: Callable[[], None],
        choice: Callable[[], tuple[str, bool]],
        note_of: Callable[[int], str | None],
    ) -> None:
        """``busy``: whether a transcription runs (the step waits for it); ``before``: store the typing;
        ``choice``: the transcription bar's speakers and engine, offered first; ``note_of``: what the last
        speaker step said of a document's count."""
        super().__init__(parent)
        self.parent_widget, self.store, self.status = parent, store, status
        self.busy, self.before, self.choice, self.note_of = busy, before, choice, note_of
        self.dialog: SpeakerStepDialog | None = None
        self.progress: QProgressDialog | None = None
        # a bound method of this GUI-thread object: Qt queues each report from the pool to the GUI thread
        # (a lambda would run on the pool's thread and touch the progress dialog from there)
        self.progressed.connect(self._advance)

    def ask(self, document_id: int | None) -> None:
        """Find speakers again… for ``document_id``: the dialog, then the step (OK) or nothing (Cancel)."""
        if document_id is None or self.progress is not None:
            return
        if self.busy():
            self.status.showMessage("Find speakers again waits until the transcription has finished", 6000)
            return
        if self.store.readonly:
            self.status.showMessage("The study is open read-only: speakers cannot be found again", 6000)
            return
        title = document_service.get_document(self.store, document_id).title
        speakers, meeting = self.choice()
        transcribed = diarization_service.unchecked_transcripts(self.store)
        self.dialog = SpeakerStepDialog(
            self.parent_widget, title, speakers, meeting, self.note_of(document_id), len(transcribed)
        )
        if self.dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.run(transcribed if self.dialog.everything() else [document_id], self.dialog.options())

    def run(self, document_ids: list[int], options: diarization_service.DiarizationOptions) -> None:
        self.before()  # typing not stored yet goes in first: the step reads the stored words
        documents = [document_service.get_document(self.store, d) for d in document_ids]
        total = max(1, round(sum(d.duration or 0 for d in documents)))
        what = documents[0].title if len(documents) == 1 else f"{len(documents)} recordings"
        self.progress = QProgressDialog(f"Finding speakers in {what}…", "", 0, total, self.parent_widget)
        self.progress.setWindowTitle("Find speakers again")
        self.progress.setCancelButton(None)  # the step cannot stop halfway
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.setAutoClose(False)
        self.progress.setValue(0)
        path, passphrase = self.store.path, self.store.passphrase
        titles = {d.id: d.title for d in documents}
        run_in_background(
            self,
            lambda: diarization_service.diarize_in_study(path, passphrase, document_ids, options, self.progressed.emit),
            lambda found: self._done(titles, *found),
            self._failed,
        )

    def _advance(self, seconds: float) -> None:
        if self.progress is not None:  # a last report may come after the step ended
            self.progress.setValue(min(self.progress.maximum() - 1, round(seconds)))

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _done(
        self,
        titles: dict[int, str],
        outcomes: list[diarization_service.DiarizationOutcome],
        failed: list[tuple[int, str]],
    ) -> None:
        self._close_progress()
        for outcome in outcomes:
            self.finished.emit(outcome.document_id)
            self.noted.emit(outcome.document_id, outcome.hint or "")
        if len(outcomes) == 1 and len(titles) == 1:
            one = outcomes[0]
            found = f"{plural(one.speakers, 'speaker')}, {one.turns} turns"
            self.status.showMessage(f"{titles[one.document_id]}: speakers found again: {found}", NOTE_SECONDS * 1000)
        elif outcomes:
            counts = "; ".join(f"{titles[o.document_id]}: {plural(o.speakers, 'speaker')}" for o in outcomes)
            self.status.showMessage(
                f"Speakers found again in {len(outcomes)} recordings: {counts}", NOTE_SECONDS * 1000
            )
        if failed:  # each named, with the problem; those recordings keep their turns
            lines = [f"{titles.get(document_id, document_id)}: {message}" for document_id, message in failed]
            QMessageBox.warning(self.parent_widget, "Find speakers again", "\n".join(lines))

    def _failed(self, error: object) -> None:
        self._close_progress()
        if isinstance(error, BaseException):  # a VerbatimError's message (the file, the problem), or a report
            show_error(self.parent_widget, error, title="Find speakers again")
