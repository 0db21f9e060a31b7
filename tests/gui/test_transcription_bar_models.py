"""The transcription bar suggests a model for the language, and sees models added since it was built."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.gui.transcript.transcription_panel import TranscriptionPanel
from desktop_app.services.transcription import model_service


def test_a_weak_model_for_the_language_is_pointed_out(qtbot: QtBot) -> None:
    panel = TranscriptionPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.model.setCurrentIndex(panel.model.findData("base"))
    panel.language.setCurrentIndex(panel.language.findData("en"))
    assert not panel.model_hint.isVisible()
    panel.language.setCurrentIndex(panel.language.findData("sv"))
    assert panel.model_hint.isVisible()
    assert panel.model_hint.text().startswith("Swedish: base is weak; ")
    panel.model.setCurrentIndex(panel.model.findData("tiny.en"))
    assert panel.model_hint.text().startswith("Swedish: tiny.en understands English only")


def test_a_model_added_later_is_found_and_suggested(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("VERBATIM_MODELS_DIR", str(tmp_path / "models"))
    panel = TranscriptionPanel()
    qtbot.addWidget(panel)
    assert panel.model.findData("large-v3-turbo") == -1
    model_service.import_model(model_service.resolve_model("tiny.en"), "large-v3-turbo")  # stands in: same layout
    index = panel.model.findData("large-v3-turbo")
    assert index >= 0, "a model added in Preferences ▸ Models is found without restarting"
    panel.model.setCurrentIndex(panel.model.findData("base"))
    panel.language.setCurrentIndex(panel.language.findData("de"))
    assert panel.model_hint.text() == "German: base is weak; large-v3-turbo is installed"
