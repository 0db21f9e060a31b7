"""Transcription options: one small dataclass, recorded with every run."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, fields
from typing import Any

# Prompts written in a disfluent style make Whisper keep fillers and false starts instead of
# smoothing them away (the model imitates the style of its prompt).
DISFLUENT_PROMPTS = {
    "en": "Um, so, uh, I- I was, like, thinking, you know, hmm, that we- we could, um, maybe try it.",
    "sv": "Öh, alltså, eh, jag- jag tänkte, liksom, att vi- vi kanske, öh, kunde testa.",
    "de": "Äh, also, ähm, ich- ich dachte, so, dass wir- wir vielleicht, äh, das probieren.",
    "fr": "Euh, alors, bah, je- je pensais, genre, que on- on pourrait, euh, essayer.",
}


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


@dataclass
class TranscriptionOptions:
    model: str = "base"
    language: str = "auto"
    device: str = "auto"  # auto | cpu | cuda
    compute_type: str = "auto"  # auto: int8 on CPU, float16 on CUDA
    glossary: list[str] = field(default_factory=list)
    keep_fillers: bool = False
    batch_size: int = 8
    beam_size: int = 5
    block_seconds: float = 300.0  # audio decoded and transcribed at a time (bounds memory)
    # Hallucination guards: the repetition loops and invented sentences users complain about.
    condition_on_previous_text: bool = False
    compression_ratio_threshold: float = 2.4
    log_prob_threshold: float = -1.0
    no_speech_threshold: float = 0.6
    hallucination_silence_threshold: float = 2.0
    vad_threshold: float = 0.5
    vad_min_silence_ms: int = 1000
    vad_speech_pad_ms: int = 400

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TranscriptionOptions:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def initial_prompt(self, language: str | None) -> str | None:
        parts = []
        if self.keep_fillers:
            parts.append(DISFLUENT_PROMPTS.get(language or "en", DISFLUENT_PROMPTS["en"]))
        if self.glossary:
            parts.append(", ".join(self.glossary) + ".")
        return " ".join(parts) or None

    def hotwords(self) -> str | None:
        return ", ".join(self.glossary) if self.glossary else None

    def vad_parameters(self) -> dict[str, Any]:
        return {
            "threshold": self.vad_threshold,
            "min_silence_duration_ms": self.vad_min_silence_ms,
            "speech_pad_ms": self.vad_speech_pad_ms,
        }
