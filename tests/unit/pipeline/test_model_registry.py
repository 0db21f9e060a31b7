from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from desktop_app.core.errors import ModelError
from desktop_app.pipeline.model_registry import ModelRegistry


@pytest.fixture
def registry(tmp_path: Path) -> ModelRegistry:
    return ModelRegistry(tmp_path / "models")


def test_lists_bundled_models_without_assembling(registry: ModelRegistry) -> None:
    entries = {e.name: e for e in registry.models()}
    assert entries["tiny.en"].source == "package" and entries["tiny.en"].verified is True
    assert entries["base"].source == "package" and entries["base"].verified is None
    assert not (registry.user_dir / "base").exists()


def test_base_is_joined_once_and_verified(registry: ModelRegistry) -> None:
    folder = registry.resolve("base")
    model = folder / "model.bin"
    assert model.stat().st_size == 145_217_607
    assert {p.name for p in folder.iterdir()} >= {"model.bin", "config.json", "tokenizer.json", "vocabulary.json"}
    mtime = model.stat().st_mtime_ns
    assert registry.resolve("base") == folder
    assert model.stat().st_mtime_ns == mtime, "an intact joined model must not be joined again"
    assert [e.verified for e in registry.verify("base")] == [True]
    assert not [p for p in registry.user_dir.iterdir() if p.name.startswith(".base-")], "no staging left behind"


def test_damaged_base_is_detected_and_rejoined(registry: ModelRegistry) -> None:
    model = registry.resolve("base") / "model.bin"
    with model.open("r+b") as handle:
        handle.seek(1000)
        handle.write(b"\x00" * 64)
    assert registry.verify("base")[0].verified is False
    registry.resolve("base")
    assert registry.verify("base")[0].verified is True


def test_unknown_model_names_what_is_available(registry: ModelRegistry) -> None:
    with pytest.raises(ModelError, match="no model named 'large-v9'.*base.*tiny.en"):
        registry.resolve("large-v9")


def test_import_refuses_a_folder_that_is_not_a_model(registry: ModelRegistry, tmp_path: Path) -> None:
    junk = tmp_path / "usb"
    junk.mkdir()
    (junk / "model.bin").write_bytes(b"not weights")
    (junk / "config.json").write_text("{}")
    (junk / "tokenizer.json").write_text("{}")
    with pytest.raises(ModelError, match="does not load as a Whisper model"):
        registry.import_folder(junk)
    with pytest.raises(ModelError, match="not a CTranslate2 Whisper model folder"):
        registry.import_folder(tmp_path)
    assert not (registry.user_dir / "usb").exists()


def test_import_a_real_model_then_detect_damage(registry: ModelRegistry, tmp_path: Path) -> None:
    source = tmp_path / "whisper-tiny-en-copy"
    shutil.copytree(registry.resolve("tiny.en"), source)
    entry = registry.import_folder(source, "my-tiny")
    assert entry.source == "user" and entry.verified is True
    assert registry.resolve("my-tiny") == registry.user_dir / "my-tiny"
    marker = json.loads((registry.user_dir / "my-tiny" / "verbatim-model.json").read_text())
    assert marker["files"]["model.bin"]["size"] == entry.path.joinpath("model.bin").stat().st_size
    (registry.user_dir / "my-tiny" / "config.json").write_text("{}")
    with pytest.raises(ModelError, match="damaged"):
        registry.resolve("my-tiny")
    with pytest.raises(ModelError, match="already exists"):
        registry.import_folder(source, "my-tiny")
