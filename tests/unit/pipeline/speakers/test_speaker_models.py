"""The ONNX speaker models in models/: pinned by sha256 in the manifest, and what they compute."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

MODELS = Path(__file__).resolve().parents[4] / "models"
ONNX = ("speaker-segmentation", "speaker-embedding")


@pytest.mark.parametrize("name", ONNX)
def test_onnx_file_matches_its_pinned_sha256(name: str) -> None:
    spec = next(m for m in json.loads((MODELS / "manifest.json").read_text())["models"] if m["name"] == name)
    ((file_name, pin),) = spec["files"].items()
    data = (MODELS / file_name).read_bytes()
    assert len(data) == pin["size"]
    assert hashlib.sha256(data).hexdigest() == pin["sha256"]
    assert spec["app_file"] == file_name
    notice = MODELS / spec["licence"].split("see models/")[1]
    assert pin["sha256"] in notice.read_text()  # the notice names the exact file it covers


def test_registry_verifies_the_onnx_models(tmp_path: Path) -> None:
    from desktop_app.pipeline.model_registry import ModelRegistry

    registry = ModelRegistry(tmp_path / "user-models")
    assert [e.verified for name in ONNX for e in registry.verify(name)] == [True, True]


def test_missing_or_damaged_model_is_one_clear_error(tmp_path: Path) -> None:
    from desktop_app.core.errors import VerbatimError
    from desktop_app.pipeline.speakers.onnx_models import SEGMENTATION_FILE, session

    with pytest.raises(VerbatimError, match="speaker model is missing"):
        session(SEGMENTATION_FILE, tmp_path)
    (tmp_path / SEGMENTATION_FILE).write_bytes(b"not an onnx model")
    with pytest.raises(VerbatimError, match="cannot be loaded"):
        session(SEGMENTATION_FILE, tmp_path)
