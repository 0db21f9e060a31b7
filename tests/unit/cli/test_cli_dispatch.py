"""Only ``verbatim`` alone or ``verbatim STUDY.verbatim`` opens the window; a mistyped command is an error.

Before, any first word that was not a command started the GUI, which hangs on a server or over ssh.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app import __main__ as entry
from desktop_app import cli


@pytest.fixture
def gui_starts(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Records the arguments the GUI would be started with, instead of opening a window."""
    from desktop_app.gui.shell import app

    started: list[list[str]] = []
    monkeypatch.setattr(app, "run_gui", lambda args: started.append(args) or 0)
    return started


def test_a_typo_names_the_closest_command_and_exits_2(
    gui_starts: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert entry.main(["transcibe", "study.verbatim", "--all"]) == 2
    assert capsys.readouterr().err == "verbatim: error: unknown command 'transcibe'; did you mean 'transcribe'?\n"
    assert entry.main(["speaker", "study.verbatim", "1"]) == 2
    assert "did you mean 'speakers'?" in capsys.readouterr().err
    assert entry.main(["merg", "study.verbatim", "other.verbatim"]) == 2
    assert capsys.readouterr().err == "verbatim: error: unknown command 'merg'; did you mean 'merge'?\n"
    assert gui_starts == []


def test_a_word_like_no_command_points_to_help(gui_starts: list[list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    assert entry.main(["frobnicate", "x", "y"]) == 2
    assert capsys.readouterr().err == (
        "verbatim: error: unknown command 'frobnicate'; 'verbatim --help' lists the commands\n"
    )
    assert gui_starts == []


def test_the_gui_starts_alone_or_with_a_study_file(gui_starts: list[list[str]], tmp_path: Path) -> None:
    existing = tmp_path / "Nurses"
    existing.write_bytes(b"")
    assert entry.main([]) == 0
    assert entry.main(["Not yet made.verbatim"]) == 0
    assert entry.main([str(existing)]) == 0  # an existing file, as a file manager passes it
    assert gui_starts == [[], ["Not yet made.verbatim"], [str(existing)]]


def test_a_command_wins_over_a_file_of_its_name(
    gui_starts: list[list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("models").write_text("")
    assert entry.main(["models", "--json"]) == 0
    assert '"models"' in capsys.readouterr().out
    assert gui_starts == []


def test_every_command_module_registers_what_help_lists() -> None:
    names = cli.command_names()
    assert len(names) == len(set(names))
    assert {"new", "import", "transcribe", "diarize", "speakers", "export", "codes", "search", "qda", "restore"} <= set(
        names
    )
    for name in names:
        assert cli.unknown_command([name]) is None


def test_on_a_machine_without_a_display_a_typo_returns_at_once(tmp_path: Path) -> None:
    """The real program, in its own process with no display: it must answer, not wait for a window."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run(
        [sys.executable, "-m", "desktop_app", "frobnicate", "x", "y"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "unknown command 'frobnicate'" in done.stderr and "Traceback" not in done.stderr
