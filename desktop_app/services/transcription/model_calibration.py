"""How fast each installed model transcribes on this computer: a short run on the bundled sample.

Published speed figures come from GPUs researchers do not have; what decides whether ``medium``
is usable is how fast it runs here. The run transcribes the first ``SECONDS`` of the sample
recording (model loading not counted) and the result is cached per model file and device in the
user's models folder, so the Models page shows it without running anything.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.pipeline.model_registry import ModelRegistry

CACHE_FILE = ".calibration.json"
SECONDS = 15.0


@dataclass(frozen=True)
class Calibration:
    speed: float  # × real time
    device: str  # what it ran on: 'cpu int8', 'cuda float16', or the CPU fallback with its reason


def _read(models_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((models_dir / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def cached_speeds(models_dir: Path) -> dict[str, float]:
    """× real time per model name, as last measured (on whichever device was used)."""
    return {name: float(m["speed"]) for name, m in _read(models_dir).items() if isinstance(m, dict) and "speed" in m}


def calibrate(name: str, device: str = "auto", reg: ModelRegistry | None = None) -> Calibration:
    """Transcribe the start of the bundled sample with model ``name``; returns and caches × real time."""
    from faster_whisper import decode_audio

    from desktop_app.pipeline.asr_engine import AsrEngine
    from desktop_app.services.study.sample_study_service import sample_recording
    from desktop_app.services.transcription.transcription_service import TranscriptionOptions

    reg = reg or ModelRegistry()
    path = reg.resolve(name)
    sample = sample_recording()
    audio = decode_audio(str(sample.audio), sampling_rate=16000)[: int(SECONDS * 16000)]
    engine = AsrEngine(path, TranscriptionOptions(model=name, language=sample.language, device=device))
    began = time.perf_counter()
    engine.transcribe_array(audio, 0.0, sample.language)
    elapsed = max(time.perf_counter() - began, 1e-6)
    speed = round(len(audio) / 16000 / elapsed, 2)
    data = _read(reg.user_dir)
    data[name] = {"speed": speed, "device": engine.choice.label, "seconds": SECONDS}
    reg.user_dir.mkdir(parents=True, exist_ok=True)
    (reg.user_dir / CACHE_FILE).write_text(json.dumps(data, indent=1), encoding="utf-8")
    return Calibration(speed, engine.choice.label)
