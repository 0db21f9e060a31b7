"""How much our transcription path adds to raw faster-whisper, measured in one run on one file.

    .venv/bin/python bench/transcribe_overhead.py AUDIO [--model base] [--repeat N]

Both paths run in a fresh spawned child process with the same model, device and options:
raw faster-whisper (``BatchedInferencePipeline`` over the whole file) and ours (the engine child
of ``engine_process`` with streamed decoding, silence-cut blocks and segment building). Prints the
wall times and CPU seconds of the children, their ratios (target <= 1.10; CPU time is the
steadier figure on a busy machine), speed in × real time, peak RSS of each child and, if a
reference ``.txt`` lies beside the audio, the WER of both (lower case, no punctuation). Where
Whisper skipped speech, ours transcribes it again (``missed_speech``), which raw does not: the
time and words that took are printed, and the wall ratio without that time.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import re
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.pipeline.asr_options import TranscriptionOptions, available_cores  # noqa: E402
from desktop_app.pipeline.engine_process import Failed, Finished, JobSpec, SegmentsReady, TranscriptionJob  # noqa: E402
from desktop_app.pipeline.model_registry import ModelRegistry  # noqa: E402


def raw_child(model_path: str, audio: str, options: dict[str, Any], out: Any) -> None:
    """Plain faster-whisper, as a user of the library would call it."""
    from faster_whisper import BatchedInferencePipeline, WhisperModel

    from desktop_app.pipeline.asr_engine import resolve_device, transcribe_kwargs
    from desktop_app.pipeline.engine_process import peak_rss_bytes

    o = TranscriptionOptions.from_dict(options)
    device, compute = resolve_device(o)
    model = WhisperModel(model_path, device=device, compute_type=compute, cpu_threads=available_cores())
    kwargs = transcribe_kwargs(o, None if o.language == "auto" else o.language)
    segments, _ = BatchedInferencePipeline(model).transcribe(audio, batch_size=o.batch_size, **kwargs)
    words = [w.word.strip() for s in segments for w in (s.words or []) if w.word.strip()]
    out.put((words, peak_rss_bytes()))


# wall seconds, words, peak RSS bytes, child CPU seconds, (wall seconds, words) of speech transcribed again
Result = tuple[float, list[str], int, float, tuple[float, int]]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_raw(model_path: Path, audio: Path, options: TranscriptionOptions) -> Result:
    cpu = children_cpu()
    context = mp.get_context("spawn")
    out = context.Queue()
    began = time.perf_counter()
    child = context.Process(target=raw_child, args=(str(model_path), str(audio), options.to_dict(), out))
    child.start()
    words, rss = out.get()
    wall = time.perf_counter() - began
    child.join()
    return wall, words, rss, children_cpu() - cpu, (0.0, 0)


def run_ours(spec: JobSpec) -> Result:
    cpu = children_cpu()
    began = time.perf_counter()
    words: list[str] = []
    rss, recovery = 0, (0.0, 0)
    for event in TranscriptionJob(spec).start().events():
        if isinstance(event, SegmentsReady):
            words += [w.text for s in event.segments for w in s.words]
        elif isinstance(event, Finished):
            rss = event.peak_rss_bytes
            recovery = (event.recovery_seconds, event.recovered_words)
        elif isinstance(event, Failed):
            raise SystemExit(f"engine failed: {event.message}")
    return time.perf_counter() - began, words, rss, children_cpu() - cpu, recovery


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w' ]+", " ", text.lower()).split())


def wer_or_none(audio: Path, words: list[str]) -> float | None:
    reference = audio.with_suffix(".txt")
    if not reference.is_file() or not reference.read_text().strip():
        return None
    import jiwer

    return float(jiwer.wer(normalise(reference.read_text()), normalise(" ".join(words))))


def duration_of(audio: Path) -> float:
    import av

    with av.open(str(audio)) as container:
        return float(container.duration or 0) / 1_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("audio", type=Path)
    parser.add_argument("--model", default="base")
    parser.add_argument("--language", default="auto")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--repeat", type=int, default=1, help="alternate the two paths N times; report the best")
    parser.add_argument("--ours-only", action="store_true", help="only our path: speed and peak RSS on long files")
    args = parser.parse_args()
    options = TranscriptionOptions(model=args.model, language=args.language, device=args.device)
    registry = ModelRegistry()
    model_path = registry.resolve(args.model)
    spec = JobSpec(args.audio, model_path, options, 0.0, duration_of(args.audio))
    spec.model_sha256 = registry.entry(args.model).sha256
    raw_runs, our_runs = [], []
    for _ in range(args.repeat):
        if not args.ours_only:
            raw_runs.append(run_raw(model_path, args.audio, options))
        our_runs.append(run_ours(spec))
    if args.ours_only:
        report_one(args, spec.total_seconds, "verbatim engine", min(our_runs, key=lambda r: r[0]))
        return
    report(args, spec.total_seconds, min(raw_runs, key=lambda r: r[0]), min(our_runs, key=lambda r: r[0]))


def report_one(args: argparse.Namespace, seconds: float, label: str, result: Result, header: bool = True) -> None:
    if header:
        print(f"audio: {args.audio} ({seconds:.1f} s), model {args.model}, {available_cores()} cores")
    wall, words, rss, cpu, (again_wall, again_words) = result
    wer = wer_or_none(args.audio, words)
    wer_text = f", WER {wer * 100:.2f} %" if wer is not None else ""
    print(
        f"{label:>19}: {wall:7.2f} s wall, {seconds / wall:5.2f}x real time, "
        f"{cpu:7.1f} s CPU, peak RSS {rss / 2**20:6.0f} MiB, {len(words)} words{wer_text}"
    )
    if again_words:
        print(f"{'':>19}  of which {again_wall:.2f} s wall found {again_words} words in speech the first pass skipped")


def report(args: argparse.Namespace, seconds: float, raw: Result, ours: Result) -> None:
    report_one(args, seconds, "raw faster-whisper", raw)
    report_one(args, seconds, "verbatim engine", ours, header=False)
    print(f"ratio ours/raw: wall {ours[0] / raw[0]:.3f} (target <= 1.10), CPU time {ours[3] / raw[3]:.3f}")
    if ours[4][1]:
        print(f"  without the time spent on skipped speech: wall {(ours[0] - ours[4][0]) / raw[0]:.3f}")


if __name__ == "__main__":
    main()
