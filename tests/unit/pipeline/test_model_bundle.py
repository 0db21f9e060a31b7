"""``build_bundle.sh --with-model NAME``: the model is re-hashed, copied into the bundle's models/, and found there."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from desktop_app.core.errors import ModelError
from desktop_app.pipeline import model_registry
from desktop_app.pipeline.model_bundle import stage_for_bundle
from desktop_app.pipeline.model_registry import ModelRegistry

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def user(tmp_path: Path) -> ModelRegistry:
    """The build machine's models folder, holding a small model added from a folder (tiny.en under another name)."""
    registry = ModelRegistry(tmp_path / "user-models")
    registry.import_folder(registry.resolve("tiny.en"), "field-model")
    return registry


@pytest.fixture
def bundle_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bundle's ``models/`` folder: the app's own files (linked), as PyInstaller lays them out."""
    folder = tmp_path / "dist" / "models"
    folder.mkdir(parents=True)
    for path in (ROOT / "models").iterdir():
        if path.is_file():
            (folder / path.name).symlink_to(path)
    monkeypatch.setattr(model_registry, "app_models_dir", lambda: folder)
    return folder


def test_the_bundled_model_is_copied_verified_and_found(user: ModelRegistry, bundle_models: Path, tmp_path: Path) -> None:
    folder = stage_for_bundle("field-model", bundle_models, user)
    assert folder == bundle_models / "field-model" and (folder / "model.bin").is_file()
    assert not [p for p in bundle_models.iterdir() if p.name.startswith(".")], "no staging folder left"
    site = ModelRegistry(tmp_path / "site-user-models")  # a fresh installation at the study site
    entry = next(e for e in site.verify("field-model"))
    assert (entry.source, entry.verified, entry.path) == ("app", True, folder)
    assert site.resolve("field-model") == folder


def test_a_damaged_model_is_not_bundled(user: ModelRegistry, bundle_models: Path) -> None:
    with (user.user_dir / "field-model" / "tokenizer.json").open("r+b") as handle:
        handle.write(b"#")
    with pytest.raises(ModelError, match="not match (their recorded hashes|its pinned sha256)"):
        stage_for_bundle("field-model", bundle_models, user)
    assert not (bundle_models / "field-model").exists()


def test_a_model_without_pins_is_refused(user: ModelRegistry, bundle_models: Path) -> None:
    (user.user_dir / "field-model" / "verbatim-model.json").unlink()
    with pytest.raises(ModelError, match="no sha256 pins to check"):
        stage_for_bundle("field-model", bundle_models, user)


@pytest.mark.slow
def test_the_self_test_finds_and_uses_the_bundled_model(
    user: ModelRegistry, bundle_models: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop_app.self_test import run_self_test

    stage_for_bundle("field-model", bundle_models, user)
    assert run_self_test(["--model", "field-model"]) == 0
    out = capsys.readouterr().out
    assert "field-model (app)" in out and "field-model:" in out


def test_the_build_script_rejects_an_unknown_option() -> None:
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "build_bundle.sh"), "--with-modle", "x"], capture_output=True, text=True
    )
    assert result.returncode == 2 and "unknown option --with-modle" in result.stderr
