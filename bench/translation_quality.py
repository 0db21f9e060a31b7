"""English beside the original: how close Whisper's translation comes to a reference, and what it costs.

For the shared German and French clips (Common Voice), the translation by ``base`` (or --model)
is compared with a reference English sentence written for this bench (word overlap F1: the share
of reference words the translation has and of its words the reference has, lower-cased, without
punctuation), and its cost is printed as x real time, beside transcribing the same clip, measured
in the same run.

    .venv/bin/python bench/translation_quality.py [--model base]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop_app.pipeline.model_registry import ModelRegistry  # noqa: E402
from desktop_app.pipeline.translation import Turn, translate_turns, translator  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
CLIPS = {
    "de": ("cv_de.wav", "The room behind this portal was used as a mortuary."),
    "fr": ("cv_fr.wav", "Under the Consulate he became curator of waters and forests and general councillor."),
}


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def overlap_f1(hypothesis: str, reference: str) -> float:
    hyp, ref = Counter(words(hypothesis)), Counter(words(reference))
    common = sum((hyp & ref).values())
    if not common:
        return 0.0
    precision, recall = common / sum(hyp.values()), common / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="base")
    args = parser.parse_args()
    from faster_whisper import decode_audio

    engine = translator(ModelRegistry().resolve(args.model), args.model, device="cpu")
    print(f"model {args.model} on {engine.choice.label}")
    for language, (name, reference) in CLIPS.items():
        audio = decode_audio(str(DATA / name), sampling_rate=16000)
        seconds = audio.size / 16000
        began = time.perf_counter()
        english = translate_turns(engine, audio, [Turn(0.0, seconds)], language)[0]
        translate_wall = time.perf_counter() - began
        began = time.perf_counter()
        original = " ".join(w.text for w in engine.transcribe_array(audio, 0.0, language)).strip()
        transcribe_wall = time.perf_counter() - began
        print(f"\n[{language}] {name} ({seconds:.1f} s)")
        print(f"  original:    {original}")
        print(f"  translation: {english}")
        print(f"  reference:   {reference}")
        print(f"  word overlap F1 {overlap_f1(english, reference):.2f}")
        print(
            f"  translate {seconds / translate_wall:.1f}x real time, transcribe {seconds / transcribe_wall:.1f}x "
            f"(translation costs {translate_wall / transcribe_wall:.2f}x the transcription)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
