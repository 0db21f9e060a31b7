"""``python -m desktop_app --self-test`` from source: the check an installer's bundle also runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.self_test import describe_steps

ROOT = Path(__file__).resolve().parents[2]


def _self_test(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", "--self-test", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_self_test_passes_and_prints_every_step_with_its_time(tmp_path: Path) -> None:
    result = _self_test("--keep", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Verbatim ") and "self-test (source" in lines[0]
    steps = describe_steps()
    for step in steps:
        line = next(line for line in lines if step["title"] in line)
        assert line.startswith(f"[{step['number']}/{len(steps)}]") and " ok (" in line and " s)" in line
    assert "2 speakers" in result.stdout
    assert lines[-1].startswith("Self-test passed in ")
    assert (tmp_path / "sample.docx").is_file() and (tmp_path / "sample.json").is_file()


@pytest.mark.slow
def test_self_test_failure_names_the_step_and_exits_non_zero() -> None:
    result = _self_test("--model", "no-such-model")
    assert result.returncode == 1
    assert "Self-test FAILED: Find the bundled models: no model named 'no-such-model'" in result.stderr
    assert "Self-test passed" not in result.stdout
