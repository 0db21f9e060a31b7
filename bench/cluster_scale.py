"""Transcription of a recording set on 1, 2 and 4 LocalCluster workers against today's single-machine path.

    .venv/bin/python bench/cluster_scale.py [--model base] [--minutes 20] [--workers 1 2 4] [--long]

The set is built from the shared English clips (../shared/data): ``--minutes`` of audio in eight
recordings, each a different rotation of the clips with short pauses between them. Today's path
(one engine child process per document, every core, one document after another) runs first; then
the same documents on an embedded LocalCluster of N worker processes (one Dask thread each,
CTranslate2 given cores / N threads each). Printed per run: wall time (cluster start-up and
model loading apart), × real time, speed-up against today's path and against one worker,
scaling efficiency (speed-up over one worker / N), CPU seconds (this process and the engine
children for today's path; client and worker processes for the cluster: the steadier figure on a
busy machine), and the word error rate of each transcript
against today's (0.0 when the words are identical). ``--long`` also transcribes all the audio as
ONE recording cut into 120 s chunks on the largest cluster, against today's path on that file:
the case of one long focus group spread over workers, where chunking differs from today's 300 s
blocks. Wall times on a shared machine move with what else runs: compare ratios from one run.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.diarization_der import AMI_CLIPS  # noqa: E402
from bench.wav_file import write_wav  # noqa: E402
from desktop_app.pipeline.asr_options import TranscriptionOptions, available_cores  # noqa: E402
from desktop_app.pipeline.audio_decode import SAMPLE_RATE, decode_all  # noqa: E402
from desktop_app.pipeline.cluster.connection import ClusterSpec, connect, local_cores_per_worker  # noqa: E402
from desktop_app.services.study import import_service, project_service  # noqa: E402
from desktop_app.services.transcription.cluster_transcription_service import transcribe_with_client  # noqa: E402
from desktop_app.services.transcription.transcription_service import transcribe_document  # noqa: E402
from desktop_app.storage.project_store import ProjectStore  # noqa: E402
from desktop_app.storage.transcripts import transcript_repository  # noqa: E402
from tests.fixtures.scoring import wer  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
CLIPS = [
    "jfk.flac",
    "librispeech_1272-128104-0000.wav",
    "mfa_acoustic_corpus.wav",
    "pyannote_sample.wav",
    "ami_ES2003b_0-30s.wav",
    *(f"ami_dev/{n}.wav" for n in AMI_CLIPS),
]
PAUSE_SECONDS = 0.8


def build_set(folder: Path, minutes: float, recordings: int = 8) -> list[Path]:
    """``recordings`` WAV files adding up to ``minutes``, each a different rotation of the shared clips."""
    clips = [decode_all(SHARED / name) for name in CLIPS]
    pause = np.zeros(int(PAUSE_SECONDS * SAMPLE_RATE), dtype=np.float32)
    each = int(minutes * 60 / recordings * SAMPLE_RATE)
    paths = []
    for r in range(recordings):
        parts, length, k = [], 0, r
        while length < each:
            clip = clips[(k * 5 + r) % len(clips)]
            parts += [clip, pause]
            length += clip.size + pause.size
            k += 1
        paths.append(write_wav(folder / f"recording-{r + 1}.wav", np.concatenate(parts)[:each]))
    return paths


def study(folder: Path, name: str, recordings: list[Path]) -> tuple[ProjectStore, list[int]]:
    store = project_service.create_project(folder / f"{name}.verbatim")
    return store, [d.id for d in import_service.import_recordings(store, recordings).imported]


def texts(store: ProjectStore, ids: list[int]) -> list[str]:
    return [" ".join(s.text for s in transcript_repository.load_transcript(store, i).segments) for i in ids]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def process_cpu() -> float:
    """CPU seconds of the calling process (run on each worker through ``client.run``)."""
    return cpu_seconds()


class ChildrenCpu:
    """CPU seconds of this process's children (the engine processes), sampled while they run.

    An engine child exits at the end of each document; its last sample (at most ``interval`` before
    it exited) is kept, so the figure is a slight undercount.
    """

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> ChildrenCpu:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(self.interval):
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    times = child.cpu_times()
                    self.seen[child.pid] = times.user + times.system

    @property
    def seconds(self) -> float:
        return sum(self.seen.values())


def today(
    folder: Path, name: str, recordings: list[Path], options: TranscriptionOptions
) -> tuple[float, float, list[str]]:
    """(wall seconds, CPU seconds of this process and the engine children, texts) of today's path."""
    store, ids = study(folder, name, recordings)
    cpu = cpu_seconds()
    began = time.perf_counter()
    with ChildrenCpu() as children:
        for i in ids:
            transcribe_document(store, i, options)
    wall = time.perf_counter() - began
    return wall, cpu_seconds() - cpu + children.seconds, texts(store, ids)


def on_cluster(
    folder: Path, name: str, recordings: list[Path], options: TranscriptionOptions, workers: int
) -> tuple[float, float, float, list[str]]:
    """(start-up seconds, transcription seconds, CPU seconds of client and workers, texts) on ``workers`` processes."""
    store, ids = study(folder, name, recordings)
    spec = ClusterSpec(f"local:{workers}")
    began = time.perf_counter()
    with connect(spec) as client:
        client.wait_for_workers(workers)
        cpu = cpu_seconds() + sum(client.run(process_cpu).values())
        started = time.perf_counter()
        result = transcribe_with_client(
            store, ids, options, client, where=f"local:{workers}", cpu_threads=local_cores_per_worker(spec)
        )
        wall = time.perf_counter() - started
        cpu = cpu_seconds() + sum(client.run(process_cpu).values()) - cpu
    assert not result.failed, result.failed
    return started - began, wall, cpu, texts(store, ids)


def mean_wer(reference: list[str], hypothesis: list[str]) -> float:
    """Mean over documents; identical texts count 0 (also where both are empty: no speech in the clip)."""
    return float(np.mean([0.0 if r == h else wer(r, h) for r, h in zip(reference, hypothesis, strict=True)]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="base")
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--long", action="store_true", help="also one long recording in 120 s chunks")
    args = parser.parse_args()
    options = TranscriptionOptions(model=args.model, language="en")
    with tempfile.TemporaryDirectory(prefix="cluster-scale-") as tmp:
        folder = Path(tmp)
        recordings = build_set(folder, args.minutes)
        audio = args.minutes * 60
        print(f"{len(recordings)} recordings, {audio / 60:.1f} min, model {args.model}, {available_cores()} cores")
        base_wall, base_cpu, reference = today(folder, "today", recordings, options)
        print(f"today's path      {base_wall:7.1f} s  {audio / base_wall:5.1f}× real time  CPU {base_cpu:6.1f} s")
        one: float | None = None
        for n in args.workers:
            startup, wall, cpu, words = on_cluster(folder, f"local{n}", recordings, options, n)
            one = one or (wall if n == 1 else None)
            efficiency = f"{one / wall / n:5.0%}" if one else "   - "
            print(
                f"local:{n} workers   {wall:7.1f} s  {audio / wall:5.1f}× real time  vs today {base_wall / wall:4.2f}×"
                f"  efficiency {efficiency}  CPU {cpu:6.1f} s ({cpu / base_cpu:4.2f}× today's)  start-up {startup:4.1f} s"
                f"  WER vs today {mean_wer(reference, words):.2%}"
            )
        if args.long:
            long_recording = [write_wav(folder / "long.wav", np.concatenate([decode_all(p) for p in recordings]))]
            long_wall, _, long_ref = today(folder, "today-long", long_recording, options)
            n = max(args.workers)
            _, wall, _, words = on_cluster(folder, "long", long_recording, replace(options, block_seconds=120), n)
            print(
                f"one {audio / 60:.0f}-min recording: today {long_wall:.1f} s, local:{n} in 120 s chunks {wall:.1f} s"
                f" ({long_wall / wall:.2f}×), WER vs today {mean_wer(long_ref, words):.2%}"
            )


if __name__ == "__main__":
    main()
