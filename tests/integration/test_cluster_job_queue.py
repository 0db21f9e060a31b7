"""``--cluster slurm``: workers started as batch jobs, end to end, with stand-ins for sbatch and scancel.

The stand-ins run the job script dask-jobqueue writes on this machine (in its own process group)
and stop it, as SLURM would on a compute node; everything else is real: the scheduler in the CLI
process, the worker the job script starts, the per-run TLS certificates between them.
"""

from __future__ import annotations

import os
from pathlib import Path

import dask
import pytest

from desktop_app.cli import run
from desktop_app.services.study import import_service, project_service
from desktop_app.storage.transcripts import transcript_repository

pytestmark = [pytest.mark.slow, pytest.mark.loopback]

SBATCH = """#!/bin/bash
dir="{folder}"
script="$dir/job-$$.sh"
cp "${{@: -1}}" "$script"
setsid bash "$script" > "$dir/job-$$.log" 2>&1 < /dev/null &
echo "Submitted batch job $!"
"""
SCANCEL = """#!/bin/bash
for job in "$@"; do kill -TERM -- "-$job" 2>/dev/null; done
exit 0
"""


@pytest.fixture
def fake_slurm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "slurm"
    (folder / "bin").mkdir(parents=True)
    for name, text in (("sbatch", SBATCH.format(folder=folder)), ("scancel", SCANCEL)):
        (folder / "bin" / name).write_text(text, encoding="utf-8")
        (folder / "bin" / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder / 'bin'}{os.pathsep}{os.environ['PATH']}")
    return folder


def test_transcribe_on_slurm_jobs_writes_the_job_script_and_the_transcript(
    tmp_path: Path, shared_data: Path, fake_slurm: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = project_service.create_project(tmp_path / "study.verbatim")
    assert import_service.import_recordings(store, [shared_data / "jfk.flac"]).ok
    store.close()
    script = tmp_path / "job.sh"
    loopback = {  # the scheduler and the worker on loopback only (a real cluster uses its own network)
        "jobqueue.slurm.scheduler-options": {"host": "127.0.0.1"},
        "jobqueue.slurm.worker-extra-args": ["--host", "127.0.0.1"],
    }
    with dask.config.set(loopback):
        code = run(
            ["transcribe", str(store.path), "--all", "--model", "tiny.en", "--language", "en",
             "--cluster", "slurm", "--jobs", "1", "--gpus-per-job", "1", "--job-script", str(script)]
        )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    job = script.read_text(encoding="utf-8")
    assert "#SBATCH --gres=gpu:1" in job and "tls://127.0.0.1:" in job and "--tls-ca-file" in job
    assert list(fake_slurm.glob("job-*.log")), "no job was submitted"
    assert list(tmp_path.glob(".dask-jobqueue.*")) == []  # the run's certificates are gone
    reader = project_service.open_project(store.path, readonly=True)
    text = " ".join(s.text for s in transcript_repository.load_transcript(reader, 1).segments).lower()
    reader.close()
    assert "ask not what your country can do for you" in text
