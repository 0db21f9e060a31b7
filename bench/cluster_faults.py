"""Kill a worker, then the client, at random moments of a cluster run: every document must end identical.

    .venv/bin/python bench/cluster_faults.py [--trials 10] [--model tiny.en] [--seed 1]

One study of three recordings (the generated focus group, about a minute, and two shared clips),
transcribed in 20 s chunks on a LocalCluster of two worker processes (tests/fixtures/cluster.py).
First an uninterrupted run gives the reference words (text and times). Then ``--trials`` runs each:

- worker: a random busy worker is killed (SIGKILL) at a random moment of the run; Dask reruns
  its chunk on the other worker (the nanny restarts the dead one);
- client: the client (its own process, connected to the same scheduler) is killed at a random
  moment, then the batch is run again from this process, which resumes what is missing.

Printed per trial: when it was killed, whether the kill landed before the end, whether every
document ended finished and identical to the reference, and SQLite's integrity check. Exits 1 if
any trial differs.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop_app.pipeline.asr_options import TranscriptionOptions  # noqa: E402
from desktop_app.services.study import import_service, project_service  # noqa: E402
from desktop_app.services.transcription.cluster_transcription_service import transcribe_with_client  # noqa: E402
from desktop_app.storage.transcripts import run_repository, transcript_repository  # noqa: E402
from tests.fixtures.cluster import local_cluster  # noqa: E402
from tests.fixtures.speech import FOCUS_GROUP, make_speech  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
STARTUP_SECONDS = 3.0  # a client process importing the app and connecting, before it sends anything
CLIENT = """
import sys
from pathlib import Path
from distributed import Client
from desktop_app.pipeline.asr_options import TranscriptionOptions
from desktop_app.services.study import project_service
from desktop_app.services.transcription.cluster_transcription_service import transcribe_with_client

store = project_service.open_project(Path(sys.argv[1]))
options = TranscriptionOptions(model=sys.argv[3], language="en", block_seconds=20)
with Client(sys.argv[2]) as client:
    transcribe_with_client(store, [1, 2, 3], options, client)
"""


def words_of(path: Path) -> dict[int, list[tuple[str, float, float]]]:
    store = project_service.open_project(path, readonly=True)
    try:
        return {
            d: [(w.text, w.start, w.end) for w in transcript_repository.load_transcript(store, d).words]
            for d in (1, 2, 3)
        }
    finally:
        store.close()


def verdict(path: Path, reference: dict[int, Any]) -> tuple[bool, str]:
    store = project_service.open_project(path, readonly=True)
    try:
        states = [run_repository.list_runs(store, d)[-1].state for d in (1, 2, 3)]
        integrity = store.db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        store.close()
    same = words_of(path) == reference
    return same and integrity == "ok" and states == ["finished"] * 3, f"identical={same} integrity={integrity}"


def worker_trial(client: Any, template: Path, folder: Path, options: TranscriptionOptions, delay: float) -> bool:
    """Kill a busy worker ``delay`` seconds in; True if it was still running then."""
    path = folder / "worker.verbatim"
    shutil.copy(template, path)
    pids = client.run(os.getpid)
    killed: list[bool] = []

    def kill() -> None:
        busy = [a for a, tasks in client.processing().items() if tasks]
        if busy:
            os.kill(pids[busy[0]], signal.SIGKILL)
        killed.append(bool(busy))

    timer = threading.Timer(delay, kill)
    timer.start()
    store = project_service.open_project(path)
    transcribe_with_client(store, [1, 2, 3], options, client)
    store.close()
    timer.cancel()
    client.wait_for_workers(2, timeout=60)
    return bool(killed and killed[0])


def client_trial(client: Any, template: Path, folder: Path, options: TranscriptionOptions, delay: float) -> bool:
    """Kill the client process ``delay`` seconds in (after its start-up), then finish here; True if it had not finished."""
    path = folder / "client.verbatim"
    shutil.copy(template, path)
    address = client.scheduler.address
    child = subprocess.Popen([sys.executable, "-c", CLIENT, str(path), address, options.model], cwd=ROOT)
    try:
        child.wait(delay)
        landed = False
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.wait()
        landed = True
        print(f"  client killed with {sum(len(w) for w in words_of(path).values())} words stored; run again:", end="")
    store = project_service.open_project(path)
    transcribe_with_client(store, [1, 2, 3], options, client)
    store.close()
    return landed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    options = TranscriptionOptions(model=args.model, language="en", block_seconds=20)
    from distributed import Client

    with tempfile.TemporaryDirectory(prefix="cluster-faults-") as tmp:
        folder = Path(tmp)
        template = folder / "template.verbatim"
        store = project_service.create_project(template)
        recordings = [make_speech(FOCUS_GROUP).wav, SHARED / "jfk.flac", SHARED / "mfa_acoustic_corpus.wav"]
        import_service.import_recordings(store, recordings)
        store.close()
        with local_cluster(2) as cluster, Client(cluster) as client:
            shutil.copy(template, folder / "reference.verbatim")
            store = project_service.open_project(folder / "reference.verbatim")
            began = time.perf_counter()
            transcribe_with_client(store, [1, 2, 3], options, client)
            length = time.perf_counter() - began
            store.close()
            reference = words_of(folder / "reference.verbatim")
            print(f"uninterrupted: {length:.1f} s, {sum(len(w) for w in reference.values())} words")
            failures = 0
            for kind, trial in (("worker", worker_trial), ("client", client_trial)):
                for n in range(args.trials):
                    delay = rng.uniform(0.3, length) + (STARTUP_SECONDS if kind == "client" else 0.0)
                    landed = trial(client, template, folder, options, delay)
                    ok, detail = verdict(folder / f"{kind}.verbatim", reference)
                    failures += not ok
                    print(
                        f"{kind} kill {n + 1:2d} at {delay:5.1f} s  before the end={landed!s:5}  {detail}  {'OK' if ok else 'DIFFERS'}"
                    )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
