"""The functions a Dask worker runs: language detection and one chunk's words, with the engine kept per worker.

They take audio as arrays (shipped in memory by the client) and return plain data; they open no
study and write no file. The only thing a worker keeps on disk is the model cache (``base`` is
joined from its two packages into the user models folder on first use). The loaded engine stays
in the worker process between tasks, so a worker loads each model once.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass

import numpy as np

from desktop_app.core.errors import ModelError, VerbatimError
from desktop_app.pipeline.asr_engine import AsrEngine, LanguageResult
from desktop_app.pipeline.asr_options import TranscriptionOptions, available_cores
from desktop_app.pipeline.cluster.chunks import ChunkResult
from desktop_app.pipeline.model_registry import ModelRegistry
from desktop_app.pipeline.speakers.heard_speech import HeardSpeech


@dataclass(frozen=True)
class EngineSpec:
    """Which engine a task needs. ``cpu_threads`` 0: the worker's share of its machine's cores."""

    options: TranscriptionOptions
    model_sha256: str = ""
    cpu_threads: int = 0


@dataclass(frozen=True)
class DetectedLanguage:
    language: str
    probability: float | None
    device: str
    worker: str


_engines: dict[tuple[str, str, int], AsrEngine] = {}  # (model, device/compute type, threads)
_engines_lock = threading.Lock()
_run_lock = threading.Lock()  # one engine call at a time per worker process: CTranslate2 uses the cores itself


def worker_name() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return socket.gethostname()


def worker_threads() -> int:
    """Dask threads in this worker (1 when run outside a worker)."""
    try:
        from distributed import get_worker

        return max(1, int(get_worker().state.nthreads))
    except (ImportError, ValueError):
        return 1


def engine_for(spec: EngineSpec) -> AsrEngine:
    """The engine for ``spec``, loaded on first use in this process; the model must match the client's."""
    options = spec.options
    threads = spec.cpu_threads or max(1, available_cores() // worker_threads())
    key = (options.model, f"{options.device}/{options.compute_type}", threads)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            registry = ModelRegistry()
            path = registry.resolve(options.model)
            sha = registry.entry(options.model).sha256
            if spec.model_sha256 and sha and sha != spec.model_sha256:
                raise ModelError(
                    path,
                    f"on worker {worker_name()} is not the model the study asks for "
                    f"(sha256 {sha[:12]}…, expected {spec.model_sha256[:12]}…): install the same model there",
                )
            engine = AsrEngine(path, options, cpu_threads=threads)
            _engines[key] = engine
    return engine


class WorkerTaskError(RuntimeError):
    """A known problem on a worker (a model missing or different there), as plain text that crosses the wire."""


def _engine(spec: EngineSpec) -> AsrEngine:
    try:
        return engine_for(spec)
    except VerbatimError as exc:  # our errors take two arguments and do not unpickle on the client
        raise WorkerTaskError(f"worker {worker_name()}: {exc.message}") from None


def detect_language(spec: EngineSpec, audio: np.ndarray) -> DetectedLanguage:
    """The recording's language from its first block, as the single-machine engine finds it."""
    engine = _engine(spec)
    with _run_lock:
        engine.options = spec.options  # same weights; this run's decoding options
        found: LanguageResult = engine.detect_language(audio)
    return DetectedLanguage(found.language, found.probability, engine.device, worker_name())


def transcribe_chunk(
    spec: EngineSpec, language: DetectedLanguage | str, offset: float, audio: np.ndarray
) -> ChunkResult:
    """Words of one chunk (times in the recording) and the speech heard in it, for the speaker step."""
    engine = _engine(spec)
    code = language if isinstance(language, str) else language.language
    began = time.perf_counter()
    with _run_lock:
        engine.options = spec.options
        heard = HeardSpeech.of(offset, audio)
        words = [w for _, ws in engine.block_words(audio, offset, code) for w in ws]
    return ChunkResult(words, heard, engine.device, worker_name(), time.perf_counter() - began)
