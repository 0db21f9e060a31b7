"""``transcribe --cluster`` and ``verbatim worker-check``: a study's batch on a Dask cluster or GPU server.

Without ``--cluster`` nothing here runs and nothing touches the network (the single-machine path).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from desktop_app.cli.registry import EXIT_FAILED, EXIT_OK, Subparsers, add_command, emit_json, fail
from desktop_app.cli.study_access import open_study
from desktop_app.cli.transcription.speakers import diarize
from desktop_app.cli.transcription.targets import documents_to_transcribe
from desktop_app.core.timecode import format_hms

if TYPE_CHECKING:
    from desktop_app.services.transcription.cluster_transcription_service import ClusterSpec
    from desktop_app.services.transcription.transcription_service import TranscriptionOptions

BAR_WIDTH = 28


def register(sub: Subparsers) -> None:
    p = add_command(
        sub,
        "worker-check",
        cmd_worker_check,
        help="show each Dask worker's device, models and measured speed before sending a batch",
    )
    p.add_argument("address", help="tls://host:8786, tcp://host:8786 (this computer, or with --insecure), local:N")
    p.add_argument("--model", default="base", help="the model to load and time on each worker (default base)")
    p.add_argument("--language", default="auto")
    p.add_argument("--json", action="store_true")
    add_connection_options(p)


def add_connection_options(p: Any) -> None:
    """How to reach a scheduler safely (a parser or an argument group)."""
    p.add_argument("--insecure", action="store_true", help="allow a plain tcp:// scheduler on another computer")
    p.add_argument("--tls-ca", type=Path, metavar="FILE", help="CA certificate of the cluster (PEM)")
    p.add_argument("--tls-cert", type=Path, metavar="FILE", help="this client's certificate (PEM)")
    p.add_argument("--tls-key", type=Path, metavar="FILE", help="this client's private key (PEM)")


def add_cluster_options(p: argparse.ArgumentParser) -> None:
    """The options ``transcribe`` gains (its module calls this)."""
    group = p.add_argument_group("on a cluster (Dask)")
    group.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="tls://host:8786 (a running Dask scheduler), local:N (N worker processes here), or slurm/pbs/sge",
    )
    group.add_argument("--jobs", type=int, default=1, help="slurm/pbs/sge: batch jobs to start (one worker each)")
    group.add_argument("--gpus-per-job", type=int, default=0, help="slurm/pbs/sge: GPUs to ask for per job")
    group.add_argument("--job-script", type=Path, help="where to write the job script submitted (to read and adapt)")
    group.add_argument(
        "--chunk-seconds",
        type=float,
        help="cut long recordings into chunks of about this length, spread over the workers (default 300)",
    )
    add_connection_options(group)


def cluster_spec(args: argparse.Namespace, address: str) -> ClusterSpec:
    from desktop_app.services.transcription.cluster_transcription_service import ClusterSpec

    return ClusterSpec(
        address,
        insecure=args.insecure,
        jobs=getattr(args, "jobs", 1),
        gpus_per_job=getattr(args, "gpus_per_job", 0),
        tls_ca_file=args.tls_ca,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        job_script=getattr(args, "job_script", None),
    )


def check_before_connecting(spec: ClusterSpec) -> None:
    """Refuse an unsafe or incomplete address before the study is opened or anything is sent."""
    from desktop_app.services.transcription.cluster_transcription_service import check_cluster

    check_cluster(spec)


def transcribe_on_cluster(args: argparse.Namespace, options: TranscriptionOptions) -> int:
    """``transcribe --cluster``: the batch on the cluster, written into the study as results arrive."""
    from desktop_app.services.transcription import cluster_transcription_service as cts

    if getattr(args, "keep_corrections", False) or getattr(args, "replace", False):
        return fail("--keep-corrections and --replace transcribe again on this computer; leave out --cluster")
    if args.chunk_seconds is not None:
        if args.chunk_seconds < 30:
            return fail("--chunk-seconds must be at least 30 seconds")
        options = replace(options, block_seconds=args.chunk_seconds)
    spec = cluster_spec(args, args.cluster)
    check_before_connecting(spec)
    with open_study(args) as store:
        targets = documents_to_transcribe(store, args)
        if not targets:
            return EXIT_OK
        printer = BatchPrinter(store, as_json=args.json)
        if not args.json:
            print(f"Sending {len(targets)} document{'s' * (len(targets) != 1)} to {args.cluster}")
        result = cts.transcribe_on_cluster(store, targets, options, spec, printer.listener, restart=args.restart)
        if args.speakers:
            for outcome in result.outcomes:
                diarize(store, outcome.document_id, args.speakers, outcome.heard, meeting=args.meeting)
    printer.summary(result)
    return EXIT_FAILED if result.failed else EXIT_OK


class BatchPrinter:
    """One line per document started, finished or failed, and one progress bar for the whole batch."""

    def __init__(self, store: Any, *, as_json: bool = False, out: TextIO | None = None) -> None:
        from desktop_app.services.transcription.cluster_transcription_service import BatchListener

        self.store, self.as_json = store, as_json
        self.out = out or sys.stdout
        self.interactive = self.out.isatty() and not as_json
        self.listener: BatchListener = BatchListener(
            on_started=self._started,
            on_batch_progress=self._progress,
            on_finished=self._finished,
            on_failed=self._failed,
        )
        self._bar = False

    def _title(self, document_id: int) -> str:
        from desktop_app.services.study import document_service

        return document_service.get_document(self.store, document_id).title

    def _started(self, document_id: int, event: Any) -> None:
        self._emit(
            {"event": "started", "id": document_id, "language": event.language, "device": event.device},
            f"{self._title(document_id)}: language {event.language} · device {event.device}",
        )

    def _finished(self, outcome: Any) -> None:
        speed = outcome.audio_seconds / outcome.wall_seconds if outcome.wall_seconds else 0.0
        resumed = f", resumed at {format_hms(outcome.resumed_from)}" if outcome.resumed_from else ""
        self._emit(
            {"event": "finished", "id": outcome.document_id, "audio_seconds": outcome.audio_seconds,
             "wall_seconds": round(outcome.wall_seconds, 2), "resumed_from": outcome.resumed_from},
            f"Done: {self._title(outcome.document_id)} ({format_hms(outcome.audio_seconds)} of audio"
            f" in {format_hms(outcome.wall_seconds)}, {speed:.1f}× real time{resumed})",
        )  # fmt: skip

    def _failed(self, document_id: int, problem: str) -> None:
        self._clear()
        if self.as_json:
            self._emit({"event": "failed", "id": document_id, "problem": problem}, "")
        else:
            print(f"verbatim: error: {problem}", file=sys.stderr)

    def _progress(self, event: Any) -> None:
        total = event.total_seconds or 1.0
        fraction = min(1.0, event.done_seconds / total)
        eta = (total - event.done_seconds) / event.speed if event.speed > 0 else 0.0
        if self.as_json:
            self._emit({"event": "progress", "done": round(event.done_seconds, 2), "total": total,
                        "speed": round(event.speed, 2), "eta": round(eta, 1)}, "")  # fmt: skip
            return
        filled = int(fraction * BAR_WIDTH)
        line = (
            f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {fraction:6.1%}  {event.speed:4.1f}× real time"
            f"  ETA {format_hms(eta)}"
        )
        self.out.write(("\r" + line) if self.interactive else line + "\n")
        self._bar = self.interactive
        self.out.flush()

    def summary(self, result: Any) -> None:
        self._clear()
        audio = sum(o.audio_seconds for o in result.outcomes)
        speed = audio / result.wall_seconds if result.wall_seconds else 0.0
        self._emit(
            {"event": "batch", "finished": len(result.outcomes), "failed": len(result.failed),
             "audio_seconds": round(audio, 2), "wall_seconds": round(result.wall_seconds, 2)},
            f"{len(result.outcomes)} transcribed, {len(result.failed)} failed: {format_hms(audio)} of audio"
            f" in {format_hms(result.wall_seconds)} ({speed:.1f}× real time)",
        )  # fmt: skip

    def _clear(self) -> None:
        if self._bar:
            self.out.write("\r" + " " * (BAR_WIDTH + 48) + "\r")
            self._bar = False

    def _emit(self, data: dict[str, Any], text: str) -> None:
        if self.as_json:
            self.out.write(json.dumps(data, ensure_ascii=False) + "\n")
        elif text:
            self._clear()
            self.out.write(text + "\n")
        self.out.flush()


def cmd_worker_check(args: argparse.Namespace) -> int:
    from desktop_app.services.transcription import cluster_transcription_service as cts
    from desktop_app.services.transcription.transcription_service import TranscriptionOptions

    reports = cts.check_workers(
        cluster_spec(args, args.address), TranscriptionOptions(model=args.model, language=args.language)
    )
    if args.json:
        emit_json({"workers": [r.to_json() for r in reports]})
    else:
        for r in reports:
            state = r.problem or f"{r.speed:.1f}× real time with {args.model} (model loaded in {r.load_seconds:.1f} s)"
            print(f"{r.worker}  {r.host}  {r.cores} cores, {r.cuda_devices} GPU  device {r.device or '-'}: {state}")
            print(
                f"    models: {', '.join(r.models) or 'none'}"
                + ("   WARNING: spills data to its disk" if r.spill_to_disk else "")
            )
    return EXIT_FAILED if any(r.problem for r in reports) else EXIT_OK


__all__ = ["add_cluster_options", "register", "transcribe_on_cluster"]
