"""Transcription on a Dask LocalCluster of real worker processes, against the single-machine path (tiny.en).

Chunks are the engine's blocks, so with the same ``block_seconds`` the cluster hears exactly what
one machine hears: the words (and their times) must be the same, even when a worker is killed
mid-document or the client is killed and the batch run again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_app.core.transcript import Word
from desktop_app.pipeline.asr_options import TranscriptionOptions
from desktop_app.services.study import import_service, project_service
from desktop_app.services.transcription.cluster_transcription_service import BatchListener, transcribe_with_client
from desktop_app.services.transcription.transcription_service import transcribe_document
from desktop_app.storage.project_store import ProjectStore
from desktop_app.storage.transcripts import run_repository, transcript_repository
from tests.fixtures.cluster import local_cluster
from tests.fixtures.speech import SpeechFixture

pytestmark = [pytest.mark.slow, pytest.mark.loopback]  # loopback only
ROOT = Path(__file__).resolve().parents[2]
CHUNKED = TranscriptionOptions(model="tiny.en", language="en", block_seconds=20)  # ~60 s: three chunks at once


def _study(path: Path, *recordings: Path) -> tuple[ProjectStore, list[int]]:
    store = project_service.create_project(path)
    result = import_service.import_recordings(store, recordings)
    assert result.ok, result.failed
    return store, [d.id for d in result.imported]


def _words(store: ProjectStore, document_id: int) -> list[tuple[str, float, float]]:
    words: list[Word] = transcript_repository.load_transcript(store, document_id).words
    return [(w.text, w.start, w.end) for w in words]


def _segments(store: ProjectStore, document_id: int) -> list[str]:
    return [s.text for s in transcript_repository.load_transcript(store, document_id).segments]


@pytest.fixture(scope="module")
def single_machine(tmp_path_factory: pytest.TempPathFactory, focus_group_speech: SpeechFixture) -> dict[str, list]:
    """The focus group transcribed by today's path (engine child process), chunked as the cluster chunks it."""
    store, (doc,) = _study(tmp_path_factory.mktemp("single") / "single.verbatim", focus_group_speech.wav)
    transcribe_document(store, doc, CHUNKED)
    reference: dict[str, list] = {"words": _words(store, doc), "segments": _segments(store, doc)}
    store.close()
    assert len(reference["words"]) > 80
    return reference


def test_batch_on_local_workers_equals_the_single_machine_transcript(
    tmp_path: Path, focus_group_speech: SpeechFixture, shared_data: Path, single_machine: dict
) -> None:
    from desktop_app.pipeline.cluster.connection import ClusterSpec
    from desktop_app.services.transcription.cluster_transcription_service import transcribe_on_cluster

    store, (doc, jfk) = _study(tmp_path / "cluster.verbatim", focus_group_speech.wav, shared_data / "jfk.flac")
    seen: list[tuple[int, float]] = []
    batch: list[float] = []
    listener = BatchListener(
        on_progress=lambda d, p: seen.append((d, p.done_seconds)),
        on_batch_progress=lambda p: batch.append(p.done_seconds / p.total_seconds),
    )
    result = transcribe_on_cluster(store, [doc, jfk], CHUNKED, ClusterSpec("local:2"), listener)
    assert result.failed == {} and len(result.outcomes) == 2
    assert _words(store, doc) == single_machine["words"]
    assert _segments(store, doc) == single_machine["segments"]
    assert "ask not what your country can do for you" in " ".join(_segments(store, jfk)).lower()
    focus = [done for d, done in seen if d == doc]
    assert len(focus) >= 3 and focus == sorted(focus)  # several chunks, written in recording order
    assert batch[-1] == pytest.approx(1.0, abs=0.01)
    run = run_repository.list_runs(store, doc)[-1]
    assert run.state == "finished" and run.options["compute"] == "local:2" and run.language == "en"


def test_a_worker_killed_mid_document_is_retried_and_nothing_differs(
    tmp_path: Path, focus_group_speech: SpeechFixture, single_machine: dict
) -> None:
    from distributed import Client

    store, (doc,) = _study(tmp_path / "study.verbatim", focus_group_speech.wav)
    killed: list[int] = []
    with local_cluster(2) as cluster, Client(cluster) as client:
        pids = client.run(os.getpid)

        def kill_a_busy_worker(_: int, __: object) -> None:
            if killed:
                return
            busy = [address for address, tasks in client.processing().items() if tasks]
            if busy:
                killed.append(pids[busy[0]])
                os.kill(pids[busy[0]], signal.SIGKILL)

        listener = BatchListener(on_progress=kill_a_busy_worker)
        result = transcribe_with_client(store, [doc], CHUNKED, client, listener)
    assert killed, "no worker was busy when the first chunk came back"
    assert result.failed == {}
    assert _words(store, doc) == single_machine["words"]
    assert run_repository.list_runs(store, doc)[-1].state == "finished"


CLIENT = """
import sys
from pathlib import Path
from distributed import Client
from desktop_app.pipeline.asr_options import TranscriptionOptions
from desktop_app.services.study import project_service
from desktop_app.services.transcription.cluster_transcription_service import transcribe_with_client

store = project_service.open_project(Path(sys.argv[1]))
with Client(sys.argv[2]) as client:
    transcribe_with_client(store, [1], TranscriptionOptions(model="tiny.en", language="en", block_seconds=20), client)
"""


def test_a_killed_client_loses_nothing_stored_and_the_rerun_completes_it_identically(
    tmp_path: Path, focus_group_speech: SpeechFixture, single_machine: dict
) -> None:
    from distributed import Client

    path = tmp_path / "study.verbatim"
    store, (doc,) = _study(path, focus_group_speech.wav)
    store.close()
    with local_cluster(2) as cluster:
        child = subprocess.Popen([sys.executable, "-c", CLIENT, str(path), cluster.scheduler_address], cwd=ROOT)
        stored = _wait_for_segments(path, doc, child)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        store = project_service.open_project(path)
        kept = _words(store, doc)
        assert stored == kept[: len(stored)] and kept == single_machine["words"][: len(kept)]
        assert len(kept) < len(single_machine["words"])  # killed part-way
        with Client(cluster) as client:
            result = transcribe_with_client(store, [doc], CHUNKED, client)
    assert result.outcomes[0].resumed_from > 0
    assert _words(store, doc) == single_machine["words"]
    assert _segments(store, doc) == single_machine["segments"]
    assert [r.state for r in run_repository.list_runs(store, doc)] == ["interrupted", "finished"]
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _wait_for_segments(path: Path, doc: int, child: subprocess.Popen[bytes]) -> list[tuple[str, float, float]]:
    """The words stored once the client has committed its first segments (polled read-only)."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert child.poll() is None, "the client finished before it could be killed"
        reader = project_service.open_project(path, readonly=True)
        try:
            words = _words(reader, doc)
        finally:
            reader.close()
        if words:
            return words
        time.sleep(0.05)
    raise AssertionError("the client stored nothing in four minutes")
