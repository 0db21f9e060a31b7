"""Speed measured on this computer: the real engine on the bundled sample, cached for the Models page."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.pipeline.model_registry import ModelRegistry
from desktop_app.services.transcription import model_calibration, model_service


def test_calibration_measures_and_caches_the_speed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VERBATIM_MODELS_DIR", str(tmp_path / "models"))
    assert next(r for r in model_service.catalogue() if r.name == "tiny.en").speed is None
    result = model_calibration.calibrate("tiny.en", device="cpu")
    speed = result.speed
    assert result.device == "cpu int8"
    assert speed > 0.5, "tiny.en runs faster than half real time on any machine we support"
    cached = model_calibration.cached_speeds(ModelRegistry().user_dir)
    assert cached == {"tiny.en": speed}
    assert next(r for r in model_service.catalogue() if r.name == "tiny.en").speed == speed
    assert next(r for r in model_service.catalogue() if r.name == "small").speed is None
