"""Preferences ▸ Models against a fake hub on 127.0.0.1: download with progress, cancel and resume, remove,
downloads switched off (then only "Add model from folder…")."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.gui.preferences.models_page import ModelsPage
from desktop_app.gui.preferences.preferences_dialog import PreferencesDialog
from desktop_app.gui.shell.settings import AppSettings
from desktop_app.services.transcription import model_service
from tests.fixtures.model_hub import FakeHub, published_hub


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeHub]:
    yield from published_hub(monkeypatch, tmp_path)


def state_of(page: ModelsPage, name: str) -> str:
    return str(page.table_model.data(page.table_model.index(page.table_model.row_named(name), 6)))


@pytest.mark.loopback
def test_download_shows_progress_and_installs(qtbot: QtBot, hub: FakeHub) -> None:
    page = ModelsPage()
    qtbot.addWidget(page)
    assert state_of(page, "fake") == "not installed" and hub.requests == [], "nothing is fetched until asked"
    page.select("fake")
    assert page.download_button.isEnabled() and page.download_button.text() == "Download (0.00 GB)"
    messages: list[str] = []
    page._relay.progress.connect(lambda _p: messages.append(page.status.text()))
    page.download_button.click()
    qtbot.waitUntil(lambda: "Installed fake" in page.status.text(), timeout=20_000)
    assert state_of(page, "fake") == "verified"
    assert any("MB/s" in m and "of" in m for m in messages)
    assert page.remove_button.isEnabled() and not page.download_button.isEnabled()
    page.remove_selected(confirm=False)
    assert state_of(page, "fake") == "not installed"


@pytest.mark.loopback
def test_cancel_then_resume(qtbot: QtBot, hub: FakeHub) -> None:
    hub.chunk_delay = 0.003
    page = ModelsPage()
    qtbot.addWidget(page)
    page.select("fake")
    page.download_button.click()
    qtbot.waitUntil(lambda: page.progress.value() > 50, timeout=20_000)
    page.cancel_button.click()
    qtbot.waitUntil(lambda: "Download stopped" in page.status.text(), timeout=20_000)
    assert state_of(page, "fake").startswith("partly downloaded")
    assert page.download_button.text().startswith("Resume download")
    hub.chunk_delay = 0.0
    page.download_button.click()
    qtbot.waitUntil(lambda: "Installed fake" in page.status.text(), timeout=20_000)
    assert any(r and r.startswith("bytes=") for _, r in hub.requests), "the second download resumed with a range"


@pytest.mark.loopback
def test_a_tampered_file_is_reported_and_nothing_installed(qtbot: QtBot, hub: FakeHub) -> None:
    hub.served["model.bin"] = b"x" * len(hub.files["model.bin"])
    page = ModelsPage()
    qtbot.addWidget(page)
    page.select("fake")
    page.download_button.click()
    qtbot.waitUntil(lambda: "does not match its pinned sha256" in page.status.text(), timeout=20_000)
    assert "deleted" in page.status.text() and state_of(page, "fake").startswith(("not installed", "partly"))


def test_downloads_off_leaves_only_add_from_folder(qtbot: QtBot) -> None:
    page = ModelsPage()
    qtbot.addWidget(page)
    page.show()
    assert page.allow_downloads.isChecked() and page.download_button.isVisible()
    page.allow_downloads.setChecked(False)
    assert not model_service.downloads_enabled()
    assert not page.download_button.isVisible() and page.add_button.isVisible() and page.add_button.isEnabled()
    assert ModelsPage().allow_downloads.isChecked() is False, "the choice is remembered"


def test_an_installer_without_downloads_hides_the_switch(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "policy.json").write_text(json.dumps({"downloads": False}))
    monkeypatch.setattr(model_service, "app_models_dir", lambda: tmp_path)
    page = ModelsPage()
    qtbot.addWidget(page)
    page.show()
    assert not page.allow_downloads.isVisible() and not page.download_button.isVisible()
    assert page.add_button.isVisible()
    assert page.offline_note.text() == (
        "Downloads are off: this installation was built without model downloads; add models from a folder."
    )


def test_preferences_has_a_models_tab(qtbot: QtBot) -> None:
    dialog = PreferencesDialog(AppSettings())
    qtbot.addWidget(dialog)
    dialog.show_models()
    assert dialog.tabs.currentWidget() is dialog.models_page
    names = [r.name for r in dialog.models_page.table_model.rows]
    assert {"small", "medium", "large-v3", "large-v3-turbo", "distil-large-v3", "base", "tiny.en"} <= set(names)


def test_measure_speed_fills_the_speed_column(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VERBATIM_MODELS_DIR", str(tmp_path / "models"))
    page = ModelsPage()
    qtbot.addWidget(page)
    page.select("tiny.en")
    assert page.measure_button.isEnabled()
    page.measure_button.click()
    qtbot.waitUntil(lambda: "real time on this computer" in page.status.text(), timeout=60_000)
    row = page.table_model.row_named("tiny.en")
    assert str(page.table_model.data(page.table_model.index(row, 5))).endswith("× real time")


def test_add_model_from_folder_works_with_downloads_off(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("VERBATIM_MODELS_DIR", str(tmp_path / "models"))
    model_service.set_downloads_enabled(False)
    usb = tmp_path / "usb" / "swedish-model"
    usb.parent.mkdir()
    import shutil

    shutil.copytree(model_service.resolve_model("tiny.en"), usb)
    page = ModelsPage()
    qtbot.addWidget(page)
    page.add_from_folder(usb)
    qtbot.waitUntil(lambda: "Added swedish-model" in page.status.text(), timeout=30_000)
    row = page.table_model.rows[page.table_model.row_named("swedish-model")]
    assert row.state == "verified" and row.origin == f"added from folder {usb}"
    page.select("swedish-model")
    assert page.remove_button.isEnabled()
