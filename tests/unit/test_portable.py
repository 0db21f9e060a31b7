"""Portable mode: a ``portable.txt`` beside the executable (or ``--portable``) keeps data beside it."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from desktop_app import portable
from desktop_app.portable import MARKER_FILE, PortableLayout, enable_portable_mode, portable_layout

VARIABLES = ("VERBATIM_DATA_DIR", "VERBATIM_MODELS_DIR", "VERBATIM_CONFIG_DIR")


def test_without_marker_nothing_changes(tmp_path: Path) -> None:
    environ: dict[str, str] = {}
    args, layout = enable_portable_mode(["info", "study.verbatim"], environ, tmp_path)
    assert (args, layout, environ) == (["info", "study.verbatim"], None, {})
    assert list(tmp_path.iterdir()) == []


def test_marker_puts_settings_and_models_beside_the_executable(tmp_path: Path) -> None:
    (tmp_path / MARKER_FILE).write_text("")
    environ: dict[str, str] = {}
    args, layout = enable_portable_mode(["models", "list"], environ, tmp_path)
    data = (tmp_path / "VerbatimData").resolve()
    assert args == ["models", "list"]
    assert layout == PortableLayout(data)
    assert environ == {
        "VERBATIM_DATA_DIR": str(data),
        "VERBATIM_MODELS_DIR": str(data / "models"),
        "VERBATIM_CONFIG_DIR": str(data / "settings"),
    }
    assert (data / "models").is_dir() and (data / "settings").is_dir()


def test_marker_may_name_the_data_folder(tmp_path: Path) -> None:
    (tmp_path / MARKER_FILE).write_text("# where Verbatim keeps its data on this stick\n\n  Team data  \n")
    layout = portable_layout(tmp_path)
    assert layout is not None and layout.data_dir == (tmp_path / "Team data").resolve()


def test_flag_forces_portable_mode_for_one_run(tmp_path: Path) -> None:
    environ: dict[str, str] = {}
    args, layout = enable_portable_mode(["--portable", "--self-test"], environ, tmp_path)
    assert args == ["--self-test"]
    assert layout is not None and environ["VERBATIM_MODELS_DIR"] == str(layout.models_dir)
    assert not (tmp_path / MARKER_FILE).exists(), "the flag must not make later runs portable"


def test_variables_the_user_set_win(tmp_path: Path) -> None:
    (tmp_path / MARKER_FILE).write_text("")
    environ = {"VERBATIM_MODELS_DIR": "/srv/shared-models"}
    _, layout = enable_portable_mode([], environ, tmp_path)
    assert layout is not None
    assert environ["VERBATIM_MODELS_DIR"] == "/srv/shared-models"
    assert environ["VERBATIM_CONFIG_DIR"] == str(layout.config_dir)


def test_data_folder_that_cannot_be_created_leaves_normal_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / MARKER_FILE).write_text("")
    (tmp_path / "VerbatimData").write_text("a file where the folder should be")
    environ: dict[str, str] = {}
    args, layout = enable_portable_mode(["--portable"], environ, tmp_path)
    assert (args, layout, environ) == ([], None, {})
    assert "portable mode is off" in capsys.readouterr().err


def test_executable_folder_is_the_bundle_folder_when_frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert portable.executable_folder() == Path(__file__).resolve().parents[2]  # from source: the repository
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "Verbatim"))
    assert portable.executable_folder() == tmp_path


def test_main_runs_a_command_with_portable_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop_app.__main__ import main

    for name in VARIABLES:  # set first, so that the values main() writes are undone after the test
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.setattr(portable, "executable_folder", lambda: tmp_path)
    (tmp_path / MARKER_FILE).write_text("")
    assert main(["models", "list", "--json"]) == 0
    names = {m["name"] for m in json.loads(capsys.readouterr().out)["models"]}
    assert "tiny.en" in names
    data = (tmp_path / "VerbatimData").resolve()
    assert os.environ["VERBATIM_MODELS_DIR"] == str(data / "models")
    assert os.environ["VERBATIM_CONFIG_DIR"] == str(data / "settings")
