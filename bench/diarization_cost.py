"""What the speaker step costs next to transcription, measured in one process on the same audio.

    .venv/bin/python bench/diarization_cost.py [AUDIO ...] [--model base] [--repeat N]

For each recording (default: a generated five-voice dialogue of 85 s and the shared two-party
call), transcribes with faster-whisper ``--model`` (our engine, words on, language English), then
runs the speaker step on those words as the app does (VAD, embeddings streamed in one-minute
blocks, clustering, words labelled, the segmentation model's overlap step unless ``--no-overlap``), and prints CPU seconds per audio minute of both, their ratio
(target: speaker step <= 10 % of ``base``) and the wall-time ratio. Both are timed in this process
right after each other on the same file, so a busy machine skews both alike; the ratio is the
figure to compare, not the absolute times. Models are loaded and warmed up before timing. As in
the app after transcription, the speaker step takes the speech the engine heard in each block
from the VAD pass it makes anyway; ``--own-vad`` makes it run Silero itself (as ``diarize`` on a
stored transcript does).
``--repeat N`` joins the audio N times end to end (a longer recording, fixed costs spread out). The
speaker count printed is then not meaningful: exact copies of each window make tight cliques in
the neighbour graph, which no real recording has.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def _default_recordings() -> list[Path]:
    from tests.fixtures.speech import dialogue, make_speech

    return [make_speech(dialogue("ABCDE", 15, seed=1), trim=True).wav, SHARED / "pyannote_sample.wav"]


T = TypeVar("T")


def _timed(step: Callable[..., T], *args: object) -> tuple[T, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = step(*args)
    return result, time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from faster_whisper import decode_audio

    from desktop_app.pipeline.asr_engine import AsrEngine
    from desktop_app.pipeline.asr_options import TranscriptionOptions
    from desktop_app.pipeline.model_registry import ModelRegistry
    from desktop_app.pipeline.speakers.diarization import DiarizationOptions, embed_speech, label_speakers
    from desktop_app.pipeline.speakers.heard_speech import HeardSpeech

    parser = argparse.ArgumentParser(description="speaker step cost relative to ASR")
    parser.add_argument("audio", nargs="*", type=Path)
    parser.add_argument("--model", default="base")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--own-vad", action="store_true", help="the speaker step runs Silero itself (as `diarize` does)"
    )
    parser.add_argument("--no-overlap", action="store_true", help="without the segmentation model's overlap step")
    parser.add_argument(
        "--voices", action="store_true", help="also time the segmentation + CAM++ pipeline (bench only)"
    )
    args = parser.parse_args()
    options = DiarizationOptions(overlap=not args.no_overlap)
    engine = AsrEngine(ModelRegistry().resolve(args.model), TranscriptionOptions(model=args.model, language="en"))
    warm = decode_audio(str(SHARED / "jfk.flac"))[: 16000 * 3]
    engine.transcribe_array(warm, 0.0, "en")
    label_speakers(embed_speech([(0.0, warm)], options), [], options)

    def transcribe(audio: np.ndarray) -> tuple[list[object], HeardSpeech | None]:
        """As the engine process does: words, and the speech heard in each block from its own VAD pass."""
        heard: list[HeardSpeech] = []
        progress = engine.run([(0.0, audio)], "en", lambda at, block: heard.append(HeardSpeech.of(at, block)))
        return [w for p in progress for s in p.segments for w in s.words], HeardSpeech.joined(heard)

    def speaker_step(audio: np.ndarray, words: list[object], heard: HeardSpeech | None) -> object:
        block = 60 * 16000
        blocks = ((i / 16000, audio[i : i + block]) for i in range(0, len(audio), block))
        return label_speakers(embed_speech(blocks, options, heard=heard), words, options)  # type: ignore[arg-type]

    for path in args.audio or _default_recordings():
        audio = np.tile(decode_audio(str(path)), args.repeat)
        minutes = len(audio) / 16000 / 60
        (words, heard), asr_cpu, asr_wall = _timed(transcribe, audio)
        result, cpu, wall = _timed(speaker_step, audio, words, None if args.own_vad else heard)
        found = len(result.speakers)  # type: ignore[attr-defined]
        if args.voices:
            from desktop_app.pipeline.speakers.voice_diarization import diarize_by_voices

            voices, voices_cpu, voices_wall = _timed(diarize_by_voices, audio, words)
            print(
                f"  segmentation + CAM++ pipeline {voices_cpu / minutes:5.2f} CPU s/min"
                f" ({len(voices.speakers)} speakers), ratio CPU {voices_cpu / asr_cpu:5.1%}, wall {voices_wall / asr_wall:5.1%}"
            )
        print(
            f"{path.name[:28]:28s} {minutes:5.2f} min | {args.model} ASR {asr_cpu / minutes:5.2f} CPU s/min"
            f" | speaker step {cpu / minutes:5.2f} CPU s/min ({found} speakers)"
            f" | ratio CPU {cpu / asr_cpu:5.1%}, wall {wall / asr_wall:5.1%}"
        )


if __name__ == "__main__":
    main()
