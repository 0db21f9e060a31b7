"""The model catalogue and the downloads switch (setting, environment, installer build option)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.errors import ModelError
from desktop_app.services.transcription import model_service
from tests.fixtures.model_hub import FakeHub, published_hub


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeHub]:
    yield from published_hub(monkeypatch, tmp_path)


def test_catalogue_has_the_larger_models_with_their_facts() -> None:
    rows = {r.name: r for r in model_service.catalogue()}
    for name in ("small", "medium", "large-v3", "large-v3-turbo", "distil-large-v3"):
        row = rows[name]
        assert row.downloadable and row.installed is None and row.state == "not installed"
        assert row.size_bytes > 400e6 and row.ram_gb and row.accuracy and row.languages
    assert rows["distil-large-v3"].languages == "English only"
    assert rows["large-v3"].size_bytes == 3_090_835_702  # the sum of its five pinned files, as its publisher lists it
    assert rows["tiny.en"].installed is not None and rows["tiny.en"].origin.startswith("installed with Verbatim")


@pytest.mark.loopback
def test_download_then_remove_through_the_service(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app.core.file_hash import file_sha256

    hashed: list[Path] = []
    monkeypatch.setattr(
        "desktop_app.pipeline.model_registry.file_sha256", lambda path: hashed.append(path) or file_sha256(path)
    )
    entry = model_service.download("fake")
    assert entry.verified is True and entry.source == "user"
    assert not [p for p in hashed if entry.path in p.parents]  # checked against its pins as it arrived: not again
    row = next(r for r in model_service.catalogue() if r.name == "fake")
    assert row.state == "verified" and row.origin.startswith("downloaded from verbatim-tests/fake-whisper@")
    assert model_service.resolve_model("fake") == entry.path
    model_service.remove_model("fake")
    with pytest.raises(ModelError, match="'fake' is not installed: download it"):
        model_service.resolve_model("fake")


@pytest.mark.loopback
def test_the_setting_turns_downloads_off(hub: FakeHub) -> None:
    assert model_service.downloads_enabled()
    model_service.set_downloads_enabled(False)
    with pytest.raises(ModelError, match="turned off in Preferences"):
        model_service.download("fake")
    assert hub.requests == []
    model_service.set_downloads_enabled(True)
    assert model_service.download("fake").verified is True


@pytest.mark.loopback
def test_the_environment_turns_downloads_off(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERBATIM_NO_DOWNLOADS", "1")
    with pytest.raises(ModelError, match="VERBATIM_NO_DOWNLOADS"):
        model_service.download("fake")
    assert hub.requests == []


@pytest.mark.loopback
def test_an_installer_built_without_downloads_cannot_be_switched_back_on(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    app_models = tmp_path / "bundle-models"
    app_models.mkdir()
    (app_models / "policy.json").write_text(json.dumps({"downloads": False}))
    monkeypatch.setattr(model_service, "app_models_dir", lambda: app_models)
    model_service.set_downloads_enabled(True)
    assert not model_service.downloads_built_in()
    with pytest.raises(ModelError, match="built without model downloads"):
        model_service.download("fake")
    assert hub.requests == []


@pytest.mark.loopback
def test_a_stopped_download_shows_how_far_it_got(hub: FakeHub) -> None:
    hub.break_after = 500_000
    with pytest.raises(ModelError, match="stopped early"):
        model_service.download("fake")
    row = next(r for r in model_service.catalogue() if r.name == "fake")
    assert row.state == "partly downloaded" and 0 < row.partial_bytes < row.size_bytes
