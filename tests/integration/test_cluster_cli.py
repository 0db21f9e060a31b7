"""``verbatim transcribe --cluster`` and ``verbatim worker-check`` as a researcher types them (tiny.en)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.cli import run
from desktop_app.services.study import import_service, project_service
from desktop_app.storage.transcripts import run_repository, transcript_repository

pytestmark = pytest.mark.slow


def _study(tmp_path: Path, *recordings: Path) -> Path:
    store = project_service.create_project(tmp_path / "study.verbatim")
    assert import_service.import_recordings(store, recordings).ok
    store.close()
    return store.path


@pytest.mark.loopback
def test_transcribe_all_on_local_workers_then_nothing_is_left(
    tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = _study(tmp_path, shared_data / "jfk.flac", shared_data / "librispeech_1272-128104-0000.wav")
    args = ["transcribe", str(study), "--all", "--model", "tiny.en", "--language", "en", "--cluster", "local:2"]
    assert run([*args, "--json"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [e["id"] for e in events if e["event"] == "finished"] != []
    assert events[-1] == events[-1] | {"event": "batch", "finished": 2, "failed": 0}
    store = project_service.open_project(study, readonly=True)
    text = " ".join(s.text for s in transcript_repository.load_transcript(store, 1).segments).lower()
    assert "ask not what your country can do for you" in text
    assert run_repository.list_runs(store, 2)[-1].options["compute"] == "local:2"
    store.close()
    assert run(args) == 0
    assert "Nothing to transcribe" in capsys.readouterr().out


@pytest.mark.loopback
def test_a_transcribed_document_is_not_replaced_by_a_cluster_run(
    tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = _study(tmp_path, shared_data / "jfk.flac")
    args = ["transcribe", str(study), "1", "--model", "tiny.en", "--language", "en"]
    assert run(args) == 0  # this computer
    store = project_service.open_project(study, readonly=True)
    before = transcript_repository.load_transcript(store, 1).words
    store.close()
    assert run([*args, "--cluster", "local:1", "--restart"]) == 1
    assert "already has a transcript" in capsys.readouterr().err
    store = project_service.open_project(study, readonly=True)
    assert transcript_repository.load_transcript(store, 1).words == before
    store.close()


@pytest.mark.parametrize("address", ["tcp://10.20.30.40:8786", "scheduler.example.org:8786"])
def test_plain_tcp_to_another_computer_is_refused_before_any_connection(
    tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str], address: str
) -> None:
    study = _study(tmp_path, shared_data / "jfk.flac")  # the suite's guard fails any connection attempt
    assert run(["transcribe", str(study), "--all", "--model", "tiny.en", "--cluster", address]) == 2
    err = capsys.readouterr().err
    assert "unencrypted" in err and "--insecure" in err and "tls://" in err
    assert run(["worker-check", address]) == 2
    store = project_service.open_project(study, readonly=True)
    assert run_repository.list_runs(store, 1) == []  # nothing was started or written
    store.close()


@pytest.mark.loopback
def test_worker_check_reports_each_workers_device_models_and_speed(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["worker-check", "local:2", "--model", "tiny.en", "--json"]) == 0
    workers = json.loads(capsys.readouterr().out)["workers"]
    assert len(workers) == 2 and len({w["worker"] for w in workers}) == 2
    for worker in workers:
        assert worker["device"] == "cpu int8" and "tiny.en" in worker["models"]
        assert worker["speed"] > 0.2 and worker["spill_to_disk"] is False and worker["problem"] == ""
    assert run(["worker-check", "local:1", "--model", "no-such-model"]) == 1
    assert "no-such-model" in capsys.readouterr().out
