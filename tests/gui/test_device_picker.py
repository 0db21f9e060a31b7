"""The transcription bar's device picker: Auto/CPU/GPU, the device shown in the progress line, CPU fallback."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop_app.gui.transcript.transcription_panel import TranscriptionPanel
from desktop_app.services.transcription import model_service


def test_the_chosen_device_goes_into_the_options_and_the_progress_line(qtbot: QtBot) -> None:
    panel = TranscriptionPanel()
    qtbot.addWidget(panel)
    assert [panel.device.itemText(i) for i in range(panel.device.count())] == ["Auto", "CPU", "GPU"]
    assert panel.options().device == "auto"
    panel.device.setCurrentIndex(panel.device.findData("cuda"))
    assert panel.options().device == "cuda"
    panel.set_running(True)
    assert not panel.device.isEnabled()
    panel.show_progress("Interview 1", 30.0, 120.0, 4.0)
    text = panel.status.text()
    if model_service.gpu_count() == 0:
        assert text.startswith("cpu int8 (no GPU found by CTranslate2; running on the CPU) · ")
    else:
        assert text.startswith("cuda float16 · ")
    assert "4.0× real time" in text
    panel.set_running(False)
    assert panel.device.isEnabled()


def test_cpu_shows_int8(qtbot: QtBot) -> None:
    panel = TranscriptionPanel()
    qtbot.addWidget(panel)
    panel.device.setCurrentIndex(panel.device.findData("cpu"))
    panel.set_running(True)
    panel.show_progress("Interview 1", 10.0, 100.0, 2.0)
    assert panel.status.text().startswith("cpu int8 · 2.0× real time · ")
