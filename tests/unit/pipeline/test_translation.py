"""Whisper's translate task over turns, on the shared German clip with the real ``base`` model."""

from __future__ import annotations

import re
from pathlib import Path
from threading import Event

import numpy as np
import pytest

from desktop_app.core.errors import CancelledError, ModelError
from desktop_app.pipeline.asr_engine import AsrEngine
from desktop_app.pipeline.model_registry import ModelRegistry
from desktop_app.pipeline.translation import Turn, translate_turns, translator

pytestmark = pytest.mark.slow
REFERENCE_DE = "The room behind this portal was used as a mortuary."  # written for these tests (cv_de.txt)


@pytest.fixture(scope="module")
def base() -> AsrEngine:
    return translator(ModelRegistry().resolve("base"), "base", device="cpu")


@pytest.fixture(scope="module")
def german(shared_data: Path) -> np.ndarray:
    from faster_whisper import decode_audio

    return decode_audio(str(shared_data / "cv_de.wav"), sampling_rate=16000)


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z']+", text.lower()))


def test_each_turn_gets_its_own_english_in_order(base: AsrEngine, german: np.ndarray) -> None:
    gap = np.zeros(16000, dtype=np.float32)
    audio = np.concatenate([german, gap, german])
    seconds = german.size / 16000
    english = translate_turns(base, audio, [Turn(0.0, seconds), Turn(seconds + 1.0, 2 * seconds + 1.0)], "de")
    assert len(english) == 2
    for text in english:
        shared = words(text) & words(REFERENCE_DE)
        assert {"portal", "room", "used"} <= shared, text  # base gets these three; 'mortuary' it does not
        assert not words(text) & {"der", "raum", "wurde", "genutzt"}, "English, not the German transcript"


def test_an_english_only_model_is_refused() -> None:
    with pytest.raises(ModelError, match="tiny.en understands English only; translating needs a multilingual model"):
        translator(ModelRegistry().resolve("tiny.en"), "tiny.en", device="cpu")


def test_cancel_stops_between_turns(base: AsrEngine, german: np.ndarray) -> None:
    cancel = Event()
    done: list[int] = []

    def stop_after_first(number: int, total: int) -> None:
        done.append(number)
        cancel.set()

    turns = [Turn(0.0, 2.0), Turn(2.0, 4.0), Turn(4.0, 5.2)]
    with pytest.raises(CancelledError, match="after 1 of 3 turns"):
        translate_turns(base, german, turns, "de", progress=stop_after_first, cancel=cancel)
    assert done == [1]
