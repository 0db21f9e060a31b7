"""No network, provably: the whole CLI workflow runs where opening a connection is impossible.

Every Python process of the run (the CLI and the engine's child) gets an audit hook through a
``sitecustomize`` on PYTHONPATH (the CLI through a small ``-c`` wrapper too) that logs and refuses
``socket.connect``/``getaddrinfo``/``gethostbyname``; with ``unshare -rn`` available the run also
has no network interface but loopback. HF_HUB_OFFLINE is *not* set: the app must not need it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.speech import SpeechFixture

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]

GUARD = """
import os, sys

_LOG = os.environ["VERBATIM_NETWORK_LOG"]
_WATCHED = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
            "socket.gethostbyaddr", "socket.sendto", "socket.sendmsg"}


def _refuse(event, args):
    if event not in _WATCHED:
        return
    if event == "socket.connect" and isinstance(args[1], (str, bytes)):
        return  # a Unix socket on this machine, not the network
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {event} {args[1:]!r}\\n")
    raise PermissionError(f"network access refused: {event}")


sys.addaudithook(_refuse)
"""

WRAPPER = "import sys, network_guard; from desktop_app.cli import run; sys.exit(run(sys.argv[1:]))"


def _unshare_prefix() -> list[str]:
    if shutil.which("unshare") and subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0:
        return ["unshare", "-rn"]
    return []


@pytest.fixture
def sandbox(tmp_path: Path) -> dict[str, Path]:
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "network_guard.py").write_text(GUARD, encoding="utf-8")
    (guard / "sitecustomize.py").write_text("import network_guard  # noqa: F401\n", encoding="utf-8")
    (tmp_path / "tmp").mkdir()
    return {"guard": guard, "log": tmp_path / "network.log", "tmp": tmp_path / "tmp"}


def _run(sandbox: dict[str, Path], *args: str, code: str = WRAPPER) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "PYTHON"))}
    env.update(
        PYTHONPATH=os.pathsep.join([str(sandbox["guard"]), str(ROOT)]),
        VERBATIM_NETWORK_LOG=str(sandbox["log"]),
        TMPDIR=str(sandbox["tmp"]),
    )
    command = [*_unshare_prefix(), sys.executable, "-c", code, *args]
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)


CHILD_ATTEMPT = """
import multiprocessing as mp, socket

def attempt():
    try:
        socket.getaddrinfo("example.org", 80)
    except OSError:
        pass

if __name__ == "__main__":
    attempt()
    child = mp.get_context("spawn").Process(target=attempt)
    child.start()
    child.join()
"""


def test_the_guard_catches_attempts_in_the_process_and_its_spawned_children(
    sandbox: dict[str, Path], tmp_path: Path
) -> None:
    script = tmp_path / "attempt.py"
    script.write_text(CHILD_ATTEMPT, encoding="utf-8")
    result = _run(sandbox, code=f"import runpy; runpy.run_path({str(script)!r}, run_name='__main__')")
    assert result.returncode == 0, result.stderr
    pids = {line.split()[0] for line in sandbox["log"].read_text(encoding="utf-8").splitlines()}
    assert len(pids) == 2  # the wrapper and the spawned child both refused


def test_import_transcribe_speakers_export_attempts_no_connection(
    sandbox: dict[str, Path], tmp_path: Path, interview_speech: SpeechFixture
) -> None:
    study, secret = tmp_path / "study.verbatim", tmp_path / "pw.txt"
    secret.write_text("no network here\n", encoding="utf-8")
    recording = tmp_path / "interview.wav"
    shutil.copy(interview_speech.wav, recording)
    pw = ["--passphrase-file", str(secret)]
    steps = [
        ["new", str(study), "--encrypt", *pw],
        ["import", str(study), str(recording), "--embed", *pw],
        ["transcribe", str(study), "--all", "--model", "tiny.en", "--language", "en", "--speakers", "auto", *pw],
        ["pseudonyms", str(study), "add", "Sarah", "[P1]", *pw],
        ["export", str(study), "1", "-f", "json", "-o", str(tmp_path / "out.json"), *pw],
        ["export", str(study), "1", "-f", "docx", "-o", str(tmp_path / "out.docx"), "--pseudonymised", *pw],
        ["info", str(study), "--json", *pw],
    ]
    for step in steps:
        if step[0] == "pseudonyms":
            # The engine read the embedded copy; speaker splitting (diarization_service) still reads the
            # linked file, so the original goes only now. From here the encrypted study is the only copy.
            recording.unlink()
        result = _run(sandbox, *step)
        assert result.returncode == 0, (step[0], result.stdout, result.stderr)
    assert not sandbox["log"].exists(), sandbox["log"].read_text(encoding="utf-8")
    assert (tmp_path / "out.json").stat().st_size > 0 and (tmp_path / "out.docx").stat().st_size > 0
    assert "transcribed" in result.stdout
    leftovers = [p.name for p in sandbox["tmp"].rglob("*") if p.is_file()]
    assert set(leftovers) <= {".ses"}, leftovers  # onnxruntime's session id; no audio, no transcript


def test_the_models_manager_connects_to_nothing_unless_asked(sandbox: dict[str, Path]) -> None:
    """Listing models connects to nothing; with downloads switched off, asking for one is refused before any socket.

    (The settings folder is this test's own: VERBATIM_CONFIG_DIR passes through to the sandboxed CLI.)
    """
    listed = _run(sandbox, "models", "list")
    assert listed.returncode == 0 and "large-v3-turbo" in listed.stdout, listed.stderr
    assert _run(sandbox, "models", "downloads", "off").returncode == 0
    refused = _run(sandbox, "models", "download", "large-v3-turbo")
    assert refused.returncode == 2 and "model downloads are turned off" in refused.stderr
    assert not sandbox["log"].exists(), sandbox["log"].read_text(encoding="utf-8")
