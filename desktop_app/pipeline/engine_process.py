"""Run transcription in a child process: a native crash or a hung model can never take the app down.

The parent starts a :class:`TranscriptionJob`, reads its events (language, progress, finished
segments, failure, completion) and can cancel it at any moment; the child is terminated if it
does not stop by itself within the grace period.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import queue
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from desktop_app.core.transcript import Segment
from desktop_app.pipeline.asr_options import TranscriptionOptions
from desktop_app.pipeline.speakers.heard_speech import HeardSpeech

CANCEL_GRACE_SECONDS = 0.5


@dataclass(frozen=True)
class Started:
    language: str
    language_probability: float | None  # None when the language was given, not detected
    device: str
    total_seconds: float
    model_name: str = ""
    model_sha256: str = ""


@dataclass(frozen=True)
class Progress:
    done_seconds: float
    total_seconds: float
    wall_seconds: float

    @property
    def speed(self) -> float:
        """Audio seconds per wall second (× real time)."""
        return self.done_seconds / self.wall_seconds if self.wall_seconds > 0 else 0.0


@dataclass(frozen=True)
class SegmentsReady:
    segments: list[Segment]


@dataclass(frozen=True)
class SpeechHeard:
    """Speech heard in one block at the diarization threshold, from the block's own VAD pass (for the speaker step)."""

    heard: HeardSpeech


@dataclass(frozen=True)
class Failed:
    kind: str  # "media" | "model" | "crash" | "error"
    message: str
    details: str = ""


@dataclass(frozen=True)
class Finished:
    audio_seconds: float
    wall_seconds: float
    peak_rss_bytes: int = 0  # of the engine process (0 where the platform cannot tell)
    recovered_words: int = 0  # words of speech the first pass skipped, found by transcribing it again
    recovery_seconds: float = 0.0  # wall time spent on that


Event = Started | Progress | SegmentsReady | SpeechHeard | Failed | Finished


@dataclass
class JobSpec:
    audio_path: Path
    model_path: Path
    options: TranscriptionOptions
    resume_from: float = 0.0
    total_seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)
    model_sha256: str = ""
    # Embedded media: called in the child, returns a seekable stream (audio_path is then only a name).
    audio_opener: Callable[[], BinaryIO] | None = field(default=None, repr=False)
    # Only these stretches (start, end seconds), each transcribed on its own, its turns never crossing into
    # the next (transcribing again around a researcher's corrections); progress then counts their audio only.
    # An empty list transcribes nothing.
    spans: list[tuple[float, float]] | None = None


def _child_main(spec: JobSpec, events: Any, cancel: Any) -> None:
    """Entry point of the child process."""
    import signal

    from desktop_app.core.errors import MediaError, ModelError

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle: it cancels us
    _exit_with_parent()
    _thread_only_progress_lock()
    try:
        for event in run_engine(spec, cancel.is_set):
            events.put(event)
            if cancel.is_set():
                return
    except MediaError as exc:
        events.put(Failed("media", exc.message))
    except ModelError as exc:
        events.put(Failed("model", exc.message))
    except Exception as exc:  # report everything else with details; the parent shows a bug dialog
        events.put(Failed("error", f"{type(exc).__name__}: {exc}", traceback.format_exc()))


def _exit_with_parent() -> None:
    """Exit as soon as the parent is gone (killed with -9, crashed), instead of transcribing for nobody.

    An orphaned engine would otherwise run to the end of the recording on every core, slowing the
    app the user restarts and the run that resumes. ``parent_process().sentinel`` becomes readable
    when the parent dies, so a thread can simply wait on it.
    """
    import os
    import threading
    from multiprocessing.connection import wait

    parent = mp.parent_process()
    if parent is None or parent.sentinel is None:  # pragma: no cover - only when not started by a parent
        return
    sentinel = parent.sentinel

    def watch() -> None:
        wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _thread_only_progress_lock() -> None:
    """Give tqdm (faster-whisper's progress bars) a thread lock instead of a multiprocessing one.

    tqdm otherwise creates a named POSIX semaphore in this child. A cancelled child is terminated,
    so its finalizers never unlink that semaphore, and the shared resource tracker then warns
    about "leaked semaphore objects" when the app exits. The child draws no bars, so a thread lock
    is all it needs.
    """
    import threading

    from tqdm import tqdm

    tqdm.set_lock(threading.RLock())


def run_engine(spec: JobSpec, cancelled: Any = lambda: False) -> Iterator[Event]:
    """The engine loop (runs in the child; callable in-process for tests and benchmarks)."""
    from desktop_app.pipeline.asr_engine import AsrEngine

    started = time.perf_counter()
    engine = AsrEngine(spec.model_path, spec.options)
    language: Any = None
    done = 0.0 if spec.spans is not None else spec.resume_from  # the progress clock: audio seconds behind us
    heard: list[SpeechHeard] = []

    def report_heard(at: float, audio: Any) -> None:
        heard.append(SpeechHeard(HeardSpeech.of(at, audio)))

    stretches: list[tuple[float, float | None]] = (
        list(spec.spans) if spec.spans is not None else [(spec.resume_from, None)]
    )
    for start, end in stretches:
        blocks = _audio_blocks(spec, start, end)
        first = next(blocks, None)
        if first is None:
            continue
        if language is None:
            language = engine.detect_language(first[1])  # VAD inside skips a silent opening
            yield _started(spec, engine.choice.label, language.language, language.probability)
        base, offset = (done, start) if spec.spans is not None else (0.0, 0.0)  # file time -> progress clock
        until = base + (end or 0.0) - start if spec.spans is not None else spec.total_seconds
        for progress in engine.run(_chain(first, blocks), language.language, report_heard):
            while heard:
                yield heard.pop(0)
            if progress.segments:
                yield SegmentsReady(progress.segments)
            now = max(done, until) if progress.done_seconds < 0 else base + progress.done_seconds - offset
            if now > done:
                done = now
                yield Progress(min(done, spec.total_seconds or done), spec.total_seconds, time.perf_counter() - started)
            if cancelled():
                return
    if language is None:  # no audio at all
        yield _started(spec, engine.choice.label, spec.options.language, None)
    yield _finished(spec, engine, done, started)


def _finished(spec: JobSpec, engine: Any, done: float, started: float) -> Finished:
    """The last event: audio transcribed in this run (``done`` is the progress clock), time, memory, recoveries."""
    return Finished(
        max(0.0, done - (0.0 if spec.spans is not None else spec.resume_from)),
        time.perf_counter() - started,
        peak_rss_bytes(),
        engine.recovered_words,
        engine.recovery_seconds,
    )


def _audio_blocks(spec: JobSpec, start: float, end: float | None = None) -> Iterator[Any]:
    """Decoded blocks from ``start`` (to ``end``), from the file or the stream ``audio_opener`` gives."""
    from desktop_app.pipeline.audio_decode import SAMPLE_RATE, recording_blocks

    blocks = recording_blocks(spec.audio_path, spec.audio_opener, start=start, block_seconds=spec.options.block_seconds)
    with contextlib.closing(blocks):  # the file or stream closes when this stops, however it stops
        for at, samples in blocks:
            if end is not None and at + samples.size / SAMPLE_RATE >= end:
                if end > at:
                    yield at, samples[: int((end - at) * SAMPLE_RATE)]
                return
            yield at, samples


def peak_rss_bytes() -> int:
    """Peak resident memory of this process so far."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def _started(spec: JobSpec, device: str, language: str, probability: float | None) -> Started:
    return Started(language, probability, device, spec.total_seconds, spec.options.model, spec.model_sha256)


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


class TranscriptionJob:
    """A transcription running in a child process."""

    def __init__(self, spec: JobSpec) -> None:
        self.spec = spec
        context = mp.get_context("spawn")
        self._events: Any = context.Queue()
        self._cancel = context.Event()
        self._process = context.Process(target=_child_main, args=(spec, self._events, self._cancel), daemon=True)
        self._done = False
        self._reaped = False

    def start(self) -> TranscriptionJob:
        self._process.start()
        return self

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def events(self, poll_seconds: float = 0.2, stop: Callable[[], bool] = lambda: False) -> Iterator[Event]:
        """Events until the job finishes, fails or is cancelled; a dead child becomes ``Failed``.

        ``stop`` is polled every ``poll_seconds``; when it returns True the job is cancelled.
        """
        while not self._done:
            if stop():
                self.cancel()
                break
            try:
                event = self._events.get(timeout=poll_seconds)
            except queue.Empty:
                if self._cancel.is_set():
                    self._done = True
                elif not self._process.is_alive():
                    self._done = True
                    yield from self._last_words()
                continue
            if isinstance(event, Finished | Failed):
                self._done = True
            yield event
        self._reap()

    def _last_words(self) -> Iterator[Event]:
        """Events a child sent just before it exited, then ``Failed`` if it never finished."""
        while True:
            try:
                event = self._events.get(timeout=0.1)
            except queue.Empty:
                break
            yield event
            if isinstance(event, Finished | Failed):
                return
        code = self._process.exitcode
        yield Failed("crash", f"the transcription engine stopped unexpectedly (exit code {code})")

    def cancel(self) -> None:
        """Stop the child within about a second; segments already received are kept by the caller."""
        self._cancel.set()
        self._done = True
        self._process.join(CANCEL_GRACE_SECONDS)
        self._reap()

    def _reap(self) -> None:
        """Stop the child if it still runs, then close our end of the event queue (once)."""
        if self._reaped:
            return
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(1.0)
        if self._process.is_alive():  # pragma: no cover - a child ignoring SIGTERM
            self._process.kill()
            self._process.join(1.0)
        self._reaped = True
        self._events.close()
        self._events.join_thread()
