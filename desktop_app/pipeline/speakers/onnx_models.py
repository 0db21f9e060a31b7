"""The two ONNX speaker models in ``models/`` and the onnxruntime sessions that run them.

Sessions are made once per process and shared (a CAM++ session holds 28 MB of weights). They run on
the CUDA provider when onnxruntime has it, else on the CPU with as many threads as the machine can
spare (``asr_options.available_cores``): the speaker step runs after transcription, alone.
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
def _session(path: Path) -> Any:
    import onnxruntime as ort

    if not path.is_file():
        raise VerbatimError(path, "speaker model is missing: reinstall Verbatim")
    options = ort.SessionOptions()
    options.intra_op_num_threads = _threads()
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # onnxruntime warns about unused initialisers in CAM++; not the user's concern
    try:
        return ort.InferenceSession(str(path), options, providers=_providers())
    except Exception as error:  # onnxruntime raises its own exception types for a damaged file
        raise VerbatimError(path, f"speaker model cannot be loaded ({error}): reinstall Verbatim") from None


def session(file_name: str, folder: Path | None = None) -> Any:
    """The shared onnxruntime session for ``file_name`` in ``folder`` (default: the app's models)."""
    with _lock:
        return _session((folder or app_models_dir()) / file_name)
