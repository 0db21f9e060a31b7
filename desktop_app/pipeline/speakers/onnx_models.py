"""The two ONNX speaker models in ``models/`` and the onnxruntime sessions that run them.

Sessions are made once per process and shared (a CAM++ session holds 28 MB of weights). They run on
the CUDA provider when onnxruntime has it, else on the CPU with as many threads as the machine can
spare (``asr_options.available_cores``): the speaker step runs after transcription, alone. A model
run on one small input at a time (CAM++ on a few seconds of talk) gains nothing from a second
thread (measured on 2 cores: 0.38 s wall for nine 3 s pieces on one thread, 0.40 s on two, at twice
the CPU); its session gets one thread and its callers run pieces side by side instead.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path
from typing import Any

from desktop_app.core.errors import VerbatimError
from desktop_app.pipeline.model_registry import app_models_dir

SEGMENTATION_FILE = "speaker_segmentation.onnx"
EMBEDDING_FILE = "speaker_embedding.onnx"
_lock = threading.Lock()


def _providers() -> list[str]:
    import onnxruntime as ort

    available = ort.get_available_providers()
    return [p for p in ("CUDAExecutionProvider", "CPUExecutionProvider") if p in available]


def _threads() -> int:
    from desktop_app.pipeline.asr_options import available_cores

    return max(1, available_cores())


@cache
def _session(path: Path, threads: int) -> Any:
    import onnxruntime as ort

    if not path.is_file():
        raise VerbatimError(path, "speaker model is missing: reinstall Verbatim")
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # onnxruntime warns about unused initialisers in CAM++; not the user's concern
    try:
        return ort.InferenceSession(str(path), options, providers=_providers())
    except Exception as error:  # onnxruntime raises its own exception types for a damaged file
        raise VerbatimError(path, f"speaker model cannot be loaded ({error}): reinstall Verbatim") from None


def session(file_name: str, folder: Path | None = None, one_thread: bool = False) -> Any:
    """The shared onnxruntime session for ``file_name`` in ``folder`` (default: the app's models).

    ``one_thread``: for a model run on small inputs, several at once (``threads_for_side_by_side``).
    """
    with _lock:
        return _session((folder or app_models_dir()) / file_name, 1 if one_thread else _threads())


def threads_for_side_by_side() -> int:
    """How many one-thread model runs to keep going at once: one per core the machine can spare."""
    return _threads()
