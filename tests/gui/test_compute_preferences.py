"""Preferences ▸ Transcription ▸ Compute: this computer or a Dask scheduler; the window's transcription goes there."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.gui.preferences.compute_page import compute_target
from desktop_app.gui.preferences.preferences_dialog import PreferencesDialog
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.gui.transcript.transcription_worker import TranscriptionWorker
from desktop_app.services.study import import_service, project_service
from desktop_app.services.transcription.cluster_transcription_service import ClusterSpec
from desktop_app.services.transcription.transcription_service import TranscriptionOptions
from desktop_app.storage.transcripts import transcript_repository


def _transcription_tab(dialog: PreferencesDialog) -> None:
    dialog.tabs.setCurrentWidget(dialog.compute_page)


def test_an_unencrypted_remote_scheduler_is_refused_with_the_reason_and_nothing_stored(
    qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = PreferencesDialog(AppSettings())
    qtbot.addWidget(dialog)
    page = dialog.compute_page
    assert page.here.isChecked() and not page.address.isEnabled()  # the default: this computer
    page.cluster.setChecked(True)
    page.address.setText("tcp://10.20.30.40:8786")
    dialog.tabs.setCurrentIndex(0)
    dialog.save()
    assert dialog.tabs.currentWidget() is page and dialog.result() == 0  # still open, on the page that says why
    assert "unencrypted" in page.problem.text() and "--insecure" in page.problem.text()
    dialog.show()
    dialog.grab().save(str(tmp_path / "compute-refused.png"))
    assert compute_target(AppSettings()) is None


def test_a_tls_scheduler_with_its_certificates_is_kept_and_this_computer_turns_it_off(
    qtbot: QtBot, tmp_path: Path
) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    dialog = PreferencesDialog(AppSettings())
    qtbot.addWidget(dialog)
    page = dialog.compute_page
    page.cluster.setChecked(True)
    page.address.setText("tls://gpu.example.edu:8786")
    page.files["ca"].setText(str(ca))
    dialog.save()
    assert dialog.result() == 1 and not page.problem.isVisible()
    assert compute_target(AppSettings()) == ClusterSpec("tls://gpu.example.edu:8786", tls_ca_file=ca)
    again = PreferencesDialog(AppSettings())
    qtbot.addWidget(again)
    assert again.compute_page.cluster.isChecked() and again.compute_page.address.text() == "tls://gpu.example.edu:8786"
    again.compute_page.here.setChecked(True)
    again.save()
    assert compute_target(AppSettings()) is None


@pytest.mark.slow
@pytest.mark.loopback
def test_the_window_worker_sends_its_queue_to_the_cluster_and_reports_each_document(
    qtbot: QtBot, tmp_path: Path, shared_data: Path
) -> None:
    store = project_service.create_project(tmp_path / "study.verbatim")
    ids = [d.id for d in import_service.import_recordings(store, [shared_data / "jfk.flac"]).imported]
    store.close()
    options = TranscriptionOptions(model="tiny.en", language="en")
    worker = TranscriptionWorker(store.path, ids, options, cluster=ClusterSpec("local:1"))
    finished: list[int] = []
    started: list[str] = []
    worker.document_finished.connect(finished.append)
    worker.document_started.connect(lambda _doc, language: started.append(language))
    worker.run()  # in this thread: the signals arrive directly
    assert finished == ids and started == ["en"]
    store = project_service.open_project(store.path, readonly=True)
    text = " ".join(s.text for s in transcript_repository.load_transcript(store, ids[0]).segments).lower()
    store.close()
    assert "ask not what your country can do for you" in text
    again = TranscriptionWorker(store.path, ids, options, cluster=ClusterSpec("local:1"))
    failed: list[str] = []
    again.document_failed.connect(lambda _doc, message: failed.append(message))
    again.document_finished.connect(finished.append)
    again.run()  # a transcript the run would replace: transcribed again here (a cluster run would refuse it)
    assert failed == [] and finished == ids + ids
