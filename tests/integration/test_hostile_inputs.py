"""Hostile and broken inputs through the real CLI, each in its own process (``python -m desktop_app``).

Every refusal is exit status 2 and one line naming the file and the problem, never a traceback, and
a study that already held data is unchanged afterwards (its SQL dump, or its bytes when it cannot be
read). Odd but valid recordings (8 channels at 96 kHz, a 255-byte name, 8 hours of silence) import,
and the speech in them is transcribed correctly. Transcribing the 8 silent hours takes about three
minutes on two cores (measured: no words, 440 MB peak memory), too slow for the suite: here it is
imported and probed only, with its time and memory checked.

In-process checks of the common cases live in ``tests/unit/cli/test_cli_study.py``; this file reuses
its media helpers (``tests/fixtures/media_formats.py``) through ``tests/fixtures/hostile_inputs.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from desktop_app.services.study import import_service, project_service
from desktop_app.services.transcript import edit_service
from tests.fixtures.hostile_inputs import (
    EIGHT_HOURS,
    PASSPHRASE,
    SHORT_TURN,
    Hostile,
    hostile_recordings,
    hostile_studies,
    short_speech,
    study_with_data,
)
from tests.fixtures.scoring import wer

ROOT = Path(__file__).resolve().parents[2]
Run = subprocess.CompletedProcess[str]


def verbatim(*args: str | Path) -> Run:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *(str(a) for a in args)],
        cwd=ROOT,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,
    )


def in_parallel(calls: list[tuple[str | Path, ...]]) -> list[Run]:
    """CLI runs two at a time (each is mostly interpreter start-up)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda call: verbatim(*call), calls))


def assert_refused(result: Run, name: str, problem: str) -> None:
    context = f"{result.args[3:]}: {result.stderr or result.stdout}"
    assert "Traceback" not in result.stderr + result.stdout, context
    assert result.returncode == 2, context
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, context
    assert lines[0].startswith("verbatim: error: ") and name in lines[0] and problem in lines[0], context


def dump(study: Path) -> list[str]:
    with sqlite3.connect(study) as db:
        lines = list(db.iterdump())
    db.close()
    return lines


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_broken_recordings_are_refused_and_the_study_is_unchanged(tmp_path: Path) -> None:
    study = study_with_data(tmp_path / "study.verbatim")
    recording = shutil.copy(short_speech().wav, tmp_path / "interview.wav")
    with project_service.open_project(study) as store:
        (document,) = import_service.import_recordings(store, [Path(recording)]).imported
    before = dump(study)
    broken = [case for case in hostile_recordings().values() if case.problem]
    results = in_parallel([("import", study, case.path) for case in broken])
    for case, result in zip(broken, results, strict=True):
        assert_refused(result, case.shown, case.problem)
        assert result.stdout == ""
    Path(recording).write_bytes(Path(recording).read_bytes()[:20000])  # the recording changed after import
    changed = verbatim("transcribe", study, str(document.id), "--model", "tiny.en")
    assert_refused(changed, "interview.wav", "has changed since it was imported")
    assert dump(study) == before


def _study_calls(cases: dict[str, Hostile], folder: Path) -> list[tuple[Hostile, tuple[str | Path, ...], str]]:
    """(case, CLI arguments, the phrase its message must hold) for each command worth trying on each study."""
    right, wrong = folder / "right.txt", folder / "wrong.txt"
    for file, text in ((right, PASSPHRASE), (wrong, "battery staple horse")):
        file.write_text(text + "\n")
        file.chmod(0o600)
    recording = short_speech().wav
    calls = []
    for name, case in cases.items():
        extra = ("--passphrase-file", wrong) if name == "wrong passphrase" else ()
        calls += [(case, ("info", case.path, *extra), case.problem)]
        calls += [(case, ("import", case.path, recording, *extra), case.problem)]
        if name in ("damaged page", "newer schema", "wrong passphrase"):
            calls += [(case, ("transcribe", case.path, "--all", "--model", "tiny.en", *extra), case.problem)]
            calls += [(case, ("undo", case.path, *extra), case.problem)]
    encrypted = cases["wrong passphrase"]
    calls += [(encrypted, ("info", encrypted.path), "give its passphrase")]  # no passphrase and no terminal to ask
    return calls


def test_broken_studies_are_refused_and_left_as_they_were(tmp_path: Path) -> None:
    cases = hostile_studies(tmp_path / "studies")
    before = {name: digest(case.path) for name, case in cases.items()}
    calls = _study_calls(cases, tmp_path)
    for (case, _args, problem), result in zip(calls, in_parallel([args for _, args, _ in calls]), strict=True):
        assert_refused(result, case.path.name, problem)
    assert {name: digest(case.path) for name, case in cases.items()} == before
    opened = verbatim("info", cases["wrong passphrase"].path, "--passphrase-file", tmp_path / "right.txt", "--json")
    assert opened.returncode == 0, opened.stderr
    assert [d["title"] for d in json.loads(opened.stdout)["documents"]] == ["Interview 1"]


def test_study_names_the_file_system_cannot_take_are_refused(tmp_path: Path) -> None:
    too_long = tmp_path / ("s" * 250 + ".verbatim")  # 259 bytes: over any file system's limit
    just_too_long = tmp_path / ("s" * 246 + ".verbatim")  # 255 bytes: fits, but its "-journal" would not
    not_utf8 = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"Studie \xe5r 2024.verbatim")))
    calls: list[tuple[str | Path, ...]] = [
        ("new", too_long),
        ("info", too_long),
        ("new", just_too_long),
        ("new", not_utf8),
    ]
    problems = ["too long", "File name too long", "too long", "not valid UTF-8"]
    for (_command, path), problem, result in zip(calls, problems, in_parallel(calls), strict=True):
        assert_refused(result, "s" * 240 if "s" * 240 in str(path) else "Studie \\xe5r 2024.verbatim", problem)
    assert list(tmp_path.iterdir()) == [], "a refused study must not leave a file behind"


def _peak_rss_of(*args: str | Path) -> tuple[Run, float, int]:
    """Run the CLI under a small parent that reports the CLI's peak memory (bytes) and the wall time."""
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "r = subprocess.run(sys.argv[1:]); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, file=sys.stderr); "
        "sys.exit(r.returncode)"
    )
    cmd = [sys.executable, "-c", probe, sys.executable, "-m", "desktop_app", *(str(a) for a in args)]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, encoding="utf-8", errors="replace", timeout=300)
    seconds, peak = result.stderr.strip().splitlines()[-1].split()
    return result, float(seconds), int(peak)


@pytest.mark.slow
def test_odd_but_valid_recordings_import_and_transcribe(tmp_path: Path) -> None:
    cases = hostile_recordings()
    study = tmp_path / "study.verbatim"
    assert verbatim("new", study).returncode == 0
    silent, seconds, peak = _peak_rss_of("import", study, cases["8 hours of silence"].path)
    assert silent.returncode == 0 and "(document 1, 08:00:00)" in silent.stdout, silent.stderr
    assert seconds < 30 and peak < 400e6, f"8 h of silence: {seconds:.1f} s, {peak / 1e6:.0f} MB"
    speech = [cases["8 channels 96 kHz"].path, cases["255-byte name"].path]
    imported = verbatim("import", study, *speech)
    assert imported.returncode == 0 and imported.stderr == "", imported.stderr
    info = json.loads(verbatim("info", study, "--json").stdout)["documents"]
    assert [d["title"] for d in info] == ["silent-8h", "multitrack-96k", speech[1].stem]
    assert info[0]["duration"] == pytest.approx(EIGHT_HOURS, abs=0.01)
    assert info[1]["duration"] == pytest.approx(short_speech().duration, abs=0.01)
    transcribed = verbatim("transcribe", study, "2", "3", "--model", "tiny.en")
    assert transcribed.returncode == 0 and "Traceback" not in transcribed.stderr, transcribed.stderr
    with project_service.open_project(study, readonly=True) as store:
        for document in (2, 3):
            text = " ".join(s.text for s in edit_service.load_transcript(store, document).segments)
            # 17 words: tiny.en makes 3 errors ("and your support worker"), sometimes a 4th ("Can you",
            # seen once in four CI runs: its int8 arithmetic is not bit-identical from run to run)
            assert wer(SHORT_TURN.text, text) < 0.3, text
        assert project_service.list_documents(store)[0].status.value == "imported"  # 8 h: not transcribed here
