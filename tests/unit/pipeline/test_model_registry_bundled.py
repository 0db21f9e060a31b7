"""A ``base`` joined at build time into the app's ``models/`` (the installer bundle) is used as it is."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from desktop_app.core.errors import ModelError
from desktop_app.pipeline import model_registry
from desktop_app.pipeline.model_registry import ModelRegistry

pytestmark = pytest.mark.slow  # joins and hashes the 145 MB base model


@pytest.fixture(scope="module")
def joined_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ModelRegistry(tmp_path_factory.mktemp("joined") / "models").resolve("base")


@pytest.fixture
def app_models(tmp_path: Path, joined_base: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An app ``models/`` folder like the bundle's: the manifest and ``base/`` already joined (hard links)."""
    app_dir = tmp_path / "app-models"
    (app_dir / "base").mkdir(parents=True)
    shutil.copyfile(model_registry.app_models_dir() / "manifest.json", app_dir / "manifest.json")
    for file in joined_base.iterdir():
        if file.is_file() and not file.name.startswith("."):
            os.link(file, app_dir / "base" / file.name)
    monkeypatch.setattr(model_registry, "app_models_dir", lambda: app_dir)
    return app_dir


def _damage_config(app_models: Path) -> None:
    config = app_models / "base" / "config.json"
    text = config.read_bytes()
    config.unlink()  # break the hard link: the shared joined copy stays intact
    config.write_bytes(text[:-1] + b" ")


def test_bundled_base_is_used_without_joining_into_the_user_folder(app_models: Path, tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "user")
    assert registry.resolve("base") == app_models / "base"
    assert not (registry.user_dir / "base").exists()
    entry = registry.entry("base")
    assert (entry.source, entry.verified, entry.path) == ("app", True, app_models / "base")
    assert [e.verified for e in registry.verify("base")] == [True]


def test_damaged_bundled_base_is_rejoined_from_the_packages(app_models: Path, tmp_path: Path) -> None:
    _damage_config(app_models)
    registry = ModelRegistry(tmp_path / "user")
    assert registry.entry("base").verified is False
    assert registry.resolve("base") == registry.user_dir / "base"


def test_damaged_bundled_base_without_packages_says_reinstall(
    app_models: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _damage_config(app_models)
    monkeypatch.setattr(model_registry, "_package_path", lambda module, relative: None)
    with pytest.raises(ModelError, match="damaged.*reinstall"):
        ModelRegistry(tmp_path / "user").resolve("base")
