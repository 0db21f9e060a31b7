from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from desktop_app.core.errors import ModelError
from desktop_app.core.file_hash import file_sha256
from desktop_app.pipeline.model_registry import ModelRegistry


@pytest.fixture
def registry(tmp_path: Path) -> ModelRegistry:
    return ModelRegistry(tmp_path / "models")


def test_lists_bundled_models_without_assembling(registry: ModelRegistry) -> None:
    entries = {e.name: e for e in registry.models()}
    assert entries["tiny.en"].source == "package" and entries["tiny.en"].verified is True
    assert entries["base"].source == "package" and entries["base"].verified is None
    assert not (registry.user_dir / "base").exists()


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


def test_list_shows_where_each_model_comes_from(registry: ModelRegistry) -> None:
    registry.resolve("base")
    listed = {e.name: e for e in registry.list()}
    assert (listed["tiny.en"].source, listed["base"].source) == ("package", "user")
    assert listed["base"].verified is True and listed["base"].size > 145_000_000
    assert listed["base"].sha256.startswith("905e5bf8336bcc62")
    assert set(listed["base"].to_json()) == {"name", "path", "source", "size", "verified", "kind"}
    assert registry.entry("tiny.en").to_json()["path"] == str(listed["tiny.en"].path)


def test_bundled_speaker_encoder_matches_its_pin(registry: ModelRegistry) -> None:
    assert [e.verified for e in registry.verify("ge2e-encoder")] == [True]


def test_speaker_encoder_is_listed_only_when_its_file_exists(
    registry: ModelRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.pipeline import model_registry

    app_dir = tmp_path / "app-models"
    app_dir.mkdir()
    manifest = json.loads((model_registry.app_models_dir() / "manifest.json").read_text())
    for spec in manifest["models"]:
        if spec["name"] == "ge2e-encoder":
            spec["files"] = {}  # no pin yet: listed, not verified
    (app_dir / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setattr(model_registry, "app_models_dir", lambda: app_dir)
    assert "ge2e-encoder" not in {e.name for e in ModelRegistry(registry.user_dir).list()}
    (app_dir / "ge2e_encoder.npz").write_bytes(b"weights")
    encoder = ModelRegistry(registry.user_dir).entry("ge2e-encoder")
    assert (encoder.kind, encoder.source, encoder.verified, encoder.size) == ("speaker", "app", None, 7)
    assert ModelRegistry(registry.user_dir).resolve("ge2e-encoder") == app_dir / "ge2e_encoder.npz"
    pins = {"ge2e_encoder.npz": {"size": 7, "sha256": file_sha256(app_dir / "ge2e_encoder.npz")}}
    for spec in manifest["models"]:
        if spec["name"] == "ge2e-encoder":
            spec["files"] = pins
    (app_dir / "manifest.json").write_text(json.dumps(manifest))
    assert [e.verified for e in ModelRegistry(registry.user_dir).verify("ge2e-encoder")] == [True]
    (app_dir / "ge2e_encoder.npz").write_bytes(b"WEIGHTS")
    assert [e.verified for e in ModelRegistry(registry.user_dir).verify("ge2e-encoder")] == [False]
    with pytest.raises(ModelError, match="damaged"):
        ModelRegistry(registry.user_dir).resolve("ge2e-encoder")
