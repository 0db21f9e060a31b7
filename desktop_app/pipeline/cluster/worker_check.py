"""What each worker of a cluster would do with a batch: its device, its models, and a measured speed.

``verbatim worker-check`` runs ``check_worker`` once on every worker (pinned to it), with a short
recording shipped in memory, so a researcher sees before sending 200 hours whether the GPU is
used, whether the model is there, and how many times real time each worker runs.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from desktop_app.core.errors import VerbatimError
from desktop_app.pipeline.asr_options import available_cores
from desktop_app.pipeline.audio_decode import SAMPLE_RATE
from desktop_app.pipeline.cluster.worker_tasks import EngineSpec, engine_for, worker_name


@dataclass(frozen=True)
class WorkerReport:
    worker: str
    host: str
    cores: int
    cuda_devices: int
    device: str  # what the engine chose: "cuda float16", "cpu int8"
    models: list[str]
    spill_to_disk: bool  # True would let Dask write task data (audio) to the worker's disk
    load_seconds: float  # loading the model (0 when it was already loaded)
    speed: float  # audio seconds per wall second on the check recording; 0 when the model is missing
    problem: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def check_worker(spec: EngineSpec, audio: np.ndarray) -> WorkerReport:
    """Load the model here and transcribe ``audio``; a missing model is reported, not raised."""
    import ctranslate2

    from desktop_app.pipeline.model_registry import ModelRegistry

    base: dict[str, Any] = {
        "worker": worker_name(),
        "host": os.uname().nodename,
        "cores": available_cores(),
        "cuda_devices": int(ctranslate2.get_cuda_device_count()),
        "models": _whisper_models(ModelRegistry()),
        "spill_to_disk": _spills(),
    }
    began = time.perf_counter()
    try:
        engine = engine_for(spec)
    except VerbatimError as exc:
        return WorkerReport(**base, device="", load_seconds=0.0, speed=0.0, problem=exc.message)
    loaded = time.perf_counter()
    language = spec.options.language if spec.options.language != "auto" else engine.detect_language(audio).language
    engine.options = spec.options
    engine.transcribe_array(audio, 0.0, language)
    wall = time.perf_counter() - loaded
    return WorkerReport(
        **base,
        device=f"{engine.device} {engine.compute_type}",
        load_seconds=round(loaded - began, 2),
        speed=round(audio.size / SAMPLE_RATE / wall, 2) if wall > 0 else 0.0,
    )


def _whisper_models(registry: Any) -> list[str]:
    """Names of the Whisper models this worker can load (not the speaker models)."""
    other = {e.name for e in registry.models() if e.kind != "whisper"}
    return [name for name in registry.available_names() if name not in other]


def _spills() -> bool:
    try:
        from distributed import get_worker

        return get_worker().memory_manager.memory_spill_fraction is not False
    except (ImportError, ValueError):
        return False
