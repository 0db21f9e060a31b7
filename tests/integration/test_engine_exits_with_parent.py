"""A ``verbatim transcribe`` killed with -9 takes its engine child with it (no orphan transcribing for nobody)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_app.cli import run
from tests.fixtures.speech import SpeechFixture

pytestmark = pytest.mark.slow


def _living(group: int) -> list[str]:
    """Processes of the group that still run (zombies waiting for init to reap them do not count)."""
    out = subprocess.run(["ps", "-g", str(group), "-o", "pid=,stat=,args="], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.split()[1][0] != "Z"]


def test_engine_child_exits_when_the_cli_is_killed(tmp_path: Path, focus_group_speech: SpeechFixture) -> None:
    long_recording = tmp_path / "three_times.wav"  # long enough that an orphan would still be working
    wav = str(focus_group_speech.wav)
    subprocess.run(["sox", wav, wav, wav, str(long_recording)], check=True)
    study = tmp_path / "study.verbatim"
    assert run(["new", str(study)]) == 0
    assert run(["import", str(study), str(long_recording)]) == 0
    cmd = [sys.executable, "-m", "desktop_app", "transcribe", str(study), "--model", "tiny.en", "--json"]
    cli = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        assert cli.stdout is not None
        for line in cli.stdout:
            if '"event": "started"' in line:  # the engine child is transcribing now
                break
        assert len(_living(cli.pid)) >= 2, "the engine child should be running beside the CLI"
        os.kill(cli.pid, signal.SIGKILL)  # the CLI only, as a crash would: not its process group
        cli.wait()
        deadline = time.perf_counter() + 2.0
        while _living(cli.pid) and time.perf_counter() < deadline:
            time.sleep(0.05)
        assert _living(cli.pid) == [], "the engine kept running after its parent was killed"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(cli.pid, signal.SIGKILL)
