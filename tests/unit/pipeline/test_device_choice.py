"""Auto/CPU/GPU: CUDA float16 when CTranslate2 sees a GPU, the CPU with int8 otherwise, and a fallback that says so."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.pipeline.asr_engine import AsrEngine, choose_device, cuda_devices
from desktop_app.pipeline.asr_options import TranscriptionOptions
from desktop_app.pipeline.model_registry import ModelRegistry

HAS_GPU = cuda_devices() > 0


def test_cpu_is_int8_and_says_nothing_more() -> None:
    choice = choose_device(TranscriptionOptions(device="cpu"))
    assert (choice.device, choice.compute_type, choice.label) == ("cpu", "int8", "cpu int8")


def test_auto_takes_the_gpu_when_there_is_one() -> None:
    choice = choose_device(TranscriptionOptions(device="auto"))
    assert (choice.device, choice.compute_type) == (("cuda", "float16") if HAS_GPU else ("cpu", "int8"))
    assert choice.note == "", "auto on a machine without a GPU is not a fallback worth a message"


@pytest.mark.skipif(HAS_GPU, reason="the fallback needs a machine without a GPU")
def test_asking_for_the_gpu_without_one_falls_back_to_the_cpu_with_a_message() -> None:
    choice = choose_device(TranscriptionOptions(device="cuda"))
    assert (choice.device, choice.compute_type) == ("cpu", "int8")
    assert choice.label == "cpu int8 (no GPU found by CTranslate2; running on the CPU)"


@pytest.mark.skipif(HAS_GPU, reason="the fallback needs a machine without a GPU")
def test_the_engine_runs_on_the_cpu_when_the_gpu_is_asked_for_and_missing() -> None:
    engine = AsrEngine(ModelRegistry().resolve("tiny.en"), TranscriptionOptions(model="tiny.en", device="cuda"))
    assert engine.device == "cpu" and "running on the CPU" in engine.choice.label
    assert engine.transcribe_array(np.zeros(16000, dtype=np.float32), 0.0, "en") == []


@pytest.mark.skipif(not HAS_GPU, reason="needs a CUDA GPU")
def test_the_gpu_is_used_with_float16() -> None:
    engine = AsrEngine(ModelRegistry().resolve("tiny.en"), TranscriptionOptions(model="tiny.en", device="cuda"))
    assert (engine.device, engine.compute_type, engine.choice.note) == ("cuda", "float16", "")
