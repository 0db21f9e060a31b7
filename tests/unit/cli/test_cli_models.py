"""``verbatim models`` against a fake hub on 127.0.0.1: list, download, remove, the downloads switch."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.cli import run
from tests.fixtures.model_hub import FakeHub, fake_files, publish, published_hub, serve


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeHub]:
    yield from published_hub(monkeypatch, tmp_path)


def listing(capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, object]]:
    capsys.readouterr()
    assert run(["models", "list", "--json"]) == 0
    return {m["name"]: m for m in json.loads(capsys.readouterr().out)["models"]}


def test_list_shows_every_model_worth_having(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["models", "list"]) == 0
    out = capsys.readouterr().out
    for name in ("tiny.en", "base", "small", "medium", "large-v3", "large-v3-turbo", "distil-large-v3"):
        assert f"\n{name} " in out
    assert "English only" in out and "99 languages" in out and "WER" in out
    assert "Downloads: on request only" in out
    assert "\nDevice:    cpu int8 (0 CUDA devices found)" in out or "cuda float16" in out


@pytest.mark.loopback
def test_download_list_and_remove(hub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    assert listing(capsys)["fake"]["state"] == "not installed"
    assert run(["models", "download", "fake"]) == 0
    captured = capsys.readouterr()
    assert "Installed fake (verified)" in captured.out
    assert "Downloading fake: 0.00 GB from http://127.0.0.1:" in captured.err and "100.0%" in captured.err
    row = listing(capsys)["fake"]
    assert row["state"] == "verified"
    assert str(row["origin"]).startswith("downloaded from verbatim-tests/fake-whisper@")
    assert run(["models", "remove", "fake"]) == 0
    assert listing(capsys)["fake"]["state"] == "not installed"


@pytest.mark.loopback
def test_downloads_off_refuses_without_a_connection(hub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["models", "downloads", "off"]) == 0
    assert "Model downloads: off" in capsys.readouterr().out
    assert run(["models", "download", "fake"]) == 2
    assert "turned off in Preferences ▸ Models; add models from a folder" in capsys.readouterr().err
    assert hub.requests == []
    assert run(["models", "downloads", "on"]) == 0
    assert run(["models", "download", "fake"]) == 0


def test_removing_a_bundled_model_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["models", "remove", "tiny.en"]) == 2
    assert "only models you added can be removed" in capsys.readouterr().err


def test_an_unknown_download_names_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["models", "download", "huge-v9"]) == 2
    err = capsys.readouterr().err
    assert "no downloadable model named 'huge-v9'" in err and "large-v3-turbo" in err


def test_without_the_loopback_mark_even_the_fake_hub_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.conftest import NetworkAccessError

    monkeypatch.setenv("VERBATIM_MODELS_DIR", str(tmp_path / "models"))
    fake = FakeHub(fake_files())
    for _ in serve(fake):
        publish(fake, monkeypatch)
        with pytest.raises(NetworkAccessError):
            run(["models", "download", "fake"])
    assert fake.requests == []
