"""English beside the original: Whisper's translate task, run over the turns of a transcript.

Each turn's audio (padded a little, so a first or last word is not clipped) is translated on its
own, so the English lines up with the original turn by turn and a correction to one turn never
shifts another. Only multilingual models translate; English-only ones (``tiny.en``,
``distil-large-v3``) are refused with a message naming one that does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from threading import Event

import numpy as np

from desktop_app.core.errors import CancelledError, ModelError
from desktop_app.pipeline.asr_engine import AsrEngine
from desktop_app.pipeline.asr_options import TranscriptionOptions
from desktop_app.pipeline.audio_decode import SAMPLE_RATE, AudioBlock

PAD_SECONDS = 0.2


@dataclass(frozen=True)
class Turn:
    start: float
    end: float


def translator(model_path: Path, model_name: str, device: str = "auto") -> AsrEngine:
    """Load a model for translating; refuses an English-only one."""
    engine = AsrEngine(model_path, TranscriptionOptions(model=model_name, device=device))
    if not engine.model.model.is_multilingual:
        raise ModelError(
            model_path,
            f"{model_name} understands English only; translating needs a multilingual model (base, small, large-v3…)",
        )
    return engine


def translate_turns(
    engine: AsrEngine,
    audio: np.ndarray,
    turns: Sequence[Turn],
    language: str,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: Event | None = None,
) -> list[str]:
    """English for each turn of ``audio`` (16 kHz mono), in order; ``language`` is the spoken one."""
    return translate_blocks(engine, iter([(0.0, audio)]), turns, language, progress=progress, cancel=cancel)


def translate_blocks(
    engine: AsrEngine,
    blocks: Iterator[AudioBlock],
    turns: Sequence[Turn],
    language: str,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: Event | None = None,
) -> list[str]:
    """Like :func:`translate_turns` over streamed blocks: turns in time order, only their audio held."""
    buffer, buffer_start, texts = np.zeros(0, dtype=np.float32), 0.0, []
    for number, turn in enumerate(turns, start=1):
        if cancel is not None and cancel.is_set():
            raise CancelledError(f"translation stopped after {number - 1} of {len(turns)} turns")
        while buffer_start + buffer.size / SAMPLE_RATE < turn.end + PAD_SECONDS:
            block = next(blocks, None)
            if block is None:
                break
            if buffer.size == 0:
                buffer_start = block[0]
            buffer = np.concatenate([buffer, block[1]])
        first = max(0, int((turn.start - PAD_SECONDS - buffer_start) * SAMPLE_RATE))
        last = min(buffer.size, int((turn.end + PAD_SECONDS - buffer_start) * SAMPLE_RATE))
        texts.append(_translate_clip(engine, buffer[first:last], language) if last > first else "")
        buffer, buffer_start = buffer[first:], buffer_start + first / SAMPLE_RATE  # later turns start later
        if progress is not None:
            progress(number, len(turns))
    return texts


def _translate_clip(engine: AsrEngine, clip: np.ndarray, language: str) -> str:
    segments, _ = engine.model.transcribe(
        clip,
        task="translate",
        language=language,
        beam_size=engine.options.beam_size,
        condition_on_previous_text=False,
        without_timestamps=True,
        vad_filter=False,
        no_repeat_ngram_size=3,  # base loops on unclear words ("of the holes of the holes…"); this stops it
    )
    return " ".join(s.text.strip() for s in segments).strip()
